import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.database import UTCDateTime, enum_column, utcnow
from openparcours.extensions import Model
from openparcours.partnerships.models import Partnership, SharedBySides
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit


class PlanStatus(enum.StrEnum):
    planned = "planned"
    agreed = "agreed"
    done = "done"
    dropped = "dropped"


class PlanItem(Model):
    """One item of a partnership's annual plan: what, when, for whom, who on each side."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    # The year it begins: 2026 is the school year 2026/27.
    school_year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    # When: a month (1-12) or a term (Halbjahr 1 or 2), or neither yet.
    month: Mapped[int | None]
    term: Mapped[int | None]
    # For whom: a year group, a class, or both ("7", "7b").
    year_group: Mapped[int | None]
    class_label: Mapped[str] = mapped_column(String(60), default="", server_default="")
    responsible_school: Mapped[str] = mapped_column(String(120), default="", server_default="")
    responsible_institution: Mapped[str] = mapped_column(String(120), default="", server_default="")
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.planned)
    trail_id: Mapped[int | None] = mapped_column(ForeignKey("trails.id", ondelete="SET NULL"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partnership: Mapped[Partnership] = relationship(lazy="joined")
    trail: Mapped[Trail | None] = relationship()
    visit: Mapped[Visit | None] = relationship()


class YearReflection(SharedBySides, Model):
    """Both sides' look back at a school year of their partnership, and the next review."""

    __tablename__ = "plan_reflections"
    __table_args__ = (UniqueConstraint("partnership_id", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    school_year: Mapped[int]
    went_well: Mapped[str] = mapped_column(Text, default="", server_default="")
    changes: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_review_on: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
