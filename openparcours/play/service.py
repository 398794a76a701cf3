"""Playing a visit: a team joins with the visit's code, gets its bundle and syncs its events.

Sync is idempotent by the phones' event ids. A task's attempts are ordered by the phone's time
(then event id) and its points are worked out again whenever one of its events arrives, so
answers may arrive in any order. An answer or hint at a station with a check-in counts only
once the server has the team's check-in there (stored, or earlier in the same batch): the
phone's time, which anyone can write, does not decide that. The server judges every event
itself (`judging`); what the phone believed does not count.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import cast

import marshmallow as ma
from flask import current_app
from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from openparcours.database import utcnow
from openparcours.errors import Conflict, Gone, NotAuthenticated, NotFound, field_problems
from openparcours.extensions import db, failure_limiter
from openparcours.media import service as media_service
from openparcours.media.formats import audio_extension
from openparcours.media.models import Media
from openparcours.play.judging import Refused, ScoredEvent, judge, rescore_tasks
from openparcours.play.schemas import load_event
from openparcours.responses import etag_of
from openparcours.tokens import new_token, token_hash
from openparcours.trails import release
from openparcours.trails.models import TrailOrder, TrailVersion
from openparcours.trails.publishing import bundle
from openparcours.trails.service import normalise_code
from openparcours.visits.activity import EventFacts, done_times
from openparcours.visits.messages import PhoneMessage, unread_for_team
from openparcours.visits.models import Event, Team, Visit, events_accepted, new_souvenir_token

# --- The played version: immutable, so each process keeps it once ------------------------


@dataclass(frozen=True)
class Played:
    content: dict
    stations: dict[int, dict]
    tasks: dict[int | None, dict]  # asked for events' task ids, which check-ins have not
    release: dict[int, dict]  # the rules of stations that do not open at once


def played_version(version: TrailVersion) -> Played:
    return _played(version.id, version.published_at)


@lru_cache(maxsize=128)
def _played(version_id: int, published_at: datetime) -> Played:
    # Keyed by the publication time too: a database rebuilt from scratch reuses ids.
    content = db.session.execute(
        select(TrailVersion.content).where(TrailVersion.id == version_id)
    ).scalar_one()
    stations = content["stations"]
    rules = release.effective_rules(stations, content["order"] == TrailOrder.fixed)
    return Played(
        content,
        {s["id"]: s for s in stations},
        {t["id"]: t for s in stations for t in s["tasks"]},
        {s["id"]: rule for s, rule in zip(stations, rules, strict=True) if rule is not None},
    )


# --- Joining -----------------------------------------------------------------------------


def team_name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class VisitSummary:
    """A visit as its teams see it, with the title of the version they play."""

    visit: Visit
    trail_title: str


def visit_summary(visit: Visit) -> VisitSummary:
    return VisitSummary(visit, played_version(visit.version).content["title"])


@dataclass(frozen=True)
class Joined:
    """A new team, its secret token and its visit."""

    team: Team
    token: str
    visit: VisitSummary
    server_time: datetime


def join(code: str, team_name: str, players: int = 1) -> Joined:
    """A new team in the visit with this code, with its secret token.

    Unknown codes count against the client address's budget of failures.
    """
    failure_limiter.check("join")
    now = utcnow()
    code = normalise_code(code)
    visit = db.session.scalar(
        select(Visit).where(Visit.join_code == code).order_by(Visit.ends_at.desc()).limit(1)
    )
    if visit is None:
        failure_limiter.record_failure("join")
        raise NotFound("There is no visit with this code.", code="unknown_code")
    if visit.is_over(now):
        raise Gone("This visit is over.", code="visit_closed")
    if not visit.has_started(now):
        raise Conflict("This visit has not started yet.", code="visit_not_started")
    key = team_name_key(team_name)
    taken = set(db.session.scalars(select(Team.name_key).where(Team.visit_id == visit.id)))
    if key in taken:
        suggestion = next(
            f"{team_name} {n}"
            for n in range(2, len(taken) + 3)
            if team_name_key(f"{team_name} {n}") not in taken
        )
        raise Conflict(
            f"Another team has this name; how about “{suggestion}”?",
            code="team_name_taken",
            errors={"team_name": ["Another team has this name."]},
            params={"suggestion": suggestion},
        )
    token = new_token()
    team = Team(
        visit=visit,
        name=team_name,
        name_key=key,
        players=players,
        token_hash=token_hash(token),
        # What the teacher wrote before the team came was for those who were there.
        messages_read_id=visit.last_message_id or 0,
        souvenir_token=new_souvenir_token() if visit.souvenirs else None,
    )
    db.session.add(team)
    db.session.commit()
    return Joined(team, token, visit_summary(visit), utcnow())


def _token_hash(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated(
            "Send the team token as: Authorization: Bearer <token>.", code="missing_token"
        )
    return token_hash(authorization.removeprefix("Bearer "))


def _invalid_token() -> NotAuthenticated:
    return NotAuthenticated("This team token is not valid.", code="invalid_token")


def team_for_token(authorization: str | None) -> Team:
    team = db.session.scalar(
        select(Team)
        .where(Team.token_hash == _token_hash(authorization))
        # The trail itself comes from `played_version`'s cache, not with every request.
        .options(joinedload(Team.visit).joinedload(Visit.version).defer(TrailVersion.content))
    )
    if team is None:
        raise _invalid_token()
    return team


# --- The bundle --------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamBundle:
    """A version's bundle (`publishing.bundle`) as a team plays it: with its visit, itself,
    and each station's code as a hash."""

    visit: VisitSummary
    team: Team
    version: int
    title: str
    description: str
    language: str
    order: str
    cover: dict | None
    stations: list[dict]


