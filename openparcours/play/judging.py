"""The server's verdict on each event a team sends, and the points of a task's answers."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update

from openparcours.extensions import db
from openparcours.tasks import registry
from openparcours.trails.service import normalise_code
from openparcours.visits.models import Event, Team


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


def judge(
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


@dataclass(slots=True)
class ScoredEvent:
    """A stored event of a task, as rescoring reads it."""

    id: int
    event_id: str
    station_id: int
    task_id: int | None
    type: str
    client_at: datetime
    correct: bool | None
    credit: float
    points: int
    graded_at: datetime | None


_events = cast(Table, Event.__table__)
_TASK_EVENTS = select(*(_events.c[field] for field in ScoredEvent.__slots__)).where(
    _events.c.team_id == bindparam("team_id"), _events.c.task_id.in_(bindparam("tasks"))
)
_SET_POINTS = (
    update(_events).where(_events.c.id == bindparam("event")).values(points=bindparam("new"))
)


def rescore_tasks(
    team_id: int, tasks: list[dict], new_events: list, stored: list[ScoredEvent] | None = None
) -> int:
    """Points of every answer to these tasks, stored and new, in the order the phone made them.

    New events get their points before they are inserted; stored ones change only if an
    earlier event arrived late. A teacher's grade stands: its points stay, and it finishes the
    task for the answers after it. `stored` may hold the team's events of these tasks (and
    others), read already. Returns how the stored events' points changed in all."""
    db.session.flush()  # a grade being given is read as stored
    by_task: dict[int, list] = {task["id"]: [] for task in tasks}
    if stored is None:
        stored = [
            ScoredEvent(*row)
            for row in db.session.connection().execute(
                _TASK_EVENTS, {"team_id": team_id, "tasks": list(by_task)}
            )
        ]
    stored = [event for event in stored if event.task_id in by_task]
    before = [event.points for event in stored]
    for event in [*stored, *new_events]:
        if event.task_id in by_task:
            by_task[event.task_id].append(event)
    for task in tasks:
        events = sorted(by_task[task["id"]], key=lambda e: (e.client_at, e.event_id))
        _rescore_task(task, events)
    changed = [
        {"event": event.id, "new": event.points}
        for event, points in zip(stored, before, strict=True)
        if event.points != points
    ]
    if changed:
        db.session.connection().execute(_SET_POINTS, changed)
    # Rows changed behind the ORM's back: what it holds of them is read again.
    db.session.expire_all()
    return sum(event.points for event in stored) - sum(before)


def recount_score(team_id: int) -> None:
    """The team's score from its events, after a teacher's grade changed their points."""
    teams, events = cast(Table, Team.__table__), cast(Table, Event.__table__)
    db.session.execute(
        update(teams)
        .where(teams.c.id == team_id)
        .values(
            score=select(func.coalesce(func.sum(events.c.points), 0))
            .where(events.c.team_id == team_id)
            .scalar_subquery()
        )
    )


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
