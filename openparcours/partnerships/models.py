import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    Select,
    String,
    Table,
    UniqueConstraint,
    and_,
    or_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.database import UTCDateTime, enum_column, local_today, utcnow
from openparcours.extensions import Model, db
from openparcours.organisations.models import Organisation
from openparcours.trails.models import Trail, offered_tags

if TYPE_CHECKING:
    from openparcours.accounts.models import User


class Side(enum.StrEnum):
    school = "school"
    institution = "institution"


class SharedBySides:
    """Shown to the district's schools and institutions as an example of good practice while
    both sides consent: an admin of each side, who and when. Either side withdraws at once;
    when what is shared changes, both consent again. On a partnership it is the learning
    offers of its agreement in force, on a reflection its texts."""

    school_consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    school_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    institution_consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    institution_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @hybrid_property
    def shared(self) -> bool:
        return self.school_consent_at is not None and self.institution_consent_at is not None

    @shared.inplace.expression
    @classmethod
    def _shared_in_sql(cls) -> ColumnElement[bool]:
        return and_(cls.school_consent_at.is_not(None), cls.institution_consent_at.is_not(None))

    def consent(self, side: Side, user_id: int | None, at: datetime | None) -> None:
        """`at` None withdraws the side's consent."""
        setattr(self, f"{side}_consent_by_id", user_id if at else None)
        setattr(self, f"{side}_consent_at", at)

    def withdraw_consents(self) -> None:
        for side in Side:
            self.consent(side, None, None)