def team_bundle(team: Team) -> TeamBundle:
    """Everything the phone needs to play offline, with station codes as hashes so a scanned
    code can be checked without the network (the server checks it again)."""
    visit = team.visit
    content = played_version(visit.version).content
    played = bundle(content, visit.starts_at, team.created_at)
    codes = {s["id"]: s["code"] for s in content["stations"]}
    for station in played["stations"]:
        station["code_sha256"] = hashlib.sha256(codes[station["id"]].encode()).hexdigest()
    return TeamBundle(visit_summary(visit), team, visit.version.number, **played)


def bundle_etag(team: Team) -> str:
    visit = team.visit
    return etag_of(
        [
            visit.trail_version_id,
            visit.ends_at.isoformat(),
            visit.play_until and visit.play_until.isoformat(),
            visit.show_points,
            visit.share_positions,
            visit.leaderboard,
            team.name,
        ]
    )


# --- Sync --------------------------------------------------------------------------------


# What sync reads of a team and its visit: one statement, built once, no ORM objects.
_teams, _visits, _versions, _events = (
    cast(Table, model.__table__) for model in (Team, Visit, TrailVersion, Event)
)
_SYNCING_TEAM = (
    select(
        _teams.c.id,
        _teams.c.visit_id,
        _teams.c.event_count,
        _teams.c.messages_read_id,
        _teams.c.created_at,
        _visits.c.last_message_id,
        _visits.c.starts_at,
        _visits.c.ends_at,
        _visits.c.play_until,
        _visits.c.share_positions,
        _versions.c.id,
        _versions.c.published_at,
    )
    .select_from(_teams.join(_visits).join(_versions))
    .where(_teams.c.token_hash == bindparam("token_hash"))
    # A team's syncs one after the other (PostgreSQL; SQLite has one writer anyway): each
    # rescoring sees the events of the one before, and the score adds up.
    .with_for_update(of=_teams)
)
# The team's events a batch needs, in one statement: those it sends again, those of its tasks
# (to count and rescore) and its check-ins at its stations (a check-in has no task).
_BATCH_EVENTS = select(*(_events.c[field] for field in ScoredEvent.__slots__)).where(
    _events.c.team_id == bindparam("team_id"),
    or_(_events.c.event_id.in_(bindparam("ids")), _events.c.task_id.in_(bindparam("tasks"))),
)
# Where of the batch's stations the team has checked in: one row per station from the index,
# however often it checked in there (check-ins have no limit of their own).
_CHECKED_IN = (
    select(_events.c.station_id)
    .where(
        _events.c.team_id == bindparam("team_id"),
        _events.c.task_id.is_(None),
        _events.c.station_id.in_(bindparam("stations")),
    )
    .group_by(_events.c.station_id)
)


