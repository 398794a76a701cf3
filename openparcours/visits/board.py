"""The live board: where each team is during the visit, for its teacher."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.play.service import played_version
from openparcours.responses import etag_of
from openparcours.trails import release
from openparcours.visits.activity import TeamPoints, activity
from openparcours.visits.messages import last_message_per_team
from openparcours.visits.models import Event, Team, Visit

SILENT_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Position:
    """Where a team's phone last was, and when it said so."""

    lat: float
    lon: float
    accuracy: float | None
    at: datetime | None


@dataclass(frozen=True)
class LiveTeam(TeamPoints):
    """A team on the live board: its state at each station, in order, and whether it has been
    silent for too long."""

    stations: list[str]
    silent: bool
    position: Position | None  # only in visits that share positions
    read_last_message: bool | None  # None: no message went to it

    @property
    def last_sync_at(self) -> datetime | None:
        return self.team.last_sync_at

    @property
    def last_seen_at(self) -> datetime:
        return self.team.last_seen_at


@dataclass(frozen=True)
class LiveBoard:
    stations: list[dict]  # the played version's
    teams: list[LiveTeam]


def live_board(actor: User, visit: Visit) -> LiveBoard:
    """Each team's state at each station, its points and how long it has been silent.

    States: `locked` (its release rule keeps it closed), `open` (not reached), `checked_in`,
    `done` (see `Activity.station_done`), `review` (done, with a photo waiting for the teacher).
    Built from one grouped query over the events.
    """
    policy.require(actor, "visit.manage", visit)
    played = played_version(visit.version)
    stations = played.content["stations"]
    now = utcnow()
    teams = db.session.scalars(
        select(Team).where(Team.visit_id == visit.id).order_by(Team.created_at, Team.id)
    ).all()
    found = activity(Event.visit_id == visit.id)
    to_all, to_team = last_message_per_team(visit.id)

    def read_last_message(team: Team) -> bool | None:
        sent = [last for last in (to_all, to_team.get(team.id)) if last is not None]
        return max(sent, key=lambda last: last.id).read_by(team) if sent else None

    def state(team: Team, station: dict) -> str:
        tasks = station["tasks"]
        if found.station_done(team.id, station):
            waiting = any(found.work[team.id, task["id"]].state(task) == "review" for task in tasks)
            return "review" if waiting else "done"
        if (team.id, station["id"]) in found.checked_in or any(
            (team.id, task["id"]) in found.work for task in tasks
        ):
            return "checked_in"
        rule = played.release.get(station["id"])
        if rule is not None:
            done = {s["id"]: now for s in stations if found.station_done(team.id, s)}
            if not release.is_open(
                release.resolve(rule, visit.starts_at, team.created_at), done, now
            ):
                return "locked"
        return "open"

    def position(team: Team) -> Position | None:
        if not (visit.share_positions and team.position):
            return None
        where = team.position
        return Position(where["lat"], where["lon"], where.get("accuracy"), team.position_at)

    return LiveBoard(
        stations,
        [
            LiveTeam(
                team,
                points=found.points.get(team.id, 0),
                stations=[state(team, station) for station in stations],
                silent=team.last_seen_at < now - SILENT_AFTER,
                position=position(team),
                read_last_message=read_last_message(team),
            )
            for team in teams
        ],
    )


def live_etag(visit: Visit) -> str:
    """Changes with every event, team, position, grade, message and read message, and each
    minute (for the times since each team's last sync)."""
    read = (
        select(func.coalesce(func.sum(Team.messages_read_id), 0))
        .where(Team.visit_id == visit.id)
        .scalar_subquery()
    )
    latest = db.session.execute(
        select(
            func.max(Event.id),
            func.max(Event.graded_at),
            func.count(Team.id.distinct()),
            func.max(Team.position_at),
            read,
        )
        .select_from(Team)
        .outerjoin(Event, Event.team_id == Team.id)
        .where(Team.visit_id == visit.id)
    ).one()
    minute = utcnow().replace(second=0, microsecond=0).isoformat()
    return etag_of([visit.id, visit.last_message_id, *latest, minute])
