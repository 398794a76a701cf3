from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.database import UTCDateTime, utcnow
from openparcours.extensions import Model
from openparcours.tokens import new_token
from openparcours.trails.models import Trail, TrailVersion


def events_accepted(ends_at: datetime, now: datetime) -> bool:
    """Whether a visit ending at `ends_at` takes events: phones that were offline at the end
    may still send what they recorded, for a while (SYNC_GRACE); the teacher closing the visit
    does not cut them off."""
    return now < ends_at + current_app.config["SYNC_GRACE"]


class Visit(Model):
    """A class playing one published version of a trail within a time window."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    trail_id: Mapped[int] = mapped_column(ForeignKey("trails.id", ondelete="CASCADE"), index=True)
    trail_version_id: Mapped[int] = mapped_column(
        ForeignKey("trail_versions.id", ondelete="CASCADE")
    )
    # The school of the class, when a teacher opened it; None for an institution's own group.
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The cooperation agreement the visit is part of, for the partnership's documentation.
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="SET NULL"), index=True
    )
    class_label: Mapped[str] = mapped_column(String(60))
    join_code: Mapped[str] = mapped_column(String(12), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The game's end ("Spielende"): phones count down to it and then take no more answers;
    # what a team did before still counts when it arrives later.
    play_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    show_points: Mapped[bool] = mapped_column(default=True)
    # The teacher sees where teams are on the live board only if the visit says so (and the
    # phones tell the students); positions go with the teams when the data is deleted.
    share_positions: Mapped[bool] = mapped_column(default=False, server_default=false())
    leaderboard: Mapped[bool] = mapped_column(default=False)
    # Each team gets a souvenir page for home, with what the teacher approves for it.
    souvenirs: Mapped[bool] = mapped_column(default=False, server_default=false())
    retention_days: Mapped[int] = mapped_column(default=30)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Teams, events and photos are deleted after the retention period (or at once, on the
    # teacher's request); only these anonymous counts stay, for partnership reports.
    data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[dict | None] = mapped_column(JSON)
    # The latest message to the phones: a sync looks for messages only when a team has not
    # read up to it.
    last_message_id: Mapped[int | None]

    trail: Mapped[Trail] = relationship()
    version: Mapped[TrailVersion] = relationship(lazy="joined")

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    @hybrid_method
    def is_over(self, now: datetime) -> bool:
        """Closed by the teacher or past its end: no team joins any more, the ranking shows."""
        return self.closed_at is not None or self.ends_at <= now

    # .expression changes the hybrid in place; .inplace, the same object, is mistyped in SQLAlchemy.
    @is_over.expression
    @classmethod
    def _is_over_in_sql(cls, now: datetime) -> ColumnElement[bool]:
        return or_(cls.closed_at.is_not(None), cls.ends_at <= now)

    def accepts_events(self, now: datetime) -> bool:
        return events_accepted(self.ends_at, now)

    @property
    def deletes_data_at(self) -> datetime:
        """The data is kept for `retention_days` after the visit's end."""
        return self.ends_at + timedelta(days=self.retention_days)

    def retention_over(self, now: datetime) -> bool:
        return self.deletes_data_at <= now

    @property
    def join_url(self) -> str:
        return f"{current_app.config['PUBLIC_URL']}/j/{self.join_code}"


def new_souvenir_token() -> str:
    """16 random bytes: 128 bits, 22 characters in the page's address."""
    return new_token(16)


class Team(Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("visit_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    # The name as compared: "Die Füchse" and "die füchse " are the same team name. Casefolding
    # writes up to three letters for one ("ß" is "ss").
    name_key: Mapped[str] = mapped_column(String(120))
    players: Mapped[int] = mapped_column(default=1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last position the phone reported, in visits that share positions: {lat, lon, accuracy}.
    position: Mapped[dict | None] = mapped_column(JSON)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The sum of its events' points and their number, kept with every sync (and grade), so a
    # sync costs the same however much the team has sent before.
    score: Mapped[int] = mapped_column(default=0, server_default="0")
    event_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The team has read the messages up to this one (message ids grow).
    messages_read_id: Mapped[int] = mapped_column(default=0, server_default="0")
    # The unguessable part of its souvenir page's address, in visits with souvenirs; printed
    # on its certificate and the letter to parents, so kept as it is (it opens nothing else).
    souvenir_token: Mapped[str | None] = mapped_column(String(32), unique=True)

    visit: Mapped[Visit] = relationship(lazy="joined")

    @property
    def souvenir_url(self) -> str | None:
        if not self.visit.souvenirs or self.souvenir_token is None:
            return None
        return f"{current_app.config['PUBLIC_URL']}/s/{self.souvenir_token}"

    @property
    def last_seen_at(self) -> datetime:
        """Its last sync, or its joining if it has sent nothing."""
        return self.last_sync_at or self.created_at


class Event(Model):
    """A check-in, an answer or a hint of a team, as the phone made it and the server judged."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("team_id", "event_id"),
        Index("ix_events_visit_task", "visit_id", "task_id"),
        # A sync reads a team's events of the tasks and check-ins (no task) of its batch.
        Index("ix_events_team_task_station", "team_id", "task_id", "station_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))  # the phone's UUID: makes sync idempotent
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(8))  # checkin | answer | hint
    station_id: Mapped[int]
    task_id: Mapped[int | None]
    # JSON in the shape its task's type reads.
    answer: Mapped[Any] = mapped_column(JSON, nullable=True)
    position: Mapped[dict | None] = mapped_column(JSON)
    code: Mapped[str | None] = mapped_column(String(16))
    client_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    correct: Mapped[bool | None]
    credit: Mapped[float] = mapped_column(default=0.0)
    points: Mapped[int] = mapped_column(default=0)
    # A teacher's grade of a photo or text answer: it sets `correct` and `points`, which
    # rescoring then leaves alone.
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    grade_comment: Mapped[str | None] = mapped_column(String(500))
    # The teacher shows this photo or answer on the team's souvenir page: who and when.
    souvenir_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    souvenir_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def graded(self) -> bool:
        return self.graded_at is not None

    @property
    def on_souvenir(self) -> bool:
        return self.souvenir_at is not None


class VisitMessage(Model):
    """A teacher's message to the phones of a visit: to every team, or to one."""

    __tablename__ = "visit_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship()