@dataclass
class NewEvent:
    """An event of this batch, judged and scored before one bulk INSERT stores them all."""

    event_id: str
    visit_id: int
    team_id: int
    type: str
    station_id: int
    task_id: int | None
    answer: object
    position: dict | None
    code: str | None
    client_at: datetime
    received_at: datetime
    correct: bool | None
    credit: float
    points: int = 0


@dataclass
class StoredEvents:
    """How many events a team has, per task and in all, and where it checked in; events of
    the batch are added as they are accepted."""

    checked_in: set[int]
    per_task: dict[int, int]
    total: int

    @classmethod
    def of_team(
        cls, team: "SyncingTeam", stored: list[ScoredEvent], stations: set, tasks: set
    ) -> "StoredEvents":
        """The counts of the batch's tasks, from the team's events the batch needs, and its
        check-ins at the batch's stations; the total is kept on the team."""
        checked_in = db.session.connection().execute(
            _CHECKED_IN, {"team_id": team.id, "stations": list(stations)}
        )
        return cls(
            set(checked_in.scalars()),
            dict(
                Counter(e.task_id for e in stored if e.task_id is not None and e.task_id in tasks)
            ),
            team.event_count,
        )

    def add(self, station_id: int, task_id: int | None, limits: dict) -> None:
        """Count one more event, or raise Refused when the team has stored its share."""
        if self.total >= limits["events"]:
            raise Refused("too_many_team_events", f"At most {limits['events']} events per team.")
        if task_id is None:
            self.checked_in.add(station_id)
        elif self.per_task.get(task_id, 0) >= limits["task_events"]:
            raise Refused("too_many_events", f"At most {limits['task_events']} events per task.")
        else:
            self.per_task[task_id] = self.per_task.get(task_id, 0) + 1
        self.total += 1


@dataclass(frozen=True)
class RefusedEvent:
    """An event the server did not store, and why."""

    id: str | None
    code: str
    message: str


@dataclass(frozen=True)
class InvalidEvent(RefusedEvent):
    """An event that is not one: with each field's problems."""

    errors: dict
    fields: dict


@dataclass(frozen=True)
class EventResult:
    """An acknowledged event as the server judged it."""

    id: str
    type: str
    correct: bool | None
    points: int


@dataclass(frozen=True)
class SyncAnswer:
    acked: list[str]  # stored, now or before
    refused: list[RefusedEvent]
    results: list[EventResult]
    score: int
    messages: list[PhoneMessage]  # the teacher's, not read yet
    server_time: datetime
    play_until: datetime | None


@dataclass(frozen=True)
class SyncingTeam:
    id: int
    visit_id: int
    event_count: int
    messages_read_id: int
    joined_at: datetime
    last_message_id: int | None
    starts_at: datetime
    ends_at: datetime
    play_until: datetime | None
    share_positions: bool
    version_id: int
    published_at: datetime


def syncing_team(authorization: str | None) -> SyncingTeam:
    """The team of a token, as `sync` needs it."""
    row = (
        db.session.connection()
        .execute(_SYNCING_TEAM, {"token_hash": _token_hash(authorization)})
        .first()
    )
    if row is None:
        raise _invalid_token()
    return SyncingTeam(*tuple(row))


def sync(
    team: SyncingTeam,
    events: list,
    position: dict | None = None,
    messages_read: int = 0,
    sent_at: datetime | None = None,
) -> SyncAnswer:
    """Store the new events of a batch, judge them, and answer what was acknowledged and what
    the teacher wrote that the team has not read; keep the phone's position if the visit
    shares positions, and how far the team has read."""
    try:
        return _sync(team, events, position, messages_read, sent_at)
    except IntegrityError:
        # The same event sent twice at the same moment (a retry racing the first attempt):
        # one insert won; the second pass finds its events stored and acknowledges them.
        db.session.rollback()
        return _sync(team, events, position, messages_read, sent_at)


