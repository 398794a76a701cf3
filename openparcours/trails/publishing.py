"""Publishing trails: what blocks it, the immutable versions it makes, what a phone gets of
them, and the printed QR codes of the stations."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.downloads import Download, filename
from openparcours.errors import NotFound, ServiceError, ValidationFailed
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.tasks import registry
from openparcours.trails import posters as printing
from openparcours.trails import release
from openparcours.trails.models import Checkin, Station, Task, Trail, TrailOrder, TrailVersion
from openparcours.trails.service import TASK_FIELDS


class NotPublishable(ServiceError):
    status, code = 422, "not_publishable"


@dataclass(frozen=True)
class Problem:
    """Something that blocks publishing. `code` and `params` let the editor word it and lead
    to its field: {"station": 2, "task": 1, "field": "options", "entry": 3}, counted from 1."""

    path: str  # e.g. "stations/2/tasks/0/definition/options"
    code: str
    message: str
    params: dict = field(default_factory=dict)


# --- Publishing --------------------------------------------------------------------------


def task_dict(task: Task) -> dict:
    return {"id": task.id, **{name: getattr(task, name) for name in TASK_FIELDS}}


def publish_problems(trail: Trail) -> list[Problem]:
    """Everything that still blocks publishing, each with where it is."""
    problems = []

    def add(path: str, code: str, message: str, **params) -> None:
        problems.append(Problem(path, code, message, params))

    if not trail.title.strip():
        add("title", "trail_title_missing", "The trail needs a title.", field="title")
    if trail.cover_media_id and not (trail.cover_alt or "").strip():
        add(
            "cover_alt",
            "cover_alt_missing",
            "The cover image needs an alt text.",
            field="cover_alt",
        )
    if not trail.stations:
        add("stations", "no_stations", "Add at least one station.")
    for s, station in enumerate(trail.stations):
        where, number = f"stations/{s}", s + 1
        if not (station.content.strip() or station.media or station.tasks):
            # A student would arrive and find nothing there.
            add(
                where,
                "station_empty",
                "The station is empty: give it a text, media or a task.",
                station=number,
            )
        if station.checkin in (Checkin.gps, Checkin.gps_qr) and station.lat is None:
            add(
                f"{where}/lat",
                "station_needs_place",
                "A GPS station needs a place on the map.",
                station=number,
                field="lat",
            )
        for m, item in enumerate(station.media):
            if not (item.get("alt") or "").strip():
                add(
                    f"{where}/media/{m}/alt",
                    "media_alt_missing",
                    "Describe the media (alt text).",
                    station=number,
                    field="media",
                    media=m + 1,
                )
        for t, task in enumerate(station.tasks):
            for problem in registry.task_problems(task_dict(task)):
                # "definition/options/0/text" → the task's field "options"
                parts = problem.path.split("/")
                name = parts[1] if parts[0] == "definition" and len(parts) > 1 else parts[0]
                add(
                    f"{where}/tasks/{t}/{problem.path}",
                    problem.code,
                    problem.message,
                    station=number,
                    task=t + 1,
                    field=name,
                    **problem.params,
                )
    for found in release.problems(
        [{"id": s.id, "release": s.release} for s in trail.stations],
        trail.order == TrailOrder.fixed,
    ):
        add(
            f"stations/{found.index}/release",
            found.code,
            RELEASE_MESSAGES[found.code],
            station=found.index + 1,
            field="release",
            **found.params,
        )
    return problems


RELEASE_MESSAGES = {
    "release_unknown_station": "The release rule waits for a station the trail no longer has.",
    "release_cycle": "The station never opens: its release rules wait for each other.",
}


def snapshot(trail: Trail) -> dict:
    """The trail as it is now, in the form a version keeps it forever."""
    return {
        "title": trail.title,
        "description": trail.description,
        "subjects": list(trail.subjects),
        "grades": list(trail.grades),
        "media_competences": list(trail.media_competences),
        "curriculum_reference": trail.curriculum_reference,
        "duration_minutes": trail.duration_minutes,
        "language": trail.language,
        "cover_media_id": trail.cover_media_id,
        "cover_alt": trail.cover_alt,
        "order": trail.order.value,
        "visibility": trail.visibility.value,
        "stations": [
            {
                "id": station.id,
                "title": station.title,
                "content": station.content,
                "content_html": station.content_html,
                "media": [dict(item) for item in station.media],
                "lat": station.lat,
                "lon": station.lon,
                "radius_m": station.radius_m,
                "checkin": station.checkin.value,
                "subjects": list(station.subjects),
                "media_competences": list(station.media_competences),
                "release": station.release,
                "code": station.code,
                "tasks": [task_dict(task) for task in station.tasks],
            }
            for station in trail.stations
        ],
    }


@dataclass(frozen=True)
class PublishCheck:
    problems: list[Problem]

    @property
    def publishable(self) -> bool:
        return not self.problems


def check_publishable(actor: User, trail: Trail) -> PublishCheck:
    policy.require(actor, "trail.edit", trail)
    return PublishCheck(publish_problems(trail))


def publish(actor: User, trail: Trail) -> TrailVersion:
    policy.require(actor, "trail.edit", trail)
    problems = publish_problems(trail)
    if problems:
        error = NotPublishable(f"{len(problems)} problem(s) block publishing.")
        error.errors = {}
        for problem in problems:
            error.errors.setdefault(problem.path, []).append(
                {"code": problem.code, "message": problem.message, "params": problem.params}
            )
        raise error
    number = (
        db.session.scalar(
            select(func.max(TrailVersion.number)).where(TrailVersion.trail_id == trail.id)
        )
        or 0
    ) + 1
    version = TrailVersion(
        trail=trail, number=number, published_by_id=actor.id, content=snapshot(trail)
    )
    db.session.add(version)
    db.session.commit()
    return version


def bundle(content: dict, starts_at: datetime, joined_at: datetime) -> dict:
    """What a phone needs to play a trail (a version's content, or the draft's snapshot):
    rendered texts, media addresses, each task as its type presents it to students, and when
    each station opens for a team that joined at `joined_at` a visit starting at `starts_at`."""
    media_ids = {item["media_id"] for s in content["stations"] for item in s["media"]}
    if content["cover_media_id"]:
        media_ids.add(content["cover_media_id"])
    media = {m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_(media_ids)))}

    def media_item(media_id: int, alt: str) -> dict | None:
        found = media.get(media_id)
        if found is None:
            return None
        return {"kind": found.kind, "mime": found.mime, "url": found.url, "alt": alt}

    cover = (
        media_item(content["cover_media_id"], content["cover_alt"] or "")
        if content["cover_media_id"]
        else None
    )
    rules = release.effective_rules(content["stations"], content["order"] == TrailOrder.fixed)
    return {
        "title": content["title"],
        "description": content["description"],
        "language": content["language"],
        "order": content["order"],
        "cover": cover,
        "stations": [
            {
                "id": station["id"],
                "title": station["title"],
                "content_html": station["content_html"],
                "checkin": station["checkin"],
                "lat": station["lat"],
                "lon": station["lon"],
                "radius_m": station["radius_m"],
                "media": [
                    item
                    for item in (
                        media_item(m["media_id"], m.get("alt", "")) for m in station["media"]
                    )
                    if item is not None
                ],
                "tasks": [
                    {"id": task["id"], **registry.client_spec(task, seed=task["id"])}
                    for task in station["tasks"]
                ],
                "release": resolved.as_dict() if resolved else None,
            }
            for station, rule in zip(content["stations"], rules, strict=True)
            for resolved in [release.resolve(rule, starts_at, joined_at)]
        ],
    }


def preview(actor: User, trail: Trail) -> dict:
    """The draft as students would get it; for the editor's preview, which records nothing."""
    policy.require(actor, "trail.edit", trail)
    now = utcnow()
    return bundle(snapshot(trail), now, now)


def get_version(actor: User | None, trail: Trail, number: int) -> TrailVersion:
    """A published version; `for_readers` as in `view_trail`."""
    policy.check(actor, "trail.view", trail)
    version = next((v for v in trail.versions if v.number == number), None)
    if version is None:
        raise NotFound("This trail has no such version.")
    version.for_readers = not policy.can(actor, "trail.edit", trail)
    return version


# --- Printing ----------------------------------------------------------------------------


def posters(actor: User, trail: Trail, layout: str) -> Download:
    policy.require(actor, "trail.edit", trail)
    if not printing.qr_stations(trail):
        raise ValidationFailed(
            "stations", "No station checks in by QR code.", code="no_qr_stations"
        )
    pdf = printing.posters_pdf(trail, layout)
    return Download(pdf, "application/pdf", filename("qr-codes", trail.id, layout, ext="pdf"))


def station_qr(actor: User, station: Station, image_format: str) -> Download:
    policy.require(actor, "trail.edit", station.trail)
    if image_format == "png":
        image, mime = printing.qr_png(station.qr_url), "image/png"
    else:
        image, mime = printing.qr_svg(station.qr_url), "image/svg+xml"
    return Download(image, mime, filename("station", station.code, ext=image_format))
