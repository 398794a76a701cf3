import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.accounts.models import User
from openparcours.database import UTCDateTime, enum_column, utcnow
from openparcours.extensions import Model


class MailState(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    # Given up: the server refused it for good, or it could not be delivered for 48 hours.
    FAILED = "failed"
    # Never sent: the address was marked failing when the mail was queued.
    WITHHELD = "withheld"


class OutboxMail(Model):
    """One mail as it goes to the SMTP server, committed with the change that caused it."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # A mail to an account goes with it when the account is deleted: none reaches a removed user.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    user: Mapped[User | None] = relationship()
    subject: Mapped[str] = mapped_column(String(255))
    # The whole message (RFC 5322, CRLF line ends), rendered when it was queued.
    message: Mapped[str] = mapped_column(Text)
    state: Mapped[MailState] = mapped_column(enum_column(MailState), default=MailState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    # While a process delivers the mail, the end of its claim (openparcours/mail/delivery.py).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.state} {self.recipient}>"


class FailingAddress(Model):
    """An address whose server refused it for good (5xx on RCPT): nothing more is sent to it
    until an admin corrects it."""

    __tablename__ = "failing_mail_addresses"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    error: Mapped[str] = mapped_column(String(500))
