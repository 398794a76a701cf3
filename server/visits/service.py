"""Visits and play: opening a visit, teams joining, the bundle, and syncing events.

Sync is idempotent by the phones' event ids. A task's attempts are ordered by the phone's time
(then event id) and its points are worked out again whenever one of its events arrives, so
answers may arrive in any order. An answer or hint at a station with a check-in counts only
once the server has the team's check-in there (stored, or earlier in the same batch): the
phone's time, which anyone can write, does not decide that. The server judges every event
itself; what the phone believed does not count.
"""

import hashlib
import json
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import marshmallow as ma
from flask import current_app
from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from server import policy
from server.accounts.models import User
from server.database import paginate, utcnow
from server.errors import (
    Conflict,
    Gone,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
    field_problems,
)
from server.extensions import db, failure_limiter
from server.media import service as media_service
from server.media.models import Media
from server.organisations.models import Organisation, Role
from server.partnerships.models import Partnership, agreements_in_force
from server.partnerships.service import agreement_for_visit
from server.tasks import registry
from server.trails.models import Trail, TrailVersion, Visibility
from server.trails.service import CODE_ALPHABET, bundle, normalise_code
from server.visits.activity import activity, station_totals, task_totals
from server.visits.models import Event, Team, Visit
from server.visits.schemas import EventInSchema

# Long enough that guessing stays hopeless at the join limit (see RATELIMITS in config).
JOIN_CODE_LENGTH = 8


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- The played version: immutable, so each process keeps it once ------------------------


@dataclass(frozen=True)
class Played:
    content: dict
    stations: dict[int, dict]
    tasks: dict[int, dict]


def played_version(version: TrailVersion) -> Played:
    return _played(version.id, version.published_at)


@lru_cache(maxsize=128)
def _played(version_id: int, published_at: datetime) -> Played:
    # Keyed by the publication time too: a database rebuilt from scratch reuses ids.
    content = db.session.scalar(select(TrailVersion.content).where(TrailVersion.id == version_id))
    return Played(
        content,
        {s["id"]: s for s in content["stations"]},
        {t["id"]: t for s in content["stations"] for t in s["tasks"]},
    )


# --- Visits ------------------------------------------------------------------------------


def _open_visits_with(code: str, now: datetime):
    return select(Visit).where(
        Visit.join_code == code, Visit.closed_at.is_(None), Visit.ends_at > now
    )


def new_join_code(now: datetime) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(_open_visits_with(code, now).limit(1)) is None:
            return code


