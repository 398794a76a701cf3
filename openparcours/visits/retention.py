"""A visit's data is kept for its retention period after its end, then deleted (by the app's
schedule, by cron, or at once on the teacher's request); anonymous counts stay."""

import logging
from datetime import datetime

from sqlalchemy import delete, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.visits.activity import station_totals, task_totals
from openparcours.visits.models import Event, Team, Visit, VisitMessage
from openparcours.visits.results import anonymous_counts

log = logging.getLogger(__name__)


def delete_visit_data(actor: User, visit: Visit) -> Visit:
    """Delete teams, events and photos now, on the teacher's request."""
    policy.require(actor, "visit.manage", visit)
    return delete_data(visit)


def delete_data(visit: Visit) -> Visit:
    """Delete teams, events, photos and the teacher's messages; keep the anonymous counts."""
    if visit.data_deleted_at is not None:
        return visit
    # The sums per station and task stay too, for the trail's statistics.
    of_visit = Event.visit_id == visit.id
    visit.summary = anonymous_counts(visit) | {
        "stations": station_totals(of_visit),
        "tasks": task_totals(of_visit),
    }
    photos = db.session.scalars(
        select(Media).where(Media.team_id.in_(select(Team.id).where(Team.visit_id == visit.id)))
    ).all()
    files = {name for m in photos for name in (m.file, m.thumbnail) if name}
    for media in photos:
        db.session.delete(media)
    db.session.execute(delete(Event).where(Event.visit_id == visit.id))
    db.session.execute(delete(VisitMessage).where(VisitMessage.visit_id == visit.id))
    db.session.execute(delete(Team).where(Team.visit_id == visit.id))
    visit.data_deleted_at = utcnow()
    visit.closed_at = visit.closed_at or visit.data_deleted_at  # no one joins an emptied visit
    db.session.flush()
    # A file goes when no upload left refers to it (identical photos share one file).
    still_used = set(db.session.scalars(select(Media.file).where(Media.file.in_(files))))
    still_used |= set(db.session.scalars(select(Media.thumbnail).where(Media.thumbnail.in_(files))))
    db.session.commit()
    for name in files - still_used:
        media_service.storage().delete(name)
    return visit


def run_retention(now: datetime | None = None) -> int:
    """Delete the data of every visit whose retention period has passed; returns how many."""
    now = now or utcnow()
    due = [
        visit
        for visit in db.session.scalars(select(Visit).where(Visit.data_deleted_at.is_(None)))
        if visit.retention_over(now)
    ]
    for visit in due:
        delete_data(visit)
    return len(due)


def scheduled_retention() -> None:
    deleted = run_retention()
    if deleted:
        log.info("Retention: deleted the data of %d visit(s).", deleted)
