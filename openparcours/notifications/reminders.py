"""What the schedule finds by the clock: an agreement's review due in 30 days or its end in
90, a visit's answers waiting for grading an hour after it ended, a visit's data deleted in 7
days. Each reminder is given once (`Reminder` remembers its key)."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select
from sqlalchemy.exc import IntegrityError

from openparcours.database import local_today, local_zone, utcnow
from openparcours.extensions import db
from openparcours.notifications.models import Kind, Reminder
from openparcours.notifications.service import notify, tell_sides, visit_opener, visit_params
from openparcours.partnerships.models import AgreementVersion, last_day
from openparcours.tasks import registry
from openparcours.visits.models import Event, Visit

log = logging.getLogger(__name__)

REVIEW_NOTICE = timedelta(days=30)
END_NOTICE = timedelta(days=90)
GRADING_AFTER = timedelta(hours=1)
# Visits that ended longer ago than this are not looked at again for grading.
GRADING_LOOKS_BACK = timedelta(days=7)
DELETION_NOTICE = timedelta(days=7)


def _not_reminded(prefix: str, id_column) -> ColumnElement[bool]:
    """SQL: no reminder with the key `prefix` + the row's id has been given."""
    key = literal(prefix) + cast(id_column, String)
    return ~select(Reminder.key).where(Reminder.key == key).exists()


def _first_time(key: str) -> bool:
    """Note the reminder `key` as given, in this transaction, unless it was given before."""
    if db.session.get(Reminder, key) is not None:
        return False
    db.session.add(Reminder(key=key, created_at=utcnow()))
    return True


def _given() -> bool:
    """Commit a reminder with its notifications; False if another process gave it at the
    same moment."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def agreement_reminders() -> int:
    """Agreements in force whose review is due within 30 days or that end within 90."""
    today = local_today()
    found = 0
    in_force = select(AgreementVersion).where(AgreementVersion.in_force(today))
    reviews = in_force.where(
        AgreementVersion.review_on >= today, AgreementVersion.review_on <= today + REVIEW_NOTICE
    )
    for version in db.session.scalars(reviews).all():
        if _first_time(f"review_due:agreement:{version.id}:{version.review_on}"):
            tell_sides(version, Kind.agreement_review_due, date=str(version.review_on))
            found += _given()
    endings = in_force.where(
        or_(
            AgreementVersion.ends_on <= today + END_NOTICE,
            AgreementVersion.ended_on <= today + END_NOTICE,
        )
    )
    for version in db.session.scalars(endings).all():
        end = last_day(version)
        if _first_time(f"ending:agreement:{version.id}:{end}"):
            tell_sides(version, Kind.agreement_ending, date=str(end))
            found += _given()
    return found


def _gradable_task_ids(visit: Visit) -> list[int]:
    return [
        task["id"]
        for station in visit.version.content.get("stations", [])
        for task in station.get("tasks", [])
        if registry.teacher_grades(task)
    ]


def grading_reminders(now: datetime | None = None) -> int:
    """An hour after a visit ended (or was closed), its teacher hears how many answers wait
    for their grade."""
    now = now or utcnow()
    ended_before = now - GRADING_AFTER
    visits = db.session.scalars(
        select(Visit).where(
            Visit.data_deleted_at.is_(None),
            or_(Visit.ends_at <= ended_before, Visit.closed_at <= ended_before),
            or_(
                Visit.ends_at > now - GRADING_LOOKS_BACK,
                Visit.closed_at > now - GRADING_LOOKS_BACK,
            ),
            _not_reminded("grading:visit:", Visit.id),
        )
    ).all()
    found = 0
    for visit in visits:
        waiting = db.session.execute(
            select(func.count())
            .select_from(Event)
            .where(
                Event.visit_id == visit.id,
                Event.type == "answer",
                Event.task_id.in_(_gradable_task_ids(visit)),
                Event.graded_at.is_(None),
            )
        ).scalar_one()
        # Marked also when nothing waits: the visit is not looked at again.
        if _first_time(f"grading:visit:{visit.id}"):
            told = notify(
                visit_opener(visit) if waiting else [],
                Kind.grading_waiting,
                params=visit_params(visit) | {"count": waiting},
                link=f"/teach/visits/{visit.id}/results",
            )
            found += _given() and bool(told)
    return found


def deletion_reminders(now: datetime | None = None) -> int:
    """Seven days before a visit's data is deleted, its teacher hears of it, with the link to
    its results, where they export what they want to keep."""
    now = now or utcnow()
    longest = timedelta(days=current_app.config["MAX_RETENTION_DAYS"])
    candidates: Iterable[Visit] = db.session.scalars(
        select(Visit).where(
            Visit.data_deleted_at.is_(None),
            and_(Visit.ends_at > now - longest, Visit.ends_at <= now + DELETION_NOTICE),
            _not_reminded("deletion:visit:", Visit.id),
        )
    ).all()
    found = 0
    for visit in candidates:
        if not visit.retention_over(now + DELETION_NOTICE):
            continue
        deleted_on = (visit.ends_at + timedelta(days=visit.retention_days)).astimezone(local_zone())
        if _first_time(f"deletion:visit:{visit.id}"):
            told = notify(
                visit_opener(visit),
                Kind.data_deletion,
                params=visit_params(visit) | {"date": str(deleted_on.date())},
                link=f"/teach/visits/{visit.id}/results",
            )
            found += _given() and bool(told)
    return found


def scheduled_reminders() -> None:
    given = agreement_reminders() + grading_reminders() + deletion_reminders()
    if given:
        log.info("Notifications: %d reminder(s) given.", given)