def _sync(
    team: SyncingTeam,
    events: list,
    position: dict | None,
    messages_read: int,
    sent_at: datetime | None,
) -> SyncAnswer:
    now = utcnow()
    # The phone's clock may be off: its events' times are taken by the server's, as far as the
    # phone's clock at sending says; none is later than now.
    offset = now - sent_at if sent_at else timedelta(0)
    if not events_accepted(team.ends_at, now):
        raise Gone("This visit is over; nothing more can be sent.", code="visit_closed")
    connection = db.session.connection()
    played = _played(team.version_id, team.published_at)
    stations, tasks = played.stations, played.tasks
    loaded: list[tuple[str | None, dict | ma.ValidationError]] = []
    for raw in events:
        try:
            event = load_event(raw)
            loaded.append((str(event["id"]), event))
        except ma.ValidationError as error:
            loaded.append((raw.get("id") if isinstance(raw, dict) else None, error))
    valid = [event for _, event in loaded if isinstance(event, dict)]
    sent_ids = {str(event["id"]) for event in valid}
    batch_stations = {event["station_id"] for event in valid}
    batch_tasks = {event["task_id"] for event in valid if event["task_id"] is not None}
    stored_rows = (
        [
            ScoredEvent(*row)
            for row in connection.execute(
                _BATCH_EVENTS,
                {
                    "team_id": team.id,
                    "ids": list(sent_ids),
                    "tasks": list(batch_tasks),
                },
            )
        ]
        if valid
        else []
    )
    known = {
        e.event_id: EventResult(e.event_id, e.type, e.correct, e.points)
        for e in stored_rows
        if e.event_id in sent_ids
    }
    acked: list[str] = []
    refused: list[RefusedEvent] = []
    touched_tasks = set()
    new_events: dict[str, NewEvent] = {}
    team_media: set[int] | None = None
    stored: StoredEvents | None = None
    limits = current_app.config["TEAM_LIMITS"]

    def own_media(media_id: int) -> bool:
        nonlocal team_media
        if team_media is None:  # looked up once, and only for batches with photo answers
            team_media = set(db.session.scalars(select(Media.id).where(Media.team_id == team.id)))
        return media_id in team_media

    def stored_events() -> StoredEvents:
        nonlocal stored
        if stored is None:  # counted once, and only for batches with new events
            stored = StoredEvents.of_team(team, stored_rows, batch_stations, batch_tasks)
        return stored

    for event_id, data in loaded:
        if isinstance(data, ma.ValidationError):
            messages = data.normalized_messages()
            refused.append(
                InvalidEvent(
                    event_id,
                    "invalid_event",
                    "Not a valid event.",
                    errors=messages,
                    fields=field_problems(messages),
                )
            )
            continue
        assert event_id is not None
        if event_id in known or event_id in new_events:
            acked.append(event_id)
            continue
        made_at = min(data["at"] + offset, now)
        if team.play_until and made_at > team.play_until + CLOCK_TOLERANCE:
            refused.append(RefusedEvent(event_id, "time_up", "The game's time was up."))
            continue
        counts = stored_events()
        try:
            correct, credit = judge(data, stations, own_media, counts.checked_in.__contains__)
            counts.add(data["station_id"], data["task_id"], limits)
        except Refused as error:
            refused.append(RefusedEvent(event_id, error.code, error.message))
            continue
        new_events[event_id] = NewEvent(
            event_id=event_id,
            visit_id=team.visit_id,
            team_id=team.id,
            type=data["type"],
            station_id=data["station_id"],
            task_id=data["task_id"],
            answer=data["answer"],
            position=data["position"],
            code=normalise_code(data["code"]) if data["code"] else None,
            client_at=made_at,
            received_at=now,
            correct=correct,
            credit=credit,
        )
        acked.append(event_id)
        if data["task_id"] is not None:
            touched_tasks.add(data["task_id"])
    for event_id in _not_yet_open(team, played, new_events):
        del new_events[event_id]
        acked.remove(event_id)
        refused.append(RefusedEvent(event_id, "station_locked", "This station was not open yet."))
    # Points the batch adds to the team's: its new events', and changes of stored ones.
    gained = 0
    if touched_tasks:
        gained = rescore_tasks(
            team.id,
            [tasks[task_id] for task_id in touched_tasks],
            [*new_events.values()],
            stored=stored_rows,
        )
    if new_events:
        # The events' own dicts, not deep copies: the hot path of a morning peak.
        connection.execute(insert(_events), [vars(e) for e in new_events.values()])
    for new in new_events.values():
        known[new.event_id] = EventResult(new.event_id, new.type, new.correct, new.points)
        gained += new.points
    changes: dict = {
        "last_sync_at": now,
        "score": _teams.c.score + gained,
        "event_count": _teams.c.event_count + len(new_events),
    }
    if position is not None and team.share_positions:
        changes |= {"position": position, "position_at": now}
    # Read up to a message that exists: a phone cannot mark later ones read in advance.
    read = max(team.messages_read_id, min(messages_read, team.last_message_id or 0))
    if read != team.messages_read_id:
        changes["messages_read_id"] = read
    score = connection.execute(
        update(_teams).where(_teams.c.id == team.id).values(changes).returning(_teams.c.score)
    ).scalar_one()
    unread = (
        unread_for_team(team.visit_id, team.id, read) if (team.last_message_id or 0) > read else []
    )
    answer = SyncAnswer(
        acked,
        refused,
        [known[event_id] for event_id in dict.fromkeys(acked)],
        score,
        unread,
        now,
        team.play_until,
    )
    db.session.commit()
    return answer


