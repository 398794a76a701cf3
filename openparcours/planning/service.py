"""A partnership's annual plan: its items and the yearly reflection, shared by both sides."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import local_today
from openparcours.errors import NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion, Partnership
from openparcours.planning.models import PlanItem, YearReflection
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit


@dataclass(frozen=True)
class AnnualPlan:
    partnership: Partnership
    year: int
    items: list[PlanItem]
    reflection: YearReflection | None

    @property
    def school_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


def annual_plan(actor: User, partnership: Partnership, year: int) -> AnnualPlan:
    policy.require(actor, "plan.view", partnership)
    items = db.session.scalars(
        select(PlanItem)
        .where(PlanItem.partnership_id == partnership.id, PlanItem.school_year == year)
        .order_by(PlanItem.month.is_(None), PlanItem.month, PlanItem.term, PlanItem.id)
    ).all()
    reflection = db.session.scalar(
        select(YearReflection).where(
            YearReflection.partnership_id == partnership.id, YearReflection.school_year == year
        )
    )
    return AnnualPlan(partnership, year, list(items), reflection)


def _check_links(partnership: Partnership, fields: dict) -> None:
    """An item's offer is a trail of the partner institution; its visit one of the school's
    visits to such a trail."""
    if fields.get("trail_id") is not None:
        trail = db.session.get(Trail, fields["trail_id"])
        if trail is None or trail.organisation_id != partnership.institution_id:
            raise ValidationFailed("trail_id", "Choose an offer of the partner institution.")
    if fields.get("visit_id") is not None:
        visit = db.session.get(Visit, fields["visit_id"])
        if (
            visit is None
            or visit.school_id != partnership.school_id
            or visit.trail.organisation_id != partnership.institution_id
        ):
            raise ValidationFailed("visit_id", "Choose a visit of this partnership.")


def add_item(actor: User, partnership: Partnership, **fields) -> PlanItem:
    policy.require(actor, "plan.edit", partnership)
    _check_links(partnership, fields)
    item = PlanItem(partnership_id=partnership.id, created_by_id=actor.id, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def get_item(actor: User, item_id: int) -> PlanItem:
    item = db.session.get(PlanItem, item_id)
    if item is None:
        raise NotFound("There is no such plan item.")
    policy.require(actor, "plan.view", item.partnership)
    return item


def update_item(actor: User, item: PlanItem, **fields) -> PlanItem:
    policy.require(actor, "plan.edit", item.partnership)
    _check_links(item.partnership, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    db.session.commit()
    return item


def delete_item(actor: User, item: PlanItem) -> None:
    policy.require(actor, "plan.edit", item.partnership)
    db.session.delete(item)
    db.session.commit()


def save_reflection(
    actor: User,
    partnership: Partnership,
    year: int,
    *,
    went_well: str,
    changes: str,
    next_review_on: date | None,
) -> YearReflection:
    """The year's reflection; its next review date becomes the review date of the agreement
    in force, which reminds both sides when it is due."""
    policy.require(actor, "plan.edit", partnership)
    if next_review_on is not None and next_review_on <= local_today():
        raise ValidationFailed("next_review_on", "The next review lies in the future.")
    reflection = db.session.scalar(
        select(YearReflection).where(
            YearReflection.partnership_id == partnership.id, YearReflection.school_year == year
        )
    )
    if reflection is None:
        reflection = YearReflection(partnership_id=partnership.id, school_year=year)
        db.session.add(reflection)
    if (reflection.went_well, reflection.changes) != (went_well, changes):
        reflection.withdraw_consents()  # shared as good practice: both consent to the new text
    reflection.went_well, reflection.changes = went_well, changes
    reflection.next_review_on, reflection.updated_by_id = next_review_on, actor.id
    if next_review_on is not None:
        in_force = db.session.scalar(
            select(AgreementVersion).where(
                AgreementVersion.partnership_id == partnership.id,
                AgreementVersion.in_force(local_today()),
            )
        )
        if in_force is not None:
            in_force.review_on = next_review_on
    db.session.commit()
    return reflection
