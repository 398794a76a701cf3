import enum
from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.core.markdown import render
from openparcours.curriculum.tables import media_competence_names
from openparcours.database import UTCDateTime, enum_column, utcnow
from openparcours.extensions import Model
from openparcours.media.models import Media
from openparcours.organisations.models import Organisation


class TrailOrder(enum.StrEnum):
    fixed = "fixed"
    free = "free"
    random = "random"


class Visibility(enum.StrEnum):
    partners = "partners"  # offered to partner schools only
    public = "public"  # also in the public catalogue


class Checkin(enum.StrEnum):
    none = "none"
    gps = "gps"
    qr = "qr"
    gps_qr = "gps_qr"  # GPS, with the QR code as fallback indoors


def offered_tags(trail: dict) -> dict:
    """What a trail teaches, as its draft or a published version names it (a dict with its
    "stations"): the trail's subjects and then its stations', each once; its year groups; the
    media competences of trail and stations in the table's order, [{"key", "name"}]."""
    stations = trail.get("stations") or []
    subjects = [
        *(trail.get("subjects") or []),
        *(s for st in stations for s in st.get("subjects") or []),
    ]
    keys = {
        *(trail.get("media_competences") or []),
        *(k for st in stations for k in st.get("media_competences") or []),
    }
    return {
        "subjects": list(dict.fromkeys(subjects)),
        "grades": sorted(trail.get("grades") or []),
        "media_competences": [
            {"key": key, "name": name}
            for key, name in media_competence_names().items()
            if key in keys
        ],
    }


class Trail(Model):
    """The draft of a trail; publishing freezes it into a `TrailVersion`."""

    __tablename__ = "trails"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    grades: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Keys of the Medienkompetenzrahmen NRW ("2.1"), see openparcours.curriculum.
    media_competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"text", "url"}: where the trail meets the Kernlehrplan, in the author's words.
    curriculum_reference: Mapped[dict | None] = mapped_column(JSON)
    duration_minutes: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(8), default="de")
    cover_media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    cover_alt: Mapped[str | None] = mapped_column(String(300))
    order: Mapped[TrailOrder] = mapped_column(enum_column(TrailOrder), default=TrailOrder.fixed)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.partners
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    cover: Mapped[Media | None] = relationship()
    stations: Mapped[list["Station"]] = relationship(
        back_populates="trail", order_by="Station.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list["TrailVersion"]] = relationship(
        back_populates="trail", order_by="TrailVersion.number", cascade="all, delete-orphan"
    )
    # Set for one answer, never stored: whether it is shown as to readers who do not author it,
    # and what importing it changed.
    for_readers: bool = False
    import_warnings: Sequence[dict] = ()

    @property
    def cover_url(self) -> str | None:
        """The cover's thumbnail (or the image, if it has none)."""
        return (self.cover.thumbnail_url or self.cover.url) if self.cover else None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def station_count(self) -> int:
        return len(self.stations)

    @property
    def tags(self) -> dict:
        """The draft's `offered_tags` (stations loaded)."""
        return offered_tags(
            {
                "subjects": self.subjects,
                "grades": self.grades,
                "media_competences": self.media_competences,
                "stations": [
                    {"subjects": s.subjects, "media_competences": s.media_competences}
                    for s in self.stations
                ],
            }
        )

    @property
    def latest_version(self) -> "TrailVersion | None":
        return self.versions[-1] if self.versions else None

    @property
    def unpublished_changes(self) -> bool:
        latest = self.latest_version
        return latest is None or self.updated_at > latest.published_at


class Station(Model):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    trail_id: Mapped[int] = mapped_column(ForeignKey("trails.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # [{"media_id", "alt"}]: images need an alt text, audio a short description.
    media: Mapped[list[dict]] = mapped_column(JSON, default=list)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    radius_m: Mapped[int] = mapped_column(default=30)
    checkin: Mapped[Checkin] = mapped_column(enum_column(Checkin), default=Checkin.none)
    # What this station adds to the trail's subjects and media competences.
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    media_competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Printed under the station's QR code and inside it (as `qr_url`).
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    trail: Mapped[Trail] = relationship(back_populates="stations")
    tasks: Mapped[list["Task"]] = relationship(
        back_populates="station", order_by="Task.position", cascade="all, delete-orphan"
    )

    @property
    def content_html(self) -> str:
        return render(self.content)

    @property
    def qr_url(self) -> str:
        """What the station's QR code holds: a phone's camera opens the app there, which checks
        the team in."""
        return f"{current_app.config['PUBLIC_URL']}/q/{self.code}"


class Task(Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
    prompt: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(default=10)
    hints: Mapped[list[dict]] = mapped_column(JSON, default=list)
    max_attempts: Mapped[int] = mapped_column(default=2)
    feedback_correct: Mapped[str | None] = mapped_column(Text)
    feedback_wrong: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict] = mapped_column(JSON, default=dict)

    station: Mapped[Station] = relationship(back_populates="tasks")


class TrailVersion(Model):
    """An immutable snapshot of a trail as published; visits pin one."""

    __tablename__ = "trail_versions"
    __table_args__ = (UniqueConstraint("trail_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trail_id: Mapped[int] = mapped_column(ForeignKey("trails.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Deferred: lists of versions and visits need the number, not the whole trail.
    content: Mapped[dict] = mapped_column(JSON, deferred=True)

    trail: Mapped[Trail] = relationship(back_populates="versions")
    for_readers: bool = False  # not stored, as on Trail
