"""Good practice made visible: both sides of a partnership share its learning offers (those of
the agreement in force, with their anchoring in the school's curriculum) and a school year's
reflection as examples for the schools and institutions of the school's district. What is
shown comes from the agreement and the reflection alone: no student data, no visits, no
messages, no people's names or addresses."""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import lazyload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import local_today, utcnow
from openparcours.errors import Conflict, Forbidden, NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.notifications.models import Kind
from openparcours.notifications.service import notify
from openparcours.organisations.models import Organisation
from openparcours.organisations.names import kind_name, school_form_name
from openparcours.partnerships.coverage import label
from openparcours.partnerships.models import AgreementVersion, Partnership, SharedBySides, Side
from openparcours.planning.models import YearReflection
from openparcours.trails.models import Trail


class What(enum.StrEnum):
    offers = "offers"  # the learning offers of the agreement in force and their anchoring
    reflection = "reflection"  # a school year's reflection: what went well, what changes


@dataclass(frozen=True)
class Consent:
    by: str | None  # the admin's name; None once their account is gone (the consent stays)
    at: datetime


@dataclass(frozen=True)
class Shareable:
    what: What
    school_year: int | None  # of a reflection
    available: bool  # there is something to show: an agreement in force, a written reflection
    school: Consent | None
    institution: Consent | None

    @property
    def shown(self) -> bool:
        """On the district's page now: both sides consent and there is something to show."""
        return self.available and self.school is not None and self.institution is not None


@dataclass(frozen=True)
class Sharing:
    partnership: Partnership
    items: list[Shareable]
    sides: list[Side]  # the sides the actor consents for


def _organisation(partnership: Partnership, side: Side) -> Organisation:
    return partnership.school if side == Side.school else partnership.institution


def sides_of(actor: User, partnership: Partnership) -> list[Side]:
    return [
        side
        for side in Side
        if policy.can(actor, "practice.share", _organisation(partnership, side))
    ]


def _has_agreement_in_force(partnership: Partnership) -> bool:
    in_force = exists().where(
        AgreementVersion.partnership_id == partnership.id,
        AgreementVersion.in_force(local_today()),
    )
    return db.session.execute(select(in_force)).scalar_one()


def _written(reflection: YearReflection) -> bool:
    return bool(reflection.went_well or reflection.changes)


def sharing(actor: User, partnership: Partnership) -> Sharing:
    """What the partnership shares or may share, with both sides' consents: its offers, and
    each school year's written reflection (the latest first)."""
    policy.require(actor, "practice.consents", partnership)
    reflections = [
        reflection
        for reflection in db.session.scalars(
            select(YearReflection)
            .where(YearReflection.partnership_id == partnership.id)
            .order_by(YearReflection.school_year.desc())
        )
        if _written(reflection)
    ]
    targets: list[SharedBySides] = [partnership, *reflections]
    user_ids = {
        user_id
        for target in targets
        for user_id in (target.school_consent_by_id, target.institution_consent_by_id)
        if user_id is not None
    }
    names = dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )

    def consent(target: SharedBySides, side: Side) -> Consent | None:
        at = getattr(target, f"{side}_consent_at")
        by = getattr(target, f"{side}_consent_by_id")
        return None if at is None else Consent(names.get(by), at)

    items = [
        Shareable(
            What.offers,
            None,
            _has_agreement_in_force(partnership),
            consent(partnership, Side.school),
            consent(partnership, Side.institution),
        )
    ] + [
        Shareable(
            What.reflection,
            reflection.school_year,
            True,
            consent(reflection, Side.school),
            consent(reflection, Side.institution),
        )
        for reflection in reflections
    ]
    return Sharing(partnership, items, sides_of(actor, partnership))


def _side_for(actor: User, partnership: Partnership, side: Side | None) -> Side:
    """The side the actor consents for: the one asked for, or their only one."""
    if side is not None:
        policy.require(actor, "practice.share", _organisation(partnership, side))
        return side
    mine = sides_of(actor, partnership)
    if not mine:
        raise Forbidden("Only an admin of the school or the institution shares for it.")
    if len(mine) > 1:
        raise ValidationFailed("side", "For which side do you consent?")
    return mine[0]


def set_consent(
    actor: User,
    partnership: Partnership,
    *,
    what: What,
    shared: bool,
    school_year: int | None = None,
    side: Side | None = None,
) -> Sharing:
    """One side consents to show the offers or a school year's reflection as an example, or
    withdraws its consent at once. A consent given stays as given (who, when)."""
    policy.require(actor, "partnership.view", partnership)
    side = _side_for(actor, partnership, side)
    target: SharedBySides
    if what == What.offers:
        if shared and not _has_agreement_in_force(partnership):
            raise Conflict(
                "Only the offers of an agreement in force can be shared.", code="nothing_to_share"
            )
        target = partnership
    else:
        if school_year is None:
            raise ValidationFailed("school_year", "Which school year's reflection?")
        reflection = db.session.scalar(
            select(YearReflection).where(
                YearReflection.partnership_id == partnership.id,
                YearReflection.school_year == school_year,
            )
        )
        if reflection is None:
            raise NotFound("There is no reflection of this school year.")
        if shared and not _written(reflection):
            raise Conflict("Write the reflection first.", code="nothing_to_share")
        target = reflection
    if not shared:
        target.consent(side, None, None)
    elif getattr(target, f"{side}_consent_at") is None:
        target.consent(side, actor.id, utcnow())
        if not target.shared:
            _ask_the_other_side(actor, partnership, side)
    db.session.commit()
    return sharing(actor, partnership)


