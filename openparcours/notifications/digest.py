"""The daily digest: once a day, from the morning on, each user who wants some kinds that way
gets one mail with what came since their last one, and never a second that day."""

import logging
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from openparcours.accounts.models import User
from openparcours.database import local_zone, utcnow
from openparcours.extensions import db
from openparcours.mail.service import queue_mail
from openparcours.notifications.mails import digest_mail
from openparcours.notifications.models import Delivery, Digest, Notification

log = logging.getLogger(__name__)

# Digests go out from this hour of the schools' day on: read over the morning's coffee.
DIGEST_FROM = time(7, 0)


def _waiting():
    """Notifications for a digest that were not mailed nor read in the app yet."""
    return select(Notification).where(
        Notification.delivery == Delivery.digest,
        Notification.mailed_at.is_(None),
        Notification.read_at.is_(None),
    )


def send_digests(now: datetime | None = None) -> int:
    """Mail today's digest to every user who has one waiting and got none today; returns how
    many were mailed."""
    now = now or utcnow()
    local = now.astimezone(local_zone())
    if local.time() < DIGEST_FROM:
        return 0
    today = local.date()
    sent_today = select(Digest.user_id).where(Digest.day == today)
    user_ids = db.session.scalars(
        _waiting()
        .where(Notification.user_id.not_in(sent_today))
        .with_only_columns(Notification.user_id)
        .distinct()
    ).all()
    sent = 0
    for user_id in user_ids:
        user = db.session.get_one(User, user_id)
        notifications = db.session.scalars(
            _waiting().where(Notification.user_id == user_id).order_by(Notification.id)
        ).all()
        # The day's row first: a second digest that day fails on it and sends nothing.
        db.session.add(Digest(user_id=user_id, day=today, sent_at=now))
        queue_mail(user, digest_mail(list(notifications), user, today))
        for notification in notifications:
            notification.mailed_at = now
        try:
            db.session.commit()
        except IntegrityError:  # mailed by another process at the same moment
            db.session.rollback()
            continue
        sent += 1
    return sent


def scheduled_digests() -> None:
    sent = send_digests()
    if sent:
        log.info("Notifications: %d digest(s) mailed.", sent)
