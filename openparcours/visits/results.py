"""A visit's results for its teacher, grading by the teacher, the anonymous counts that
outlive a visit's data, and anonymous task statistics of a trail for its authors.

Everything comes from a fixed number of queries, however many teams and tasks: the teams, the
events grouped by team, station, task and kind, and the single answers of the tasks a teacher
grades (with their photos). The grouped events also make the live board.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.errors import Conflict, Gone, NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.play.judging import recount_score, rescore_tasks
from openparcours.play.service import Played, played_version
from openparcours.tasks import registry
from openparcours.trails.models import Trail
from openparcours.visits.activity import (
    Activity,
    TeamPoints,
    Work,
    activity,
    add_totals,
    station_figures,
    station_totals,
    task_figures,
    task_totals,
)
from openparcours.visits.models import Event, Team, Visit


def _tasks(played: Played) -> list[dict]:
    """The tasks in playing order, each with its station and its label (station.task)."""
    return [
        task | {"station_id": station["id"], "label": f"{s}.{t}"}
        for s, station in enumerate(played.content["stations"], 1)
        for t, task in enumerate(station["tasks"], 1)
    ]


@dataclass(frozen=True)
class StationFigures:
    """A station of the played version: how many teams were there, their mean time there."""

    id: int
    title: str
    teams: int = 0
    mean_seconds: float | None = None


@dataclass(frozen=True)
class TaskFigures:
    """A task of the played version with its anonymous figures (see `task_figures`)."""

    id: int
    station_id: int
    label: str
    type: str
    prompt: str
    points: int
    teacher_grades: bool
    answered: int = 0
    correct_rate: float | None = None
    mean_attempts: float | None = None
    hint_rate: float | None = None
    mean_points: float | None = None


@dataclass(frozen=True)
class Figures:
    stations: list[StationFigures]
    tasks: list[TaskFigures]


def _figures(played: Played, stations_sums: dict, tasks_sums: dict) -> Figures:
    """Per station and per task of the played version: anonymous figures from the sums of
    `station_totals` and `task_totals`."""
    stations, tasks = station_figures(stations_sums), task_figures(tasks_sums)
    return Figures(
        [
            StationFigures(station["id"], station["title"], **stations.get(station["id"], {}))
            for station in played.content["stations"]
        ],
        [
            TaskFigures(
                task["id"],
                task["station_id"],
                task["label"],
                task["type"],
                task["prompt"],
                task["points"],
                registry.teacher_grades(task),
                **tasks.get(task["id"], {}),
            )
            for task in _tasks(played)
        ],
    )


# --- A visit's results --------------------------------------------------------------------


def require_data(visit: Visit) -> None:
    if visit.data_deleted_at is not None:
        raise Gone("The data of this visit has been deleted.", code="visit_data_deleted")


@dataclass(frozen=True)
class TaskWork:
    """A cell of the results' team × task matrix: what the team did at the task."""

    work: Work
    task: dict

    @property
    def state(self) -> str:
        return self.work.state(self.task)


@dataclass(frozen=True)
class ResultTeam(TeamPoints):
    rank: int
    stations_done: int
    last_at: datetime | None  # its latest event
    tasks: list[TaskWork]  # in playing order


@dataclass(frozen=True)
class AnswerToGrade:
    """A photo or text answer, with what a teacher needs to grade it."""

    event: Event
    team_name: str


@dataclass(frozen=True)
class PhotoAnswer(AnswerToGrade):
    media: Media | None  # None once the photo is gone

    @property
    def url(self) -> str | None:
        return self.media.url if self.media else None

    @property
    def thumbnail_url(self) -> str | None:
        return self.media.thumbnail_url if self.media else None


@dataclass(frozen=True)
class TextAnswer(AnswerToGrade):
    text: str


@dataclass(frozen=True)
class TextGroup:
    """Answers to one task that say the same, in the words of the first."""

    text: str
    answers: list[TextAnswer]


@dataclass(frozen=True)
class TextAnswers:
    task_id: int
    groups: list[TextGroup]  # most often given first


@dataclass(frozen=True)
class Results(Figures):
    visit: Visit
    teams: list[ResultTeam]  # most points first
    photos: list[PhotoAnswer]
    texts: list[TextAnswers]


