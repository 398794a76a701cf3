"""Notifications: what a user is told in the app's list "Benachrichtigungen", and by mail as
they chose per kind (at once, in a daily digest, or not at all)."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from openparcours.database import UTCDateTime, enum_column, utcnow
from openparcours.extensions import Model


class Kind(enum.StrEnum):
    agreement_proposed = "agreement_proposed"  # for my side's signature
    agreement_signed = "agreement_signed"  # by the other side
    agreement_in_force = "agreement_in_force"
    agreement_review_due = "agreement_review_due"  # in 30 days
    agreement_ending = "agreement_ending"  # in 90 days
    member_joined = "member_joined"  # a colleague who was invited
    grading_waiting = "grading_waiting"  # an hour after a visit ended
    data_deletion = "data_deletion"  # of a visit, in 7 days
    forum_message = "forum_message"
    partner_news = "partner_news"
    practice_shared = "practice_shared"  # the other side consents to share good practice


class Delivery(enum.StrEnum):
    at_once = "at_once"
    digest = "digest"
    in_app = "in_app"


# Signatures and deletions need someone to act before it is too late: they are mailed at once.
DEFAULT_DELIVERY = {
    kind: Delivery.at_once
    if kind
    in (
        Kind.agreement_proposed,
        Kind.agreement_signed,
        Kind.agreement_in_force,
        Kind.data_deletion,
    )
    else Delivery.digest
    for kind in Kind
}


class Notification(Model):
    """One thing one user is told. `params` fill the kind's text (names, dates, counts: never
    a student's data); `link` is the page of the app it is about."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_digest", "delivery", "mailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300))
    # How it reaches the user by mail, as they wanted it when it came.
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # alone or in a digest


class NotificationPreference(Model):
    """A user's choice for one kind; without a row the kind's default holds."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[Kind] = mapped_column(enum_column(Kind), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery))


class Reminder(Model):
    """A reminder the schedule has given (e.g. "grading:visit:12"): each is given once, even
    when the job runs again or in several processes."""

    __tablename__ = "notification_reminders"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Digest(Model):
    """The daily digest mailed to a user on a day: one a day, never two."""

    __tablename__ = "notification_digests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