def open_visit(
    actor: User | None,
    trail: Trail,
    *,
    class_label: str,
    starts_at: datetime,
    ends_at: datetime,
    show_points: bool = True,
    share_positions: bool = False,
    leaderboard: bool = False,
    retention_days: int | None = None,
    school_id: int | None = None,
    agreement_id: int | None = None,
) -> Visit:
    """Open a visit of the trail's latest published version; it belongs to the agreement asked
    for, or to the one agreement in force that offers the trail to the teacher's school."""
    policy.require(actor, "visit.open", trail)
    if trail.latest_version is None:
        raise ValidationFailed(
            "trail_id", "The trail has no published version yet.", code="not_published"
        )
    if ends_at <= starts_at:
        raise ValidationFailed("ends_at", "The visit must end after it starts.")
    # Its data is kept for `retention_days` after its end: a later end would keep it longer.
    longest = current_app.config["MAX_VISIT_DAYS"]
    if ends_at - starts_at > timedelta(days=longest):
        raise ValidationFailed(
            "ends_at",
            f"A visit lasts at most {longest} days.",
            code="visit_too_long",
            params={"max_days": longest},
        )
    maximum = current_app.config["MAX_RETENTION_DAYS"]
    retention_days = maximum if retention_days is None else retention_days
    if retention_days > maximum:
        raise ValidationFailed("retention_days", f"At most {maximum} days.")
    school = _school_of_visit(actor, trail, school_id)
    agreement = agreement_for_visit(trail, school.id if school else None, agreement_id)
    visit = Visit(
        trail=trail,
        version=trail.latest_version,
        agreement_id=agreement.id if agreement else None,
        school_id=school.id if school else None,
        opened_by_id=actor.id,
        class_label=class_label,
        join_code=new_join_code(utcnow()),
        starts_at=starts_at,
        ends_at=ends_at,
        show_points=show_points,
        share_positions=share_positions,
        leaderboard=leaderboard,
        retention_days=retention_days,
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def _school_of_visit(actor: User, trail: Trail, school_id: int | None) -> Organisation | None:
    """The class's school: the one asked for, else the teacher's school that is a partner of
    the trail's institution, else their first school; None for an institution's own group.
    A partners-only trail is played only by a partner school's class."""
    schools = list(
        dict.fromkeys(
            m.organisation
            for m in actor.memberships
            if m.organisation.is_school and m.role in (Role.teacher, Role.admin)
        )
    )
    partners = {
        row.school_id
        for row in db.session.execute(
            agreements_in_force().where(
                Partnership.institution_id == trail.organisation_id,
                Partnership.school_id.in_([s.id for s in schools]),
            )
        )
    }
    if school_id is None:
        return next((s for s in schools if s.id in partners), schools[0] if schools else None)
    school = next((s for s in schools if s.id == school_id), None)
    if school is None:
        raise ValidationFailed("school_id", "You do not teach at this school.")
    offered_to_all = trail.visibility == Visibility.public or policy.can(actor, "trail.edit", trail)
    if not offered_to_all and school.id not in partners:
        raise ValidationFailed("school_id", "This trail is offered to the partner schools only.")
    return school


def list_my_visits(actor: User | None, page: int, page_size: int) -> tuple[list[Visit], int]:
    """The visits I opened for an organisation I still belong to, and as a school admin those
    of my school (the rule `visit.manage`); the latest first."""
    policy.require(actor, "account.use")
    query = select(Visit)
    if not actor.is_site_admin:
        member_of = {m.organisation_id for m in actor.memberships}
        admin_of = {m.organisation_id for m in actor.memberships if m.role == Role.admin}
        home = func.coalesce(Visit.school_id, Trail.organisation_id)
        query = query.join(Visit.trail).where(
            or_(
                and_(Visit.opened_by_id == actor.id, home.in_(member_of)),
                Visit.school_id.in_(admin_of),
            )
        )
    query = query.options(selectinload(Visit.trail)).order_by(
        Visit.starts_at.desc(), Visit.id.desc()
    )
    return paginate(query, page, page_size)


def set_closed(actor: User | None, visit: Visit, closed: bool) -> Visit:
    """Close a visit (no one joins any more), or open it again unless its data is deleted
    (its deletion is for good: new teams would start a period that no one asked for)."""
    policy.require(actor, "visit.manage", visit)
    now = utcnow()
    if closed:
        visit.closed_at = visit.closed_at or now
    elif visit.data_deleted_at is not None:
        raise Conflict(
            "The data of this visit has been deleted; open a new visit.",
            code="visit_data_deleted",
        )
    elif visit.closed_at is not None:
        visit.closed_at = None
        # Codes are unique among open visits only: another may have taken this one meanwhile.
        if db.session.scalar(
            _open_visits_with(visit.join_code, now).where(Visit.id != visit.id).limit(1)
        ):
            visit.join_code = new_join_code(now)
    db.session.commit()
    return visit


def get_visit(actor: User | None, visit_id: int) -> Visit:
    # With its trail: the policy asks for the trail's institution when no school is named.
    visit = db.session.get(Visit, visit_id, options=[joinedload(Visit.trail)])
    if visit is None:
        raise NotFound("There is no such visit.")
    policy.require(actor, "visit.manage", visit)
    return visit


# --- Joining -----------------------------------------------------------------------------


def team_name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def join(code: str, team_name: str, players: int = 1) -> tuple[Team, str]:
    """A new team in the visit with this code; returns the team and its secret token.

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
    if visit.closed_at is not None or visit.ends_at <= now:
        raise Gone("This visit is over.", code="visit_closed")
    if visit.starts_at > now:
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
    token = secrets.token_urlsafe(32)
    team = Team(
        visit=visit, name=team_name, name_key=key, players=players, token_hash=_digest(token)
    )
    db.session.add(team)
    db.session.commit()
    return team, token


def team_for_token(authorization: str | None) -> Team:
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated(
            "Send the team token as: Authorization: Bearer <token>.", code="missing_token"
        )
    team = db.session.scalar(
        select(Team)
        .where(Team.token_hash == _digest(authorization.removeprefix("Bearer ")))
        # The trail itself comes from `played_version`'s cache, not with every request.
        .options(joinedload(Team.visit).joinedload(Visit.version).defer(TrailVersion.content))
    )
    if team is None:
        raise NotAuthenticated("This team token is not valid.", code="invalid_token")
    return team


# --- The bundle --------------------------------------------------------------------------


def team_bundle(team: Team) -> dict:
    """Everything the phone needs to play offline, with station codes as hashes so a scanned
    code can be checked without the network (the server checks it again)."""
    visit = team.visit
    content = played_version(visit.version).content
    played = bundle(content)
    codes = {s["id"]: s["code"] for s in content["stations"]}
    for station in played["stations"]:
        station["code_sha256"] = _digest(codes[station["id"]])
    return {
        "visit": visit_summary(visit),
        "team": {"id": team.id, "name": team.name, "players": team.players},
        "version": visit.version.number,
        **played,
    }


def bundle_etag(team: Team) -> str:
    visit = team.visit
    basis = [visit.trail_version_id, visit.ends_at.isoformat(), visit.show_points,
             visit.share_positions, visit.leaderboard, team.name]  # fmt: skip
    return _digest(json.dumps(basis, default=str))[:32]


def visit_summary(visit: Visit) -> dict:
    return {
        "id": visit.id,
        "trail_title": played_version(visit.version).content["title"],
        "class_label": visit.class_label,
        "starts_at": visit.starts_at,
        "ends_at": visit.ends_at,
        "show_points": visit.show_points,
        "share_positions": visit.share_positions,
        "leaderboard": visit.leaderboard,
    }


# --- Sync --------------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


def _judge(
    event: dict,
    stations: dict[int, dict],
    own_media: Callable[[int], bool],
    checked_in: Callable[[int], bool],
) -> tuple[bool | None, float]:
    """The server's verdict on one event; raises Refused for an event it cannot accept.
    `own_media(id)` says whether an upload is the team's own, `checked_in(station id)` whether
    the team checked in there before this event."""
    station = stations.get(event["station_id"])
    if station is None:
        raise Refused("unknown_station", "This station is not part of the trail.")
    if event["type"] == "checkin":
        if event.get("code"):
            right = normalise_code(event["code"]) == station["code"]
            if not right:
                raise Refused("wrong_code", "This code belongs to another station.")
            return True, 1.0
        if station["checkin"] == "none":
            return True, 1.0
        if station["checkin"] == "qr":
            raise Refused("code_needed", "Check in here with the station's code.")
        position = event.get("position")
        if station["lat"] is None or position is None:
            raise Refused("position_needed", "Check in here with your position or the code.")
        radius = station["radius_m"]
        distance = distance_m(position["lat"], position["lon"], station["lat"], station["lon"])
        if distance > radius + min(position.get("accuracy") or 0, radius):
            raise Refused("too_far", f"Still {round(distance - radius)} m away.")
        return True, 1.0
    task = next((t for t in station["tasks"] if t["id"] == event.get("task_id")), None)
    if task is None:
        raise Refused("unknown_task", "This task is not part of the station.")
    if station["checkin"] != "none" and not checked_in(station["id"]):
        raise Refused("checkin_needed", "Check in at this station first.")
    if event["type"] == "hint":
        if not task["hints"]:
            raise Refused("no_hint", "This task has no hints.")
        return None, 0.0
    try:
        verdict = registry.score(task, event.get("answer"))
    except registry.InvalidAnswer as error:
        raise Refused("invalid_answer", str(error)) from error
    media_id = registry.answer_media(task, event.get("answer"))
    if media_id is not None and not own_media(media_id):
        raise Refused("unknown_media", "This team has not uploaded this photo.")
    return verdict.correct, verdict.credit


def rescore_tasks(team_id: int, tasks: list[dict], new_events: list) -> None:
    """Points of every answer to these tasks, stored and new, in the order the phone made them.

    New events get their points before they are inserted; stored ones change only if an
    earlier event arrived late. A teacher's grade stands: its points stay, and it finishes the
    task for the answers after it."""
    by_task: dict[int, list[Event]] = {task["id"]: [] for task in tasks}
    stored = db.session.scalars(
        select(Event).where(Event.team_id == team_id, Event.task_id.in_(list(by_task)))
    )
    for event in [*stored, *new_events]:
        if event.task_id in by_task:
            by_task[event.task_id].append(event)
    for task in tasks:
        events = sorted(by_task[task["id"]], key=lambda e: (e.client_at, e.event_id))
        _rescore_task(task, events)


def _rescore_task(task: dict, events: list) -> None:
    finished = False
    attempt = 0
    hints_seen = 0
    for event in events:
        if event.type == "hint":
            hints_seen += 1
            continue
        if event.type != "answer":
            continue
        attempt += 1
        if getattr(event, "graded_at", None) is not None:
            finished = True
            continue
        event.points = 0
        if finished:
            continue
        last = attempt >= task["max_attempts"]
        if event.correct or event.correct is None or last:
            event.points = registry.points_awarded(task, event.credit, attempt, hints_seen)
            finished = True


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
    def of_team(cls, team_id: int) -> "StoredEvents":
        """One grouped query: a check-in is the only event without a task."""
        rows = db.session.execute(
            select(Event.station_id, Event.task_id, func.count())
            .where(Event.team_id == team_id)
            .group_by(Event.station_id, Event.task_id)
        ).all()
        return cls(
            {station for station, task, _ in rows if task is None},
            {task: n for _, task, n in rows if task is not None},
            sum(n for *_, n in rows),
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


def sync(team: Team, events: list, position: dict | None = None) -> dict:
    """Store the new events of a batch, judge them, and answer what was acknowledged; keep the
    phone's position if the visit shares positions."""
    try:
        return _sync(team, events, position)
    except IntegrityError:
        # The same event sent twice at the same moment (a retry racing the first attempt):
        # one insert won; the second pass finds its events stored and acknowledges them.
        db.session.rollback()
        return _sync(team, events, position)


def _sync(team: Team, events: list, position: dict | None = None) -> dict:
    now = utcnow()
    visit = team.visit
    if visit.ends_at + current_app.config["SYNC_GRACE"] <= now:
        raise Gone("This visit is over; nothing more can be sent.", code="visit_closed")
    played = played_version(visit.version)
    stations, tasks = played.stations, played.tasks
    sent_ids = [str(e.get("id")) for e in events if isinstance(e, dict)]
    known: dict[str, Event | NewEvent] = {
        e.event_id: e
        for e in db.session.scalars(
            select(Event).where(Event.team_id == team.id, Event.event_id.in_(sent_ids))
        )
    }
    acked, refused, touched_tasks = [], [], set()
    new_events: list[NewEvent] = []
    schema = EventInSchema()
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
        if stored is None:  # looked up once, and only for batches with new events
            stored = StoredEvents.of_team(team.id)
        return stored

    for raw in events:
        event_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            data = schema.load(raw)
        except ma.ValidationError as error:
            refused.append(
                {
                    "id": event_id,
                    "code": "invalid_event",
                    "message": "Not a valid event.",
                    "errors": error.normalized_messages(),
                    "fields": field_problems(error.normalized_messages()),
                }
            )
            continue
        event_id = str(data["id"])
        if event_id in known:
            acked.append(event_id)
            continue
        counts = stored_events()
        try:
            correct, credit = _judge(data, stations, own_media, counts.checked_in.__contains__)
            counts.add(data["station_id"], data.get("task_id"), limits)
        except Refused as error:
            refused.append({"id": event_id, "code": error.code, "message": error.message})
            continue
        event = NewEvent(
            event_id=event_id,
            visit_id=visit.id,
            team_id=team.id,
            type=data["type"],
            station_id=data["station_id"],
            task_id=data.get("task_id"),
            answer=data.get("answer"),
            position=data.get("position"),
            code=normalise_code(data["code"]) if data.get("code") else None,
            client_at=data["at"],
            received_at=now,
            correct=correct,
            credit=credit,
        )
        new_events.append(event)
        known[event_id] = event
        acked.append(event_id)
        if event.task_id is not None:
            touched_tasks.add(event.task_id)
    if touched_tasks:
        rescore_tasks(team.id, [tasks[task_id] for task_id in touched_tasks], new_events)
    if new_events:
        # Core, not the ORM's bulk insert, and the events' own dicts, not deep copies: the
        # hot path of a morning peak.
        db.session.execute(insert(Event.__table__), [vars(e) for e in new_events])
    db.session.flush()
    # Read everything before the commit, which would expire the objects and reload each one.
    answer = {
        "acked": acked,
        "refused": refused,
        "results": [
            {"id": event_id, "type": e.type, "correct": e.correct, "points": e.points}
            for event_id, e in ((i, known[i]) for i in dict.fromkeys(acked))
        ],
        "score": team_score(team),
    }
    team.last_sync_at = now
    if position is not None and visit.share_positions:
        team.position, team.position_at = position, now
    db.session.commit()
    return answer


def team_score(team: Team) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Event.points), 0)).where(Event.team_id == team.id)
    )