def visit_results(actor: User, visit: Visit) -> Results:
    """Ranking, the team × task matrix, per-task and per-station figures, free-text answers
    grouped per task and the photos, each answer with what a teacher needs to grade it."""
    policy.require(actor, "visit.manage", visit)
    require_data(visit)
    played = played_version(visit.version)
    teams = db.session.scalars(
        select(Team).where(Team.visit_id == visit.id).order_by(Team.created_at, Team.id)
    ).all()
    found = activity(Event.visit_id == visit.id)
    tasks = _tasks(played)
    of_visit = Event.visit_id == visit.id
    figures = _figures(played, station_totals(of_visit), task_totals(of_visit))
    photos, texts = _answers_to_grade(visit, tasks, {team.id: team.name for team in teams})
    return Results(
        figures.stations,
        figures.tasks,
        visit=visit,
        teams=[
            ResultTeam(
                team,
                points=found.points.get(team.id, 0),
                rank=rank,
                stations_done=found.stations_done(team.id, played.content["stations"]),
                last_at=found.last_at.get(team.id),
                tasks=[
                    TaskWork(found.work.get((team.id, task["id"]), Work()), task) for task in tasks
                ],
            )
            for rank, team in _ranked(teams, found)
        ],
        photos=photos,
        texts=texts,
    )


def anonymous_counts(visit: Visit) -> dict:
    """The anonymous counts that outlive the data: for the partnership's documentation. A team
    completed the trail when it is done at every station."""
    stations = played_version(visit.version).content["stations"]
    teams = db.session.scalars(select(Team).where(Team.visit_id == visit.id)).all()
    found = activity(Event.visit_id == visit.id)
    points = sum(found.points.get(team.id, 0) for team in teams)
    return {
        "teams": len(teams),
        "players": sum(team.players for team in teams),
        "completed_teams": sum(
            found.stations_done(team.id, stations) == len(stations) for team in teams
        ),
        "mean_points": round(points / len(teams), 1) if teams else 0,
    }


def _ranked(teams: Sequence[Team], found: Activity) -> list[tuple[int, Team]]:
    """The teams with their ranks, best first. Equal points share a rank; the team that was
    done first comes first in the list."""
    points = {team.id: found.points.get(team.id, 0) for team in teams}
    now = utcnow()
    best_first = sorted(
        teams, key=lambda team: (-points[team.id], found.last_at.get(team.id) or now, team.id)
    )
    return [(1 + sum(p > points[team.id] for p in points.values()), team) for team in best_first]


@dataclass(frozen=True)
class RankedTeam(TeamPoints):
    rank: int
    own: bool  # the team asking


@dataclass(frozen=True)
class Ranking:
    teams: list[RankedTeam]  # best first
    show_points: bool


def team_ranking(team: Team) -> Ranking:
    """The ranking a team sees on its phone once the visit is over, if the visit has one."""
    visit = team.visit
    if not visit.leaderboard:
        raise NotFound("This visit shows no ranking.", code="no_ranking")
    if not visit.is_over(utcnow()):
        raise Conflict("The ranking shows when the visit is over.", code="visit_running")
    teams = db.session.scalars(select(Team).where(Team.visit_id == visit.id)).all()
    found = activity(Event.visit_id == visit.id)
    return Ranking(
        [
            RankedTeam(other, found.points.get(other.id, 0), rank=rank, own=other.id == team.id)
            for rank, other in _ranked(teams, found)
        ],
        show_points=visit.show_points,
    )