class Partnership(SharedBySides, Model):
    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("school_id", "institution_id"),
        CheckConstraint("school_id <> institution_id", name="two_parties"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school: Mapped[Organisation] = relationship(foreign_keys=[school_id], lazy="joined")
    institution: Mapped[Organisation] = relationship(foreign_keys=[institution_id], lazy="joined")


class AgreementState(enum.StrEnum):
    draft = "draft"
    proposed = "proposed"
    signed = "signed"


class AgreementVersion(Model):
    """One version of a partnership's cooperation agreement ("Kooperationsvereinbarung").

    A draft is edited by the admins of both sides, then proposed, then signed by an admin of
    each side; once signed it never changes. An amendment is a new version that needs both
    signatures again; when it is signed, the version before it is superseded.
    """

    __tablename__ = "agreement_versions"
    __table_args__ = (
        UniqueConstraint("partnership_id", "number"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    state: Mapped[AgreementState] = mapped_column(
        enum_column(AgreementState), default=AgreementState.draft
    )
    # The sections as written: goals, activities, subjects, grades, curriculum, contacts, frame.
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]  # None: open-ended
    review_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the second signature
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Ended before its end date by one side (the agreement stays as it was signed).
    ended_on: Mapped[date | None]
    # The learning offers as they read when the version was proposed ([{id, title,
    # description, subjects, grades, media_competences}], see `offer_of`; those proposed before
    # the tags have none): what is signed does not change when a trail is edited later.
    offers: Mapped[list | None] = mapped_column(JSON)
    # The published Mustervereinbarung it was written from, if any.
    template_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_template_versions.id"), index=True
    )

    partnership: Mapped[Partnership] = relationship(lazy="joined")
    template_version: Mapped["AgreementTemplateVersion | None"] = relationship(lazy="joined")
    signatures: Mapped[list["Signature"]] = relationship(
        cascade="all, delete-orphan", order_by="Signature.signed_at", lazy="selectin"
    )
    trails: Mapped[list[Trail]] = relationship(
        secondary="agreement_trails", order_by="Trail.title", lazy="selectin"
    )

    @property
    def offered(self) -> list[dict]:
        """The learning offers: as proposed and signed, or, while a draft, as published now."""
        if self.offers is not None:
            return self.offers
        return [offer_of(trail) for trail in self.trails]

    @property
    def status(self) -> str:
        """Its status today (see the function `status` below)."""
        return status(self)

    @property
    def warnings(self) -> list[str]:
        """Its reminders today (see the function `warnings` below)."""
        return warnings(self)

    # When a version counts: one definition, in Python for a loaded version and in SQL for
    # queries; tests/test_agreements_in_force.py checks that both agree for every state and date.

    @hybrid_method
    def in_force(self, on: date) -> bool:
        """Signed by both sides, not superseded and not ended on `on` (it may start later):
        what makes a school and an institution partners."""
        return (
            self.state == AgreementState.signed
            and self.superseded_at is None
            and all(end is None or end > on for end in (self.ended_on, self.ends_on))
        )

    # .expression changes the hybrid in place; .inplace, the same object, is mistyped in SQLAlchemy.
    @in_force.expression
    @classmethod
    def _in_force_in_sql(cls, on: date) -> ColumnElement[bool]:
        return and_(
            cls.state == AgreementState.signed,
            cls.superseded_at.is_(None),
            *(or_(end.is_(None), end > on) for end in (cls.ended_on, cls.ends_on)),
        )

    def in_force_during(self, start: date, end: date) -> bool:
        """In force on some day from `start` to before `end`, superseded or not: whether the
        school and the institution were partners then (an amendment continues the
        partnership)."""
        if self.state != AgreementState.signed or self.signed_at is None:
            return False
        began = self.starts_on or self.signed_at.date()
        stops = [d for d in (self.ended_on, self.ends_on) if d is not None]
        if self.superseded_at is not None:
            stops.append(self.superseded_at.date())
        return began < end and all(stop > start for stop in stops)

    @hybrid_method
    def active(self, on: date) -> bool:
        """In force and started on `on`: visits belong to an active agreement."""
        return self.in_force(on) and (self.starts_on is None or self.starts_on <= on)

    @active.expression
    @classmethod
    def _active_in_sql(cls, on: date) -> ColumnElement[bool]:
        return and_(cls.in_force(on), or_(cls.starts_on.is_(None), cls.starts_on <= on))


# --- Status and reminders -------------------------------------------------------------------
# A version's displayed status follows from its state and its dates: a signed version is
# "signed" until it starts, then "active", "ended" after its end (or when one side ended it),
# and "superseded" once an amendment is signed.

REMIND_BEFORE_END = timedelta(days=90)


def status(version: AgreementVersion, on: date | None = None) -> str:
    """draft, proposed, signed (not yet started), active, ended or superseded."""
    on = on or local_today()
    if version.state != AgreementState.signed:
        return version.state.value
    if version.superseded_at is not None:
        return "superseded"
    if not version.in_force(on):
        return "ended"
    return "active" if version.active(on) else "signed"


def shorter_than_two_years(start: date, stop: date) -> bool:
    """Agreements usually run at least two school years: 1 August 2026 to 31 July 2028 is
    two years, a day less is not."""
    try:
        two_years = start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        two_years = start.replace(year=start.year + 2, day=28)
    return stop < two_years - timedelta(days=1)


def last_day(version: AgreementVersion) -> date | None:
    """The day it ends: its end date, or earlier if one side ended it."""
    return min((d for d in (version.ended_on, version.ends_on) if d is not None), default=None)


def warnings(version: AgreementVersion, on: date | None = None) -> list[str]:
    """What the admins should know: a short term or no review date (while writing it), a
    review that is due, an end within 90 days (while it runs)."""
    on = on or local_today()
    found = []
    if version.state != AgreementState.signed:
        start, stop = version.starts_on, version.ends_on
        if start and stop and shorter_than_two_years(start, stop):
            found.append("shorter_than_two_years")
        if version.review_on is None:
            found.append("no_review_date")
        return found
    if not version.in_force(on):
        return found
    if version.review_on and version.review_on <= on:
        found.append("review_due")
    end = last_day(version)
    if end and end - on <= REMIND_BEFORE_END:
        found.append("ending_soon")
    return found


def offer_of(trail: Trail) -> dict:
    """A trail as a learning offer: its published title and description, and what it teaches
    (subjects, year groups, media competences, see `offered_tags`)."""
    published = trail.latest_version.content if trail.latest_version else {}
    return {
        "id": trail.id,
        "title": published.get("title", trail.title),
        "description": published.get("description", trail.description),
        **(offered_tags(published) if published else trail.tags),
    }


def agreements_in_force() -> Select:
    """(agreement id, school id, institution id) of every agreement in force today: the
    partners. Callers narrow it with `Partnership.school_id` and `.institution_id`."""
    return (
        select(AgreementVersion.id, Partnership.school_id, Partnership.institution_id)
        .join(Partnership, AgreementVersion.partnership_id == Partnership.id)
        .where(AgreementVersion.in_force(local_today()))
    )


class AgreementTemplate(Model):
    """A standard agreement ("Mustervereinbarung") that a network office publishes for its
    district (or a quarter of it, `area`), or a site admin for the whole state (`district`
    None). Partners start their agreements from it; its versions are published one by one."""

    __tablename__ = "agreement_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str | None] = mapped_column(String(120), index=True)
    area: Mapped[str] = mapped_column(String(120), default="")  # e.g. a Stadtteil
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["AgreementTemplateVersion"]] = relationship(
        back_populates="template",
        order_by="AgreementTemplateVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def published(self) -> list["AgreementTemplateVersion"]:
        return [v for v in self.versions if v.published_at is not None]

    @property
    def latest(self) -> "AgreementTemplateVersion | None":
        """Its newest published version: the one new agreements start from."""
        published = self.published
        return published[-1] if published else None

    @property
    def draft(self) -> "AgreementTemplateVersion | None":
        return next((v for v in self.versions if v.published_at is None), None)


class AgreementTemplateVersion(Model):
    """One version of a Mustervereinbarung: per section an introduction and guiding questions,
    the checks an agreement must pass before it is proposed, and the values a new agreement is
    prefilled with. A draft is edited until it is published; a published one never changes."""

    __tablename__ = "agreement_template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_templates.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    # {section: {"introduction": str, "questions": [str]}}
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    required: Mapped[list] = mapped_column(JSON, default=list)  # names of REQUIREMENTS
    # {"visits_per_year": int | None, "booking_privilege": bool, "costs": str}
    suggestions: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    template: Mapped[AgreementTemplate] = relationship(back_populates="versions", lazy="joined")
    published_by: Mapped["User | None"] = relationship()

    @property
    def published_by_name(self) -> str | None:
        return self.published_by.display_name if self.published_by else None


agreement_trails = Table(
    "agreement_trails",
    db.metadata,
    Column(
        "agreement_version_id",
        ForeignKey("agreement_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("trail_id", ForeignKey("trails.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Signature(Model):
    """An admin's signature for one side: who, in which role, when."""

    __tablename__ = "agreement_signatures"
    __table_args__ = (UniqueConstraint("agreement_version_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_role: Mapped[str] = mapped_column(String(120))  # e.g. Schulleiterin, Museumsleitung
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