# The team's events at the stations a rule waits for: when they were done.
_DONE_FACTS = select(
    _events.c.station_id,
    _events.c.task_id,
    _events.c.type,
    _events.c.correct,
    _events.c.graded_at.is_not(None),
    _events.c.client_at,
).where(_events.c.team_id == bindparam("team_id"), _events.c.station_id.in_(bindparam("stations")))
# A phone goes by its own clock, corrected by the offset at its last sync: near enough.
CLOCK_TOLERANCE = timedelta(minutes=1)


def _not_yet_open(team: SyncingTeam, played: Played, new_events: dict[str, "NewEvent"]) -> list:
    """The new events at stations that were not open when the team made them (a phone keeps
    its stations closed by the same rules; one that did not is refused)."""
    locked = [e for e in new_events.values() if e.station_id in played.release]
    if not locked:
        return []
    waited = {
        station for e in locked for station in played.release[e.station_id].get("station_ids", ())
    }
    facts = (
        [
            EventFacts(*row)
            for row in db.session.connection().execute(
                _DONE_FACTS, {"team_id": team.id, "stations": list(waited)}
            )
        ]
        if waited
        else []
    )
    facts += [
        EventFacts(e.station_id, e.task_id, e.type, e.correct, False, e.client_at)
        for e in new_events.values()
        if e.station_id in waited
    ]
    done = done_times(played.stations, facts)
    return [
        e.event_id
        for e in locked
        if not release.is_open(
            release.resolve(played.release[e.station_id], team.starts_at, team.joined_at),
            done,
            e.client_at + CLOCK_TOLERANCE,
        )
    ]


def store_photo(team: Team, data: bytes):
    """A team's photo answer: an image, cleaned like every upload, owned by the team, within
    the team's share of photos and bytes."""
    if not team.visit.accepts_events(utcnow()):
        raise Gone("This visit is over; nothing more can be sent.", code="visit_closed")
    if audio_extension(data):
        raise media_service.UnsupportedMedia("Teams send photos only.", code="photo_only")
    limits = current_app.config["TEAM_LIMITS"]
    photos, size = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Media.size), 0)).where(Media.team_id == team.id)
    ).one()
    if photos >= limits["photos"]:
        raise Conflict(f"At most {limits['photos']} photos per team.", code="too_many_photos")
    if size >= limits["photo_bytes"]:
        raise Conflict(
            f"A team's photos take at most {limits['photo_bytes'] // 2**20} MB.",
            code="photos_too_large",
        )
    media = media_service.store_media(data, None, None, team_id=team.id)
    db.session.commit()
    return media
