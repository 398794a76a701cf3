from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.database import UTCDateTime, utcnow
from server.extensions import db
from server.organisations.models import Organisation


class Partnership(db.Model):
    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("school_id", "institution_id"),
        CheckConstraint("school_id <> institution_id", name="two_parties"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school: Mapped[Organisation] = relationship(foreign_keys=[school_id], lazy="joined")
    institution: Mapped[Organisation] = relationship(foreign_keys=[institution_id], lazy="joined")
