"""What the teams did, from one grouped query over their events: the live board, the results
and the trails' statistics are all built from it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from server.extensions import db
from server.tasks import registry
from server.visits.models import Event


@dataclass
class Work:
    """What one team did at one task: its answers, hints and points."""

    attempts: int = 0
    hints: int = 0
    points: int = 0
    right: bool = False  # an answer was right (or a teacher accepted it)
    ungraded: bool = False  # an answer has no verdict: a survey, or a photo to grade
    graded: bool = False

    def finished(self, task: dict) -> bool:
        return self.right or self.ungraded or self.graded or self.attempts >= task["max_attempts"]

    def state(self, task: dict) -> str:
        """open, correct, wrong, review (a photo waits for the teacher) or answered (survey)."""
        if not self.attempts:
            return "open"
        if self.right:
            return "correct"
        if self.ungraded:
            return "review" if registry.teacher_grades(task) else "answered"
        return "wrong"


@dataclass
class Activity:
    """Every team's work on every task, and when it was at which station."""

    work: dict[tuple[int, int], Work]  # (team, task)
    checked_in: set[tuple[int, int]]  # (team, station)
    at_station: dict[tuple[int, int], tuple[datetime, datetime]]  # first and last event
    points: dict[int, int]  # team → total
    last_at: dict[int, datetime]  # team → its latest event

    def finished(self, team_id: int, task: dict) -> bool:
        work = self.work.get((team_id, task["id"]))
        return work is not None and work.finished(task)


def activity(*where) -> Activity:
    """One grouped query over the events matching `where`."""
    rows = db.session.execute(
        select(
            Event.team_id,
            Event.station_id,
            Event.task_id,
            Event.type,
            func.count(),
            func.coalesce(func.sum(Event.points), 0),
            func.max(case((Event.correct.is_(True), 1), else_=0)),
            func.max(case((Event.correct.is_(None), 1), else_=0)),
            func.max(case((Event.graded_at.is_not(None), 1), else_=0)),
            func.min(Event.client_at),
            func.max(Event.client_at),
        )
        .where(*where)
        .group_by(Event.team_id, Event.station_id, Event.task_id, Event.type)
    ).all()
    found = Activity({}, set(), {}, {}, {})
    for (
        team_id,
        station_id,
        task_id,
        kind,
        count,
        points,
        right,
        ungraded,
        graded,
        first,
        last,
    ) in rows:
        found.points[team_id] = found.points.get(team_id, 0) + points
        found.last_at[team_id] = max(found.last_at.get(team_id, last), last)
        seen = found.at_station.get((team_id, station_id), (first, last))
        found.at_station[team_id, station_id] = (min(seen[0], first), max(seen[1], last))
        if kind == "checkin":
            found.checked_in.add((team_id, station_id))
            continue
        work = found.work.setdefault((team_id, task_id), Work())
        if kind == "hint":
            work.hints += count
        else:
            work.attempts += count
            work.points += points
            work.right |= bool(right)
            work.ungraded |= bool(ungraded)
            work.graded |= bool(graded)
    return found