def _ask_the_other_side(actor: User, partnership: Partnership, side: Side) -> None:
    """One side consents: the other side's admins hear of it, to consent too."""
    other = Side.institution if side == Side.school else Side.school
    admins = db.session.scalars(policy.admins_of(_organisation(partnership, other)))
    notify(
        [admin for admin in admins if admin.id != actor.id],
        Kind.practice_shared,
        params={
            "school": partnership.school.name,
            "institution": partnership.institution.name,
            "shared_by": _organisation(partnership, side).name,
        },
        link=f"/partners/partnerships/{partnership.id}",
    )


# --- The district's examples -------------------------------------------------------------


Tags = dict[int, tuple[list[str], list[int], list[str]]]  # trail id → its competence tags


def _offer(offer: dict, tags: Tags) -> dict:
    """An offer as signed, with its trail's subjects, year groups and media competences."""
    subjects, year_groups, competences = tags.get(offer["id"], ([], [], []))
    return {
        "title": offer["title"],
        "description": offer["description"],
        "subjects": subjects,
        "year_groups": year_groups,
        "media_competences": competences,
    }


def _anchoring_rows(version: AgreementVersion, titles: dict[int, str]) -> list[dict]:
    return [
        {
            "year_group": row.get("year_group"),
            "subject": row.get("subject", ""),
            "teaching_unit": row.get("teaching_unit", ""),
            "offer": titles.get(row["trail_id"], "")
            if row.get("trail_id") is not None
            else row.get("offer", ""),
            "media_competences": row.get("media_competences") or [],
            "term": row.get("term"),
        }
        for row in version.content.get("anchoring") or []
    ]


def district_examples(actor: User, district: str) -> dict:
    """The examples of the partnerships whose school is in the district, shared by both
    sides: offers while an agreement is in force, reflections as written. In four queries
    whatever the district's size."""
    policy.require(actor, "practice.view", district)
    shared_reflections = select(YearReflection.partnership_id).where(YearReflection.shared)
    partnerships = db.session.scalars(
        select(Partnership).where(
            Partnership.school.has(Organisation.district == district),
            or_(Partnership.shared, Partnership.id.in_(shared_reflections)),
        )
    ).all()
    offering = [p.id for p in partnerships if p.shared]
    versions = {
        version.partnership_id: version
        for version in db.session.scalars(
            select(AgreementVersion)
            .where(
                AgreementVersion.partnership_id.in_(offering),
                AgreementVersion.in_force(local_today()),
            )
            .order_by(AgreementVersion.number)
            .options(lazyload(AgreementVersion.signatures), lazyload(AgreementVersion.trails))
        )
    }
    trail_ids = {offer["id"] for version in versions.values() for offer in version.offers or []}
    tags: Tags = {
        trail_id: (subjects or [], grades or [], competences or [])
        for trail_id, subjects, grades, competences in db.session.execute(
            select(Trail.id, Trail.subjects, Trail.grades, Trail.media_competences).where(
                Trail.id.in_(trail_ids)
            )
        )
    }
    reflections: dict[int, list[YearReflection]] = {p.id: [] for p in partnerships}
    for reflection in db.session.scalars(
        select(YearReflection)
        .where(
            YearReflection.partnership_id.in_(list(reflections)),
            YearReflection.shared,
        )
        .order_by(YearReflection.school_year.desc())
    ):
        reflections[reflection.partnership_id].append(reflection)

    examples = []
    for partnership in sorted(
        partnerships, key=lambda p: (p.school.name, p.institution.name, p.id)
    ):
        version = versions.get(partnership.id)
        offers = (version.offers or []) if version else []
        titles = {offer["id"]: offer["title"] for offer in offers}
        shown_reflections = [
            {"school_year": label(r.school_year), "went_well": r.went_well, "changes": r.changes}
            for r in reflections[partnership.id]
            if _written(r)
        ]
        if version is None and not shown_reflections:
            continue
        school, institution = partnership.school, partnership.institution
        examples.append(
            {
                "school": {
                    "id": school.id,
                    "name": school.name,
                    "kind": school.kind,
                    "kind_name": kind_name(school.kind),
                    "school_form": school.school_form,
                    "school_form_name": school_form_name(school.school_form),
                    "municipality": school.municipality,
                },
                "institution": {
                    "id": institution.id,
                    "name": institution.name,
                    "kind": institution.kind,
                    "kind_name": kind_name(institution.kind),
                    "municipality": institution.municipality,
                },
                "offers": [_offer(offer, tags) for offer in offers],
                "anchoring": _anchoring_rows(version, titles) if version else [],
                "reflections": shown_reflections,
            }
        )
    return {"district": district, "examples": examples}
