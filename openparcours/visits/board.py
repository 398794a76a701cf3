"""The live board: where each team is during the visit, for its teacher."""

from datetime import timedelta

from sqlalchemy import func, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.play.service import played_version
from openparcours.responses import etag_of
from openparcours.visits.activity import activity
from openparcours.visits.models import Event, Team, Visit

SILENT_AFTER = timedelta(minutes=5)


def live_board(actor: User, visit: Visit) -> dict:
    """Each team's state at each station, its points and how long it has been silent.

    States: `open` (not reached), `checked_in`, `done` (see `Activity.station_done`), `review`
    (done, with a photo waiting for the teacher). Built from one grouped query over the events.
    """
    policy.require(actor, "visit.manage", visit)
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
    return etag_of([visit.id, *latest, minute])
