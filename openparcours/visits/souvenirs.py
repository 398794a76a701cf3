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
from sqlalchemy.orm import joinedload

from openparcours.accounts.models import User
from openparcours.catalogue.service import live_offers
from openparcours.database import local_zone, utcnow
from openparcours.errors import NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.play.service import Played, played_version
from openparcours.tasks import registry
from openparcours.trails.models import Trail, Visibility
from openparcours.visits.activity import activity
from openparcours.visits.models import Event, Team, Visit, new_souvenir_token
from openparcours.visits.results import answer_for_teacher


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
    event, task = answer_for_teacher(actor, visit, event_id)
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
    # With its visit's trail and institution, which the page names.
    query = select(Team).options(joinedload(Team.visit).joinedload(Visit.trail))
    team = db.session.scalar(query.where(Team.souvenir_token == token)) if token else None
    if team is None or not team.visit.souvenirs or team.visit.data_deleted_at is not None:
        raise NotFound("There is no such souvenir page.", code="unknown_souvenir")
    return team


def _approved(team: Team, played: Played) -> list[tuple[Event, dict]]:
    """The team's answers the teacher approved, with their tasks, in the order it gave them."""
    events = db.session.scalars(
        select(Event)
        .where(Event.team_id == team.id, Event.type == "answer", Event.souvenir_at.is_not(None))
        .order_by(Event.client_at, Event.id)
    )
    return [
        (event, task)
        for event in events
        if (task := played.tasks.get(event.task_id)) and registry.teacher_grades(task)
    ]


def _photos(team: Team, answers: list[tuple[Event, dict]]) -> dict[int, Media]:
    """The stored photos of these photo answers, by event; a photo that is gone is not."""
    media_ids = {
        event.id: (event.answer or {}).get("media_id")
        for event, task in answers
        if task["type"] == "photo"
    }
    files = {
        media.id: media
        for media in db.session.scalars(
            select(Media).where(
                Media.id.in_(set(media_ids.values())),
                Media.team_id == team.id,
                Media.file.is_not(None),
            )
        )
    }
    return {event: files[media] for event, media in media_ids.items() if media in files}


def souvenir(token: str) -> Souvenir:
    team = team_of_token(token)
    visit = team.visit
    played = played_version(visit.version)
    stations = played.content["stations"]
    done = activity(Event.team_id == team.id)
    approved = _approved(team, played)
    stored = _photos(team, approved)
    photos, answers = [], []
    for event, task in approved:
        if task["type"] != "photo":
            answers.append(SouvenirAnswer(task["prompt"], registry.answer_text(task, event.answer)))
        elif event.id in stored:
            url = f"/api/v1/souvenirs/{token}/photos/{event.id}"
            photos.append(SouvenirPhoto(event.id, task["prompt"], url))
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
    played = played_version(team.visit.version)
    media = _photos(team, _approved(team, played)).get(event_id)
    name = None if media is None else media.thumbnail if thumbnail else media.file
    if not name or not media_service.storage().exists(name):
        raise NotFound("There is no such photo.", code="unknown_souvenir")
    return name