def store_photo(team: Team, data: bytes):
    """A team's photo answer: an image, cleaned like every upload, owned by the team, within
    the team's share of photos and bytes."""
    if team.visit.ends_at + current_app.config["SYNC_GRACE"] <= utcnow():
        raise Gone("This visit is over; nothing more can be sent.", code="visit_closed")
    if media_service.audio_extension(data):
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


# --- The live board ----------------------------------------------------------------------

SILENT_AFTER = timedelta(minutes=5)


def live_board(actor: User | None, visit: Visit) -> dict:
    """Each team's state at each station, its points and how long it has been silent.

    States: `open` (not reached), `checked_in`, `done` (see `Activity.station_done`), `review`
    (done, with a photo waiting for the teacher). Built from one grouped query over the events.
    """
    policy.require(actor, "visit.manage", visit)
    return _board(visit)


def _board(visit: Visit) -> dict:
    played = played_version(visit.version)
    now = utcnow()
    teams = db.session.scalars(
        select(Team).where(Team.visit_id == visit.id).order_by(Team.created_at, Team.id)
    ).all()
    found = activity(Event.visit_id == visit.id)

    def state(team: Team, station: dict) -> str:
        tasks = station["tasks"]
        if found.station_done(team.id, station):
            waiting = any(found.work[team.id, task["id"]].state(task) == "review" for task in tasks)
            return "review" if waiting else "done"
        if (team.id, station["id"]) in found.checked_in or any(
            (team.id, task["id"]) in found.work for task in tasks
        ):
            return "checked_in"
        return "open"

    return {
        "stations": [{"id": s["id"], "title": s["title"]} for s in played.content["stations"]],
        "teams": [
            {
                "id": team.id,
                "name": team.name,
                "players": team.players,
                "points": found.points.get(team.id, 0),
                "last_sync_at": team.last_sync_at,
                "last_seen_at": team.last_sync_at or team.created_at,
                "silent": (team.last_sync_at or team.created_at) < now - SILENT_AFTER,
                "position": team.position | {"at": team.position_at}
                if visit.share_positions and team.position
                else None,
                "stations": [state(team, s) for s in played.content["stations"]],
            }
            for team in teams
        ],
    }


