"""Authoring trails: drafts of stations and tasks, publishing immutable versions."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from server import policy
from server.accounts.models import User
from server.core.markdown import render
from server.database import paginate, utcnow
from server.downloads import Download, filename
from server.errors import NotFound, ServiceError, ValidationFailed
from server.extensions import db
from server.media.models import Media
from server.media.service import file_url
from server.organisations.models import Membership, Organisation, Role
from server.partnerships.models import Partnership, agreement_trails, agreements_in_force
from server.tasks import registry
from server.trails import posters as printing
from server.trails.models import Checkin, Station, Task, Trail, TrailVersion, Visibility

# No 0/O, 1/I/L: printed codes are typed in by students.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


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


def new_station_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Station.id).where(Station.code == code)) is None:
            return code


def normalise_code(typed: str) -> str:
    """What a student typed from under the QR code → the stored form of the code."""
    return "".join(typed.split()).upper().replace("-", "")


# --- Reading -----------------------------------------------------------------------------


def get_trail(trail_id: int) -> Trail:
    trail = db.session.get(Trail, trail_id)
    if trail is None:
        raise NotFound("There is no such trail.")
    return trail


def get_station(station_id: int) -> Station:
    station = db.session.get(Station, station_id)
    if station is None:
        raise NotFound("There is no such station.")
    return station


def get_task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound("There is no such task.")
    return task


def view_trail(actor: User | None, trail_id: int) -> Trail:
    """The trail for anyone who may see it; `for_readers` marks it for those who do not
    author it, whom the API shows it `as_read_by_others`."""
    trail = get_trail(trail_id)
    policy.require(actor, "trail.view", trail)
    trail.for_readers = not policy.can(actor, "trail.edit", trail)
    return trail


# A task as the catalogue, partner schools and anyone else read it: what it asks, not how it
# is judged, nor the feedback and hints that give the answer away.
READER_TASK_FIELDS = ("id", "type", "prompt", "points", "max_attempts")
SECRET_STATION_FIELDS = ("code", "qr_url", "tasks")


def as_read_by_others(trail: dict) -> dict:
    """A trail (as the API shows the draft, or a version's content) for people who do not author
    it: stations keep their texts and places, never their check-in codes (with a code, a class
    checks in without being there), and tasks keep their prompt and points only."""
    return {
        **trail,
        "stations": [
            {
                **{k: v for k, v in station.items() if k not in SECRET_STATION_FIELDS},
                "tasks": [
                    {name: task[name] for name in READER_TASK_FIELDS if name in task}
                    for task in station.get("tasks", [])
                ],
            }
            for station in trail.get("stations", [])
        ],
    }


def list_authored_trails(
    actor: User | None,
    page: int,
    page_size: int,
    *,
    organisation_id: int | None = None,
    archived: bool = False,
) -> tuple[list[Trail], int]:
    """The trails of the institutions the actor authors for ("Meine Parcours")."""
    policy.require(actor, "account.use")
    query = select(Trail)
    if not actor.is_site_admin:
        authored = select(Membership.organisation_id).where(
            Membership.user_id == actor.id, Membership.role.in_([Role.educator, Role.admin])
        )
        query = query.where(Trail.organisation_id.in_(authored))
    if organisation_id is not None:
        query = query.where(Trail.organisation_id == organisation_id)
    query = query.where(Trail.archived_at.is_not(None) if archived else Trail.archived_at.is_(None))
    query = query.options(selectinload(Trail.stations), selectinload(Trail.versions))
    return paginate(query.order_by(Trail.updated_at.desc(), Trail.id.desc()), page, page_size)


def list_offered_trails(actor: User | None, page: int, page_size: int) -> tuple[list[Trail], int]:
    """Published trails a teacher may open visits of: the learning offers of their schools'
    agreements in force first, then the partner institutions' other trails, then public ones.
    Each trail gets `offer`: "agreement", "partner" or "public"."""
    policy.require(actor, "account.use")
    schools = [m.organisation_id for m in actor.memberships if m.organisation.is_school]
    in_force = db.session.execute(
        agreements_in_force().where(Partnership.school_id.in_(schools))
    ).all()
    offered_ids = set(
        db.session.scalars(
            select(agreement_trails.c.trail_id).where(
                agreement_trails.c.agreement_version_id.in_([row.id for row in in_force])
            )
        )
    )
    partner_ids = {row.institution_id for row in in_force}
    offered, by_partner = Trail.id.in_(offered_ids), Trail.organisation_id.in_(partner_ids)
    query = (
        select(Trail)
        .where(
            Trail.archived_at.is_(None),
            select(TrailVersion.id).where(TrailVersion.trail_id == Trail.id).exists(),
            or_(by_partner, Trail.visibility == Visibility.public),
        )
        .options(selectinload(Trail.stations), selectinload(Trail.versions))
        .order_by(case((offered, 0), (by_partner, 1), else_=2), Trail.title, Trail.id)
    )
    trails, total = paginate(query, page, page_size)
    for trail in trails:
        trail.offer = (
            "agreement"
            if trail.id in offered_ids
            else "partner"
            if trail.organisation_id in partner_ids
            else "public"
        )
    return trails, total


def list_organisation_offers(actor: User | None, organisation: Organisation) -> list[Trail]:
    """An institution's learning offers: its published trails that this visitor may see
    (public ones; partners-only ones for its partner schools' staff)."""
    trails = db.session.scalars(
        select(Trail)
        .where(
            Trail.organisation_id == organisation.id,
            Trail.archived_at.is_(None),
            select(TrailVersion.id).where(TrailVersion.trail_id == Trail.id).exists(),
        )
        .options(selectinload(Trail.stations), selectinload(Trail.versions))
        .order_by(Trail.title, Trail.id)
    ).all()
    return [trail for trail in trails if policy.can(actor, "trail.view", trail)]


def qr_url(station: Station) -> str:
    return f"{current_app.config['PUBLIC_URL']}/q/{station.code}"


# --- Editing the draft -------------------------------------------------------------------


def _touch(trail: Trail) -> None:
    # Any change to a station or task is a change of the trail's draft.
    trail.updated_at = utcnow()


def _check_media(organisation_id: int, media_ids: Iterable[int], field: str) -> None:
    """A trail may only show media its own institution uploaded."""
    wanted = set(media_ids)
    if not wanted:
        return
    found = set(db.session.scalars(select(Media.id).where(
        Media.id.in_(wanted), Media.organisation_id == organisation_id)))  # fmt: skip
    if missing := wanted - found:
        raise ValidationFailed(field, f"Unknown media: {sorted(missing)}.")


def create_trail(actor: User | None, organisation: Organisation, **fields) -> Trail:
    policy.require(actor, "trail.create", organisation)
    _check_media(organisation.id, filter(None, [fields.get("cover_media_id")]), "cover_media_id")
    trail = Trail(organisation=organisation, created_by_id=actor.id, **fields)
    db.session.add(trail)
    db.session.commit()
    return trail


def update_trail(actor: User | None, trail: Trail, **fields) -> Trail:
    policy.require(actor, "trail.edit", trail)
    _check_media(trail.organisation_id, filter(None, [fields.get("cover_media_id")]),
                 "cover_media_id")  # fmt: skip
    for name, value in fields.items():
        setattr(trail, name, value)
    _touch(trail)
    db.session.commit()
    return trail


def set_archived(actor: User | None, trail: Trail, archived: bool) -> Trail:
    policy.require(actor, "trail.edit", trail)
    trail.archived_at = utcnow() if archived else None
    db.session.commit()
    return trail


def duplicate_trail(actor: User | None, trail: Trail) -> Trail:
    """A new draft with the same content and fresh station codes; never published."""
    policy.require(actor, "trail.edit", trail)
    copy = Trail(
        organisation_id=trail.organisation_id,
        created_by_id=actor.id,
        title=f"{trail.title} (Kopie)"[:200],
        **{
            name: getattr(trail, name)
            for name in (
                "description", "subjects", "grades", "duration_minutes", "language",
                "cover_media_id", "cover_alt", "order", "visibility",
            )
        },
    )  # fmt: skip
    for station in trail.stations:
        copy.stations.append(_copy_station(station))
    db.session.add(copy)
    db.session.commit()
    return copy


STATION_FIELDS = ("title", "content", "media", "lat", "lon", "radius_m", "checkin")
TASK_FIELDS = (
    "type", "prompt", "points", "hints", "max_attempts",
    "feedback_correct", "feedback_wrong", "definition",
)  # fmt: skip


def _copy_station(station: Station) -> Station:
    copy = Station(
        position=station.position,
        code=new_station_code(),
        **{name: getattr(station, name) for name in STATION_FIELDS},
    )
    copy.tasks = [
        Task(position=t.position, **{name: getattr(t, name) for name in TASK_FIELDS})
        for t in station.tasks
    ]
    return copy


def _check_location(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise ValidationFailed("lat" if lat is None else "lon", "Give both latitude and longitude.")


def add_station(actor: User | None, trail: Trail, **fields) -> Station:
    policy.require(actor, "trail.edit", trail)
    _check_location(fields.get("lat"), fields.get("lon"))
    _check_media(trail.organisation_id, (m["media_id"] for m in fields.get("media", [])), "media")
    station = Station(position=len(trail.stations), code=new_station_code(), **fields)
    trail.stations.append(station)
    _touch(trail)
    db.session.commit()
    return station


def update_station(actor: User | None, station: Station, **fields) -> Station:
    policy.require(actor, "trail.edit", station.trail)
    _check_location(fields.get("lat", station.lat), fields.get("lon", station.lon))
    _check_media(
        station.trail.organisation_id, (m["media_id"] for m in fields.get("media", [])), "media"
    )
    for name, value in fields.items():
        setattr(station, name, value)
    _touch(station.trail)
    db.session.commit()
    return station


def delete_station(actor: User | None, station: Station) -> None:
    trail = station.trail
    policy.require(actor, "trail.edit", trail)
    trail.stations.remove(station)
    _renumber(trail.stations)
    _touch(trail)
    db.session.commit()


def _renumber(items: Iterable) -> None:
    for position, item in enumerate(items):
        item.position = position


def _reorder(items: list, ids: list[int], field: str) -> list:
    by_id = {item.id: item for item in items}
    if sorted(ids) != sorted(by_id):
        raise ValidationFailed(field, "Give every id exactly once.")
    ordered = [by_id[i] for i in ids]
    _renumber(ordered)
    return ordered


def reorder_stations(actor: User | None, trail: Trail, station_ids: list[int]) -> Trail:
    policy.require(actor, "trail.edit", trail)
    _reorder(trail.stations, station_ids, "station_ids")
    _touch(trail)
    db.session.commit()
    db.session.refresh(trail)
    return trail


def add_task(actor: User | None, station: Station, data: dict) -> Task:
    policy.require(actor, "trail.edit", station.trail)
    task = Task(position=len(station.tasks), **registry.validate_task(data))
    station.tasks.append(task)
    _touch(station.trail)
    db.session.commit()
    return task


def update_task(actor: User | None, task: Task, data: dict) -> Task:
    """Replace the task's content; the type may change, so everything is validated anew."""
    policy.require(actor, "trail.edit", task.station.trail)
    for name, value in registry.validate_task(data).items():
        setattr(task, name, value)
    _touch(task.station.trail)
    db.session.commit()
    return task


def delete_task(actor: User | None, task: Task) -> None:
    station = task.station
    policy.require(actor, "trail.edit", station.trail)
    station.tasks.remove(task)
    _renumber(station.tasks)
    _touch(station.trail)
    db.session.commit()


def reorder_tasks(actor: User | None, station: Station, task_ids: list[int]) -> Station:
    policy.require(actor, "trail.edit", station.trail)
    _reorder(station.tasks, task_ids, "task_ids")
    _touch(station.trail)
    db.session.commit()
    db.session.refresh(station)
    return station


def preview_markdown(actor: User | None, text: str) -> str:
    policy.require(actor, "account.use")
    return render(text)


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
        add("cover_alt", "cover_alt_missing", "The cover image needs an alt text.",
            field="cover_alt")  # fmt: skip
    if not trail.stations:
        add("stations", "no_stations", "Add at least one station.")
    for s, station in enumerate(trail.stations):
        where, number = f"stations/{s}", s + 1
        if not (station.content.strip() or station.media or station.tasks):
            # A student would arrive and find nothing there.
            add(where, "station_empty", "The station is empty: give it a text, media or a task.",
                station=number)  # fmt: skip
        if station.checkin in (Checkin.gps, Checkin.gps_qr) and station.lat is None:
            add(f"{where}/lat", "station_needs_place", "A GPS station needs a place on the map.",
                station=number, field="lat")  # fmt: skip
        for m, item in enumerate(station.media):
            if not (item.get("alt") or "").strip():
                add(f"{where}/media/{m}/alt", "media_alt_missing", "Describe the media (alt text).",
                    station=number, field="media", media=m + 1)  # fmt: skip
        for t, task in enumerate(station.tasks):
            for problem in registry.task_problems(task_dict(task)):
                # "definition/options/0/text" → the task's field "options"
                parts = problem.path.split("/")
                name = parts[1] if parts[0] == "definition" and len(parts) > 1 else parts[0]
                add(f"{where}/tasks/{t}/{problem.path}", problem.code, problem.message,
                    station=number, task=t + 1, field=name, **problem.params)  # fmt: skip
    return problems


def snapshot(trail: Trail) -> dict:
    """The trail as it is now, in the form a version keeps it forever."""
    return {
        "title": trail.title,
        "description": trail.description,
        "subjects": list(trail.subjects),
        "grades": list(trail.grades),
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
                "code": station.code,
                "tasks": [task_dict(task) for task in station.tasks],
            }
            for station in trail.stations
        ],
    }


def check_publishable(actor: User | None, trail: Trail) -> list[Problem]:
    policy.require(actor, "trail.edit", trail)
    return publish_problems(trail)


def publish(actor: User | None, trail: Trail) -> TrailVersion:
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


def bundle(content: dict) -> dict:
    """What a phone needs to play a trail (a version's content, or the draft's snapshot):
    rendered texts, media addresses and each task as its type presents it to students."""
    media_ids = {item["media_id"] for s in content["stations"] for item in s["media"]}
    if content["cover_media_id"]:
        media_ids.add(content["cover_media_id"])
    media = {m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_(media_ids)))}

    def media_item(media_id: int, alt: str) -> dict | None:
        found = media.get(media_id)
        if found is None:
            return None
        return {"kind": found.kind, "mime": found.mime, "url": file_url(found.file), "alt": alt}

    cover = (
        media_item(content["cover_media_id"], content["cover_alt"] or "")
        if content["cover_media_id"]
        else None
    )
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
            }
            for station in content["stations"]
        ],
    }


