import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.accounts.models import User
from openparcours.database import UTCDateTime, enum_column, utcnow
from openparcours.extensions import Model


class OrganisationKind(enum.StrEnum):
    museum = "museum"
    library = "library"
    archive = "archive"
    vhs = "vhs"
    media_centre = "media_centre"
    theatre = "theatre"
    memorial = "memorial"
    science_centre = "science_centre"
    other_institution = "other_institution"
    school = "school"


class SchoolForm(enum.StrEnum):
    grundschule = "grundschule"
    hauptschule = "hauptschule"
    realschule = "realschule"
    sekundarschule = "sekundarschule"
    gesamtschule = "gesamtschule"
    gymnasium = "gymnasium"
    primusschule = "primusschule"
    foerderschule = "foerderschule"
    berufskolleg = "berufskolleg"
    weiterbildungskolleg = "weiterbildungskolleg"
    other = "other"


class Role(enum.StrEnum):
    admin = "admin"
    educator = "educator"
    teacher = "teacher"


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Short stable name for the command line and URLs, e.g. "deutsches-bergbau-museum".
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    school_form: Mapped[SchoolForm | None] = mapped_column(enum_column(SchoolForm))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    municipality: Mapped[str | None] = mapped_column(String(120))
    # Kreis or kreisfreie Stadt: the unit of regional reports.
    district: Mapped[str | None] = mapped_column(String(120), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # A school's number in the state's school list (registry.RegisteredSchool): the link
    # by which the district's coverage counts it.
    schulnummer: Mapped[str | None] = mapped_column(String(6), unique=True)
    # The public profile: what the organisation is and whom to ask.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    website: Mapped[str | None] = mapped_column(String(300))
    # An institution's opening hours as its visitors read them ("Di–So 10–18 Uhr").
    opening_hours: Mapped[str] = mapped_column(Text, default="", server_default="")
    # [{"name", "role", "email", "phone"}]
    contacts: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.school


class Membership(Model):
    """One role of one user in one organisation; a user may hold several."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Invite(Model):
    """A one-time link that makes whoever opens it a member with `role`.

    Only a hash of the token is stored: a leaked database does not leak usable links.
    """

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role))
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