def live_etag(visit: Visit) -> str:
    """Changes with every event, team, position and grade, and each minute (for the times
    since each team's last sync)."""
    latest = db.session.execute(
        select(
            func.max(Event.id),
            func.max(Event.graded_at),
            func.count(Team.id.distinct()),
            func.max(Team.position_at),
        )
        .select_from(Team)
        .outerjoin(Event, Event.team_id == Team.id)
        .where(Team.visit_id == visit.id)
    ).one()
    minute = utcnow().replace(second=0, microsecond=0).isoformat()
    return _digest(json.dumps([visit.id, *latest, minute], default=str))[:32]


# --- Deleting a visit's data -------------------------------------------------------------


def anonymous_counts(visit: Visit) -> dict:
    """The anonymous counts that outlive the data: for the partnership's documentation."""
    teams = _board(visit)["teams"]
    finished = [t for t in teams if all(state in ("done", "review") for state in t["stations"])]
    return {
        "teams": len(teams),
        "players": sum(t["players"] for t in teams),
        "completed_teams": len(finished),
        "mean_points": round(sum(t["points"] for t in teams) / len(teams), 1) if teams else 0,
    }


def delete_visit_data(actor: User | None, visit: Visit) -> Visit:
    """Delete teams, events and photos now; keep the anonymous counts. `actor` None is the
    retention job."""
    if actor is not None:
        policy.require(actor, "visit.manage", visit)
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
        if visit.ends_at + timedelta(days=visit.retention_days) <= now
    ]
    for visit in due:
        delete_visit_data(None, visit)
    return len(due)