def _answers_to_grade(
    visit: Visit, tasks: list[dict], team_names: dict[int, str]
) -> tuple[list[PhotoAnswer], list[TextAnswers]]:
    """Photos per task and team, and text answers grouped per task by what they say."""
    gradable = {task["id"]: task for task in tasks if registry.teacher_grades(task)}
    answers = db.session.execute(
        select(Event)
        .where(
            Event.visit_id == visit.id,
            Event.type == "answer",
            Event.task_id.in_(list(gradable)),
        )
        .order_by(Event.client_at, Event.id)
    ).scalars()
    photo_events: list[Event] = []
    texts: dict[int, dict[object, list[TextAnswer]]] = {}
    for event in answers:
        task = gradable[event.task_id]
        if task["type"] == "photo":
            photo_events.append(event)
            continue
        text = registry.answer_text(task, event.answer)
        texts.setdefault(task["id"], {}).setdefault(
            registry.answer_key(task, event.answer), []
        ).append(TextAnswer(event, team_names.get(event.team_id, ""), text))
    files = {
        media.id: media
        for media in db.session.scalars(
            select(Media).where(Media.id.in_({e.answer.get("media_id") for e in photo_events}))
        )
    }
    photos = [
        PhotoAnswer(
            event, team_names.get(event.team_id, ""), files.get(event.answer.get("media_id"))
        )
        for event in photo_events
    ]
    return photos, [
        TextAnswers(
            task_id,
            sorted(
                (TextGroup(same[0].text, same) for same in groups.values()),
                key=lambda group: -len(group.answers),
            ),
        )
        for task_id, groups in texts.items()
    ]


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a team, as its teacher reads it."""

    event: Event
    station_title: str
    task_label: str | None
    task_prompt: str | None
    answer: str | None  # as people read it
    photo_url: str | None


@dataclass(frozen=True)
class Timeline:
    team: Team
    events: list[TimelineEntry]


def team_timeline(actor: User, visit: Visit, team_id: int) -> Timeline:
    """Everything one team did, in the order the phone did it."""
    policy.require(actor, "visit.manage", visit)
    require_data(visit)
    team = db.session.get(Team, team_id)
    if team is None or team.visit_id != visit.id:
        raise NotFound("There is no such team in this visit.", code="unknown_team")
    played = played_version(visit.version)
    events = db.session.scalars(
        select(Event).where(Event.team_id == team.id).order_by(Event.client_at, Event.id)
    ).all()
    photo_ids = [
        e.answer["media_id"]
        for e in events
        if e.type == "answer" and played.tasks.get(e.task_id, {}).get("type") == "photo"
    ]
    photos = {
        media.id: media
        for media in db.session.scalars(select(Media).where(Media.id.in_(set(photo_ids))))
    }
    labels = {task["id"]: task["label"] for task in _tasks(played)}
    entries = []
    for event in events:
        station = played.stations.get(event.station_id, {})
        task = played.tasks.get(event.task_id)
        photo = task is not None and task["type"] == "photo" and event.type == "answer"
        entries.append(
            TimelineEntry(
                event,
                station_title=station.get("title", ""),
                task_label=labels.get(event.task_id),
                task_prompt=task["prompt"] if task else None,
                answer=registry.answer_text(task, event.answer)
                if task and event.type == "answer"
                else None,
                photo_url=photos[event.answer["media_id"]].url
                if photo and event.answer["media_id"] in photos
                else None,
            )
        )
    return Timeline(team, entries)


def answer_for_teacher(actor: User, visit: Visit, event_id: int) -> tuple[Event, dict | None]:
    """An answer of the visit, with its task, for its teacher to grade or approve."""
    policy.require(actor, "visit.manage", visit)
    require_data(visit)
    event = db.session.get(Event, event_id)
    if event is None or event.visit_id != visit.id or event.type != "answer":
        raise NotFound("There is no such answer in this visit.", code="unknown_answer")
    return event, played_version(visit.version).tasks.get(event.task_id)


def grade_answer(
    actor: User,
    visit: Visit,
    event_id: int,
    *,
    accepted: bool,
    points: int | None = None,
    comment: str | None = None,
) -> Event:
    """A teacher accepts or rejects a photo or text answer, with points and a comment.

    The points stand as given (accepted: the task's points unless given; rejected: none);
    the team's other answers to the task are scored again around them."""
    event, task = answer_for_teacher(actor, visit, event_id)
    if task is None or not registry.teacher_grades(task):
        raise ValidationFailed(
            "event_id", "Only photo and text answers are graded.", code="not_gradable"
        )
    if points is None:
        points = task["points"] if accepted else 0
    if not 0 <= points <= task["points"]:
        raise ValidationFailed("points", f"Between 0 and {task['points']}.")
    if not accepted and points:
        raise ValidationFailed("points", "A rejected answer earns no points.")
    event.correct = accepted
    event.points = points
    event.graded_at = utcnow()
    event.graded_by_id = actor.id
    event.grade_comment = comment or None
    rescore_tasks(event.team_id, [task], [])
    recount_score(event.team_id)
    db.session.commit()
    return event


# --- A trail's statistics over all visits ---------------------------------------------------


@dataclass(frozen=True)
class TrailStatistics(Figures):
    version: int  # the version whose tasks are counted
    visits: int
    visits_deleted: int
    teams: int


def trail_statistics(actor: User, trail: Trail) -> TrailStatistics:
    """Per task and station of the latest version, over every visit of the trail, also those
    whose data is deleted (their anonymous sums stay with them): counts and rates only, never
    a team or an answer."""
    policy.require(actor, "trail.edit", trail)
    version = trail.latest_version
    if version is None:
        raise ValidationFailed(
            "trail_id", "The trail has no published version yet.", code="not_published"
        )
    visits, deleted = db.session.execute(
        select(func.count(), func.count(Visit.data_deleted_at)).where(Visit.trail_id == trail.id)
    ).one()
    teams = db.session.execute(
        select(func.count()).select_from(Team).join(Visit).where(Visit.trail_id == trail.id)
    ).scalar_one()
    of_trail = Event.visit_id.in_(select(Visit.id).where(Visit.trail_id == trail.id))
    stations, tasks = station_totals(of_trail), task_totals(of_trail)
    for summary in db.session.scalars(
        select(Visit.summary).where(Visit.trail_id == trail.id, Visit.summary.is_not(None))
    ):
        teams += summary.get("teams", 0)
        add_totals(stations, summary.get("stations", {}))
        add_totals(tasks, summary.get("tasks", {}))
    figures = _figures(played_version(version), stations, tasks)
    return TrailStatistics(
        figures.stations,
        figures.tasks,
        version=version.number,
        visits=visits,
        visits_deleted=deleted,
        teams=teams,
    )