def preview(actor: User | None, trail: Trail) -> dict:
    """The draft as students would get it; for the editor's preview, which records nothing."""
    policy.require(actor, "trail.edit", trail)
    return bundle(snapshot(trail))


def get_version(actor: User | None, trail: Trail, number: int) -> TrailVersion:
    """A published version; `for_readers` as in `view_trail`."""
    policy.require(actor, "trail.view", trail)
    version = next((v for v in trail.versions if v.number == number), None)
    if version is None:
        raise NotFound("This trail has no such version.")
    version.for_readers = not policy.can(actor, "trail.edit", trail)
    return version


# --- Printing ----------------------------------------------------------------------------


def posters(actor: User | None, trail: Trail, layout: str) -> Download:
    policy.require(actor, "trail.edit", trail)
    if not printing.qr_stations(trail):
        raise ValidationFailed(
            "stations", "No station checks in by QR code.", code="no_qr_stations"
        )
    pdf = printing.posters_pdf(trail, qr_url, layout)
    return Download(pdf, "application/pdf", filename("qr-codes", trail.id, layout, ext="pdf"))


def station_qr(actor: User | None, station: Station, image_format: str) -> Download:
    policy.require(actor, "trail.edit", station.trail)
    url = qr_url(station)
    if image_format == "png":
        image, mime = printing.qr_png(url), "image/png"
    else:
        image, mime = printing.qr_svg(url), "image/svg+xml"
    return Download(image, mime, filename("station", station.code, ext=image_format))
