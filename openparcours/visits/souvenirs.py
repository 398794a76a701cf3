"""A team's souvenir page for home ("Das haben wir entdeckt"), in visits whose teacher turned
souvenirs on: the trail, the institution, the month, the stations the team completed, and only
the photos and answers the teacher approved for it; the institution's public offers and opening
hours. No team name (it may hold students' names), nothing of another team.

Anyone with the page's address sees it, without login: the address holds the team's
unguessable souvenir token. It goes with the visit's data (teams and events)."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.catalogue.service import live_offers
from openparcours.database import local_zone, utcnow
from openparcours.errors import NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.play.service import played_version
from openparcours.tasks import registry
from openparcours.trails.models import Trail, Visibility
from openparcours.visits.activity import activity
from openparcours.visits.models import Event, Team, Visit, new_souvenir_token
from openparcours.visits.results import require_data


def hand_out_tokens(visit: Visit) -> None:
    """Every team of a visit with souvenirs has its token (teams that joined while souvenirs
    were off get theirs now). The caller commits."""
    for team in db.session.scalars(
        select(Team).where(Team.visit_id == visit.id, Team.souvenir_token.is_(None))
    ):
        team.souvenir_token = new_souvenir_token()


def approve(actor: User, visit: Visit, event_id: int, approved: bool) -> Event:
    """The teacher shows a photo or text answer on its team's souvenir page, or no longer;
    who approved it and when are kept with it."""
    policy.require(actor, "visit.manage", visit)
    require_data(visit)
    event = db.session.get(Event, event_id)
    if event is None or event.visit_id != visit.id or event.type != "answer":
        raise NotFound("There is no such answer in this visit.", code="unknown_answer")
    task = played_version(visit.version).tasks.get(event.task_id)
    if task is None or not registry.teacher_grades(task):
        raise ValidationFailed(
            "event_id",
            "Only photos and text answers go on a souvenir page.",
            code="not_for_souvenir",
        )
    if not approved:
        event.souvenir_at = event.souvenir_by_id = None
    elif event.souvenir_at is None:
        event.souvenir_at = utcnow()
        event.souvenir_by_id = actor.id
    db.session.commit()
    return event


@dataclass(frozen=True)
class SouvenirPhoto:
    event_id: int
    prompt: str
    url: str


@dataclass(frozen=True)
class SouvenirAnswer:
    prompt: str
    text: str


@dataclass(frozen=True)
class SouvenirOffer:
    title: str
    url: str  # the offer in the public catalogue


@dataclass(frozen=True)
class Souvenir:
    trail_title: str
    institution: str
    month: str  # "2026-11"
    stations_done: list[str]
    photos: list[SouvenirPhoto]
    answers: list[SouvenirAnswer]
    offers: list[SouvenirOffer]
    opening_hours: str
    website: str | None
    deleted_after: datetime  # when the page disappears with the visit's data


def team_of_token(token: str) -> Team:
    """The team whose souvenir page this is, while its visit has souvenirs."""
    team = db.session.scalar(select(Team).where(Team.souvenir_token == token)) if token else None
    if team is None or not team.visit.souvenirs or team.visit.data_deleted_at is not None:
        raise NotFound("There is no such souvenir page.", code="unknown_souvenir")
    return team


def _approved(team: Team) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.team_id == team.id,
                Event.type == "answer",
                Event.souvenir_at.is_not(None),
            )
            .order_by(Event.client_at, Event.id)
        )
    )


def souvenir(token: str) -> Souvenir:
    team = team_of_token(token)
    visit = team.visit
    played = played_version(visit.version)
    stations = played.content["stations"]
    done = activity(Event.team_id == team.id)
    photos, answers = [], []
    for event in _approved(team):
        task = played.tasks.get(event.task_id)
        if task is None or not registry.teacher_grades(task):
            continue
        if task["type"] == "photo":
            url = f"/api/v1/souvenirs/{token}/photos/{event.id}"
            photos.append(SouvenirPhoto(event.id, task["prompt"], url))
        else:
            answers.append(SouvenirAnswer(task["prompt"], registry.answer_text(task, event.answer)))
    institution = visit.trail.organisation
    offers = db.session.scalars(
        live_offers()
        .where(Trail.organisation_id == institution.id, Trail.visibility == Visibility.public)
        .order_by(Trail.title, Trail.id)
    )
    public_url = current_app.config["PUBLIC_URL"]
    return Souvenir(
        trail_title=played.content["title"],
        institution=institution.name,
        month=visit.starts_at.astimezone(local_zone()).strftime("%Y-%m"),
        stations_done=[s["title"] for s in stations if done.station_done(team.id, s)],
        photos=photos,
        answers=answers,
        offers=[
            SouvenirOffer(
                trail.title,
                f"{public_url}/catalogue?{urlencode({'q': trail.title})}",
            )
            for trail in offers
        ],
        opening_hours=institution.opening_hours,
        website=institution.website,
        deleted_after=visit.deletes_data_at,
    )


def souvenir_photo(token: str, event_id: int, *, thumbnail: bool = False) -> str:
    """The stored file of a photo the teacher approved for this team's souvenir page."""
    team = team_of_token(token)
    event = db.session.get(Event, event_id)
    if event is None or event.team_id != team.id or event.souvenir_at is None:
        raise NotFound("There is no such photo.", code="unknown_souvenir")
    task = played_version(team.visit.version).tasks.get(event.task_id)
    media = (
        db.session.get(Media, (event.answer or {}).get("media_id"))
        if task is not None and task["type"] == "photo"
        else None
    )
    if media is None or media.team_id != team.id:
        raise NotFound("There is no such photo.", code="unknown_souvenir")
    name = media.thumbnail if thumbnail else media.file
    if not name or not media_service.storage().exists(name):
        raise NotFound("There is no such photo.", code="unknown_souvenir")
    return name
