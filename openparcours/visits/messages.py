"""Messages to the phones during a visit: the teacher writes to every team or to one; a phone
gets what its team has not read with its next sync (also after being offline), shows each
message once, and says with a later sync that the team has read it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.errors import Conflict, ValidationFailed
from openparcours.extensions import db
from openparcours.visits.models import Team, Visit, VisitMessage

# Enough for a long school day; a visit is not a chat.
MAX_MESSAGES_PER_VISIT = 100


@dataclass(frozen=True)
class SentMessage:
    """A message as its teacher sees it: which of the teams it went to have not read it."""

    message: VisitMessage
    unread: list[Team]


def send_message(actor: User, visit: Visit, text: str, team_id: int | None = None) -> SentMessage:
    policy.require(actor, "visit.manage", visit)
    if visit.data_deleted_at is not None or not visit.accepts_events(utcnow()):
        raise Conflict("This visit is over; its phones take no messages.", code="visit_closed")
    team = None
    if team_id is not None:
        team = db.session.scalar(select(Team).where(Team.id == team_id, Team.visit_id == visit.id))
        if team is None:
            raise ValidationFailed("team_id", "This team is not in the visit.", code="unknown_team")
    sent = db.session.execute(
        select(func.count()).select_from(VisitMessage).where(VisitMessage.visit_id == visit.id)
    ).scalar_one()
    if sent >= MAX_MESSAGES_PER_VISIT:
        raise Conflict(
            f"At most {MAX_MESSAGES_PER_VISIT} messages per visit.",
            code="too_many_messages",
            params={"max": MAX_MESSAGES_PER_VISIT},
        )
    message = VisitMessage(visit_id=visit.id, team=team, text=text, sent_by_id=actor.id)
    db.session.add(message)
    db.session.flush()
    visit.last_message_id = message.id
    db.session.commit()
    return SentMessage(message, unread_by(message, _teams(visit)))


def _teams(visit: Visit) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team).where(Team.visit_id == visit.id).order_by(Team.created_at, Team.id)
        )
    )


def unread_by(message: VisitMessage, teams: list[Team]) -> list[Team]:
    """The teams it went to that have not read it; a team that joined later never got it."""
    return [
        team
        for team in teams
        if message.team_id in (None, team.id)
        and team.created_at <= message.sent_at
        and team.messages_read_id < message.id
    ]


def list_messages(actor: User, visit: Visit) -> list[SentMessage]:
    """The visit's messages, the latest first, each with the teams that have not read it."""
    policy.require(actor, "visit.manage", visit)
    teams = _teams(visit)
    messages = db.session.scalars(
        select(VisitMessage)
        .where(VisitMessage.visit_id == visit.id)
        .order_by(VisitMessage.id.desc())
    )
    return [SentMessage(message, unread_by(message, teams)) for message in messages]


@dataclass(frozen=True)
class PhoneMessage:
    id: int
    text: str
    sent_at: datetime
    to_team: bool  # to this team alone


def unread_for_team(visit_id: int, team_id: int, read_id: int) -> list[PhoneMessage]:
    """What a team has not read, oldest first."""
    rows = db.session.execute(
        select(VisitMessage.id, VisitMessage.text, VisitMessage.sent_at, VisitMessage.team_id)
        .where(
            VisitMessage.visit_id == visit_id,
            VisitMessage.id > read_id,
            or_(VisitMessage.team_id.is_(None), VisitMessage.team_id == team_id),
        )
        .order_by(VisitMessage.id)
    )
    return [PhoneMessage(id, text, at, to is not None) for id, text, at, to in rows]


@dataclass(frozen=True)
class LastMessage:
    id: int
    sent_at: datetime

    def read_by(self, team: Team) -> bool | None:
        """None for a team that joined after it."""
        if self.sent_at < team.created_at:
            return None
        return team.messages_read_id >= self.id


def last_message_per_team(visit_id: int) -> tuple[LastMessage | None, dict[int, LastMessage]]:
    """The latest message to everyone, and to each team addressed alone: for the live board's
    "not read yet"."""
    rows = db.session.execute(
        select(VisitMessage.team_id, func.max(VisitMessage.id), func.max(VisitMessage.sent_at))
        .where(VisitMessage.visit_id == visit_id)
        .group_by(VisitMessage.team_id)
    ).all()
    # Ids and times grow together: the latest id is the latest message.
    to_all = next((LastMessage(id, at) for team, id, at in rows if team is None), None)
    return to_all, {team: LastMessage(id, at) for team, id, at in rows if team is not None}
