from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.accounts.models import User
from openparcours.core.markdown import render
from openparcours.database import UTCDateTime, utcnow
from openparcours.extensions import Model
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import Partnership

# Long enough to fix a typo or add a forgotten file, short enough that an answer written to a
# message still answers what it says.
EDIT_WINDOW = timedelta(minutes=15)


class Message(Model):
    """A message in a partnership's thread, written by a member of one side for that side."""

    __tablename__ = "partnership_messages"
    __table_args__ = (Index("ix_partnership_messages_thread", "partnership_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"))
    # The side the author writes for: the school or the institution.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Kept with the message: the thread still says who wrote when the account is gone.
    author_name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    partnership: Mapped[Partnership] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list["Attachment"]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.id", lazy="selectin"
    )

    @property
    def body_html(self) -> str:
        return render(self.body)

    def editable(self, now: datetime) -> bool:
        """Its author may change it and add files for 15 minutes after writing it."""
        return now - self.created_at < EDIT_WINDOW


class Attachment(Model):
    """A PDF or an image added to a message: served only to those who read the thread."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    file: Mapped[str] = mapped_column(String(80))  # in the media storage, by content hash

    message: Mapped[Message] = relationship(back_populates="attachments")

    @property
    def url(self) -> str:
        return url_for("forum.AttachmentFile", attachment_id=self.id)


class News(Model):
    """An institution's news to its partner schools: a new offer, an exhibition, dates.
    Partners read it at once; the public from `public_from` on, if that is set."""

    __tablename__ = "partner_news"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # Markdown
    link: Mapped[str | None] = mapped_column(String(300))
    happens_on: Mapped[date | None]  # the day it is about: an opening, a workshop
    public_from: Mapped[date | None]  # None: partners only
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    institution: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def text_html(self) -> str:
        return render(self.text)


class ContactHandover(Model):
    """A named contact of one side replaced by a successor, by an admin of that side: the
    agreement's contacts section names the successor from then on."""

    __tablename__ = "contact_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # The contacts as the agreement named them: {"name", "role", "email", "phone"}.
    predecessor: Mapped[dict] = mapped_column(JSON)
    successor: Mapped[dict] = mapped_column(JSON)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handed_over_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    handed_over_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
