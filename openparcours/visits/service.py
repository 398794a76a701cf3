"""Visits: a teacher opens one for a class, closes it or opens it again, and lists them."""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import paginate, utcnow
from openparcours.errors import Conflict, NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, Role
from openparcours.partnerships.models import Partnership, agreements_in_force
from openparcours.partnerships.service import agreement_for_visit
from openparcours.trails import release
from openparcours.trails.models import Trail, Visibility
from openparcours.trails.service import CODE_ALPHABET
from openparcours.visits.models import Visit
from openparcours.visits.souvenirs import hand_out_tokens

# Long enough that guessing stays hopeless at the join limit (see RATELIMITS in config).
JOIN_CODE_LENGTH = 8


# --- Visits ------------------------------------------------------------------------------


def _open_visits_with(code: str, now: datetime):
    return select(Visit).where(Visit.join_code == code, ~Visit.is_over(now))


def new_join_code(now: datetime) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(_open_visits_with(code, now).limit(1)) is None:
            return code


def open_visit(
    actor: User,
    trail: Trail,
    *,
    class_label: str,
    starts_at: datetime,
    ends_at: datetime,
    show_points: bool = True,
    share_positions: bool = False,
    leaderboard: bool = False,
    souvenirs: bool = False,
    play_until: datetime | None = None,
    retention_days: int | None = None,
    school_id: int | None = None,
    agreement_id: int | None = None,
) -> Visit:
    """Open a visit of the trail's latest published version; it belongs to the agreement asked
    for, or to the one agreement in force that offers the trail to the teacher's school."""
    policy.require(actor, "visit.open", trail)
    if trail.latest_version is None:
        raise ValidationFailed(
            "trail_id", "The trail has no published version yet.", code="not_published"
        )
    if ends_at <= starts_at:
        raise ValidationFailed("ends_at", "The visit must end after it starts.")
    # Its data is kept for `retention_days` after its end: a later end would keep it longer.
    longest = current_app.config["MAX_VISIT_DAYS"]
    if ends_at - starts_at > timedelta(days=longest):
        raise ValidationFailed(
            "ends_at",
            f"A visit lasts at most {longest} days.",
            code="visit_too_long",
            params={"max_days": longest},
        )
    maximum = current_app.config["MAX_RETENTION_DAYS"]
    retention_days = maximum if retention_days is None else retention_days
    if retention_days > maximum:
        raise ValidationFailed("retention_days", f"At most {maximum} days.")
    for number, rule in release.clock_rules_outside(
        trail.latest_version.content["stations"], starts_at, ends_at
    ):
        raise ValidationFailed(
            "ends_at",
            f"Station {number} opens at {rule['time']}, after the visit's end.",
            code="release_after_visit",
            params={"station": number, "time": rule["time"]},
        )
    school = _school_of_visit(actor, trail, school_id)
    agreement = agreement_for_visit(trail, school.id if school else None, agreement_id)
    visit = Visit(
        trail=trail,
        version=trail.latest_version,
        agreement_id=agreement.id if agreement else None,
        school_id=school.id if school else None,
        opened_by_id=actor.id,
        class_label=class_label,
        join_code=new_join_code(utcnow()),
        starts_at=starts_at,
        ends_at=ends_at,
        show_points=show_points,
        share_positions=share_positions,
        leaderboard=leaderboard,
        souvenirs=souvenirs,
        play_until=_check_play_until(starts_at, ends_at, play_until),
        retention_days=retention_days,
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def _school_of_visit(actor: User, trail: Trail, school_id: int | None) -> Organisation | None:
    """The class's school: the one asked for, else the teacher's school that is a partner of
    the trail's institution, else their first school; None for an institution's own group.
    A partners-only trail is played only by a partner school's class."""
    schools = list(
        dict.fromkeys(
            m.organisation
            for m in actor.memberships
            if m.organisation.is_school and m.role in (Role.teacher, Role.admin)
        )
    )
    partners = {
        row.school_id
        for row in db.session.execute(
            agreements_in_force().where(
                Partnership.institution_id == trail.organisation_id,
                Partnership.school_id.in_([s.id for s in schools]),
            )
        )
    }
    if school_id is None:
        return next((s for s in schools if s.id in partners), schools[0] if schools else None)
    school = next((s for s in schools if s.id == school_id), None)
    if school is None:
        raise ValidationFailed("school_id", "You do not teach at this school.")
    offered_to_all = trail.visibility == Visibility.public or policy.can(actor, "trail.edit", trail)
    if not offered_to_all and school.id not in partners:
        raise ValidationFailed("school_id", "This trail is offered to the partner schools only.")
    return school


def list_my_visits(actor: User, page: int, page_size: int) -> tuple[list[Visit], int]:
    """The visits I opened for an organisation I still belong to, and as a school admin those
    of my school (the rule `visit.manage`); the latest first."""
    query = (
        select(Visit)
        .where(policy.scope(actor, "visit.manage"))
        .options(selectinload(Visit.trail))
        .order_by(Visit.starts_at.desc(), Visit.id.desc())
    )
    return paginate(query, page, page_size)


def _check_play_until(
    starts_at: datetime, ends_at: datetime, play_until: datetime | None
) -> datetime | None:
    if play_until is not None and not starts_at < play_until <= ends_at:
        raise ValidationFailed(
            "play_until",
            "The game ends after the visit starts and no later than it ends.",
            code="play_until_outside",
        )
    return play_until


def update_visit(
    actor: User, visit: Visit, *, closed: bool | None = None, souvenirs: bool | None = None, **more
) -> Visit:
    """Close or open the visit again (see `set_closed`), turn its souvenir pages on or off, set
    or clear the game's end (`play_until`: the phones learn it with their next sync)."""
    policy.require(actor, "visit.manage", visit)
    if "play_until" in more:
        visit.play_until = _check_play_until(visit.starts_at, visit.ends_at, more["play_until"])
    if souvenirs is not None:
        if souvenirs and visit.data_deleted_at is not None:
            raise Conflict(
                "The data of this visit has been deleted; open a new visit.",
                code="visit_data_deleted",
            )
        visit.souvenirs = souvenirs
        if souvenirs:
            hand_out_tokens(visit)
    if closed is not None:
        return set_closed(actor, visit, closed)
    db.session.commit()
    return visit


def set_closed(actor: User, visit: Visit, closed: bool) -> Visit:
    """Close a visit (no one joins any more), or open it again unless its data is deleted
    (its deletion is for good: new teams would start a period that no one asked for)."""
    policy.require(actor, "visit.manage", visit)
    now = utcnow()
    if closed:
        visit.closed_at = visit.closed_at or now
    elif visit.data_deleted_at is not None:
        raise Conflict(
            "The data of this visit has been deleted; open a new visit.",
            code="visit_data_deleted",
        )
    elif visit.closed_at is not None:
        visit.closed_at = None
        # Codes are unique among open visits only: another may have taken this one meanwhile.
        if db.session.scalar(
            _open_visits_with(visit.join_code, now).where(Visit.id != visit.id).limit(1)
        ):
            visit.join_code = new_join_code(now)
    db.session.commit()
    return visit


def get_visit(actor: User, visit_id: int) -> Visit:
    # With its trail: the policy asks for the trail's institution when no school is named.
    visit = db.session.get(Visit, visit_id, options=[joinedload(Visit.trail)])
    if visit is None:
        raise NotFound("There is no such visit.")
    policy.require(actor, "visit.manage", visit)
    return visit
