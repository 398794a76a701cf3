"""What the teams did, from one grouped query over their events: the live board, the results
and the trails' statistics are all built from it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from openparcours.database import SecondsBetween
from openparcours.extensions import db
from openparcours.tasks import registry
from openparcours.visits.models import Event, Team


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


def station_is_done(station: dict, checked_in: bool, work_of: Callable[[int], Work | None]) -> bool:
    """Every task of the station finished; a station without tasks (an info station) once
    the team checked in there."""
    if not station["tasks"]:
        return checked_in
    return all(
        (work := work_of(task["id"])) is not None and work.finished(task)
        for task in station["tasks"]
    )


@dataclass(frozen=True)
class EventFacts:
    """What `done_times` needs of an event."""

    station_id: int
    task_id: int | None
    type: str
    correct: bool | None
    graded: bool
    at: datetime


def done_times(stations: Mapping[int, dict], events: Iterable[EventFacts]) -> dict[int, datetime]:
    """When one team was done at each station: the time of the event that finished it."""
    works: dict[int, Work] = {}
    checked_in: set[int] = set()
    done: dict[int, datetime] = {}
    for event in sorted(events, key=lambda e: e.at):
        station = stations.get(event.station_id)
        if station is None or event.station_id in done:
            continue
        if event.type == "checkin":
            checked_in.add(event.station_id)
        elif event.task_id is not None:
            work = works.setdefault(event.task_id, Work())
            if event.type == "hint":
                work.hints += 1
            else:
                work.attempts += 1
                work.right |= event.correct is True
                work.ungraded |= event.correct is None
                work.graded |= event.graded
        if station_is_done(station, event.station_id in checked_in, works.get):
            done[event.station_id] = event.at
    return done


@dataclass
class Activity:
    """Every team's work on every task, and when it was at which station."""

    work: dict[tuple[int, int], Work]  # (team, task)
    checked_in: set[tuple[int, int]]  # (team, station)
    points: dict[int, int]  # team → total
    last_at: dict[int, datetime]  # team → its latest event

    def finished(self, team_id: int, task: dict) -> bool:
        work = self.work.get((team_id, task["id"]))
        return work is not None and work.finished(task)

    def station_done(self, team_id: int, station: dict) -> bool:
        return station_is_done(
            station,
            (team_id, station["id"]) in self.checked_in,
            lambda task_id: self.work.get((team_id, task_id)),
        )

    def stations_done(self, team_id: int, stations: list[dict]) -> int:
        return sum(self.station_done(team_id, station) for station in stations)


@dataclass(frozen=True)
class TeamPoints:
    """A team with its points, dumped as the team with more fields (live board, results,
    ranking)."""

    team: Team
    points: int

    @property
    def id(self) -> int:
        return self.team.id

    @property
    def name(self) -> str:
        return self.team.name

    @property
    def players(self) -> int:
        return self.team.players


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
            func.max(Event.client_at),
        )
        .where(*where)
        .group_by(Event.team_id, Event.station_id, Event.task_id, Event.type)
    ).all()
    found = Activity({}, set(), {}, {})
    for team_id, station_id, task_id, kind, count, points, right, ungraded, graded, last in rows:
        found.points[team_id] = found.points.get(team_id, 0) + points
        found.last_at[team_id] = max(found.last_at.get(team_id, last), last)
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


def _mean(total, count) -> float | None:
    return round(total / count, 2) if count else None


def task_totals(*where) -> dict[int, list]:
    """Per task, the anonymous sums behind its figures, worked out in the database (a trail
    may have a million events): [teams that answered or took a hint, teams that answered,
    judged teams, right ones, attempts, teams that took hints, points]. Sums, so that the
    totals of visits whose data is deleted can be added (`task_figures`)."""
    answer = Event.type == "answer"
    per_team = (
        select(
            Event.task_id,
            func.sum(case((answer, 1), else_=0)).label("attempts"),
            func.sum(case((Event.type == "hint", 1), else_=0)).label("hints"),
            func.coalesce(func.sum(Event.points), 0).label("points"),
            func.max(case((answer & Event.correct.is_(True), 1), else_=0)).label("right"),
            func.max(case((answer & Event.correct.is_(None), 1), else_=0)).label("ungraded"),
        )
        .where(*where, Event.task_id.is_not(None))
        .group_by(Event.team_id, Event.task_id)
        .subquery()
    )
    c = per_team.c
    answered = c.attempts > 0
    judged = answered & ((c.right == 1) | (c.ungraded == 0))
    rows = db.session.execute(
        select(
            c.task_id,
            func.count(),
            func.sum(case((answered, 1), else_=0)),
            func.sum(case((judged, 1), else_=0)),
            func.sum(case((judged & (c.right == 1), 1), else_=0)),
            func.sum(c.attempts),
            func.sum(case((c.hints > 0, 1), else_=0)),
            func.sum(c.points),
        ).group_by(c.task_id)
    )
    return {task_id: [int(value) for value in sums] for task_id, *sums in rows}


def task_figures(totals: dict[int, list]) -> dict[int, dict]:
    """How many answered, the share of judged teams that got it right, mean attempts, the
    share that took hints, mean points."""
    return {
        task_id: {
            "answered": answered,
            "correct_rate": _mean(right, judged),
            "mean_attempts": _mean(attempts, answered),
            "hint_rate": _mean(hinted, touched),
            "mean_points": _mean(points, answered),
        }
        for task_id, (touched, answered, judged, right, attempts, hinted, points) in totals.items()
    }


def station_totals(*where) -> dict[int, list]:
    """Per station: [teams that were there, teams with a time, their seconds in all], the time
    being from a team's first to its last event there (a single event gives none)."""
    per_team = (
        select(
            Event.station_id,
            SecondsBetween(func.max(Event.client_at), func.min(Event.client_at)).label("seconds"),
        )
        .where(*where)
        .group_by(Event.team_id, Event.station_id)
        .subquery()
    )
    timed = per_team.c.seconds > 0
    rows = db.session.execute(
        select(
            per_team.c.station_id,
            func.count(),
            func.sum(case((timed, 1), else_=0)),
            func.coalesce(func.sum(case((timed, per_team.c.seconds), else_=0)), 0),
        ).group_by(per_team.c.station_id)
    )
    return {
        station_id: [int(teams), int(timed_teams), float(seconds)]
        for station_id, teams, timed_teams, seconds in rows
    }


def station_figures(totals: dict[int, list]) -> dict[int, dict]:
    """How many teams were at the station and their mean time there."""
    return {
        station_id: {
            "teams": teams,
            "mean_seconds": None if not timed else round(seconds / timed, 1),
        }
        for station_id, (teams, timed, seconds) in totals.items()
    }


def add_totals(into: dict[int, list], more: dict) -> dict[int, list]:
    """`into` plus `more` (its keys may be strings, as JSON keeps them)."""
    for key, sums in more.items():
        have = into.setdefault(int(key), [0] * len(sums))
        into[int(key)] = [a + b for a, b in zip(have, sums, strict=True)]
    return into
