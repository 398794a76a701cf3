"""Authoring trails: drafts of stations and tasks, and who reads which trails (publishing is
`server.trails.publishing`)."""

import secrets
from collections.abc import Iterable

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.core.markdown import render
from openparcours.curriculum import tables as curriculum
from openparcours.database import paginate, utcnow
from openparcours.errors import NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import Partnership, agreement_trails, agreements_in_force
from openparcours.tasks import registry
from openparcours.trails.models import Station, Task, Trail

# No 0/O, 1/I/L: printed codes are typed in by students.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


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
    author it, whom the API shows it as `trails.schemas.as_read_by_others` says."""
    trail = get_trail(trail_id)
    policy.check(actor, "trail.view", trail)
    trail.for_readers = not policy.can(actor, "trail.edit", trail)
    return trail


def list_authored_trails(
    actor: User,
    page: int,
    page_size: int,
    *,
    organisation_id: int | None = None,
    archived: bool = False,
) -> tuple[list[Trail], int]:
    """The trails of the institutions the actor authors for ("Meine Parcours")."""
    query = select(Trail).where(policy.scope(actor, "trail.edit"))
    if organisation_id is not None:
        query = query.where(Trail.organisation_id == organisation_id)
    query = query.where(Trail.archived_at.is_not(None) if archived else Trail.archived_at.is_(None))
    query = query.options(selectinload(Trail.stations), selectinload(Trail.versions))
    return paginate(query.order_by(Trail.updated_at.desc(), Trail.id.desc()), page, page_size)


def list_offered_trails(actor: User, page: int, page_size: int) -> tuple[list[Trail], int]:
    """Published trails a teacher may open visits of: the learning offers of their schools'
    agreements in force first, then the partner institutions' other trails, then public ones.
    Each trail gets `offer`: "agreement", "partner" or "public"."""
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
        .where(policy.scope(actor, "trail.offered"))
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
    (public ones; partners-only ones for its partner schools' staff and its authors)."""
    return list(
        db.session.scalars(
            select(Trail)
            .where(
                Trail.organisation_id == organisation.id,
                Trail.archived_at.is_(None),
                Trail.versions.any(),
                policy.scope(actor, "trail.view"),
            )
            .options(selectinload(Trail.stations), selectinload(Trail.versions))
            .order_by(Trail.title, Trail.id)
        )
    )


# --- Editing the draft -------------------------------------------------------------------


def _touch(trail: Trail) -> None:
    # Any change to a station or task is a change of the trail's draft.
    trail.updated_at = utcnow()


def _check_media(organisation_id: int, media_ids: Iterable[int], field: str) -> None:
    """A trail may only show media its own institution uploaded."""
    wanted = set(media_ids)
    if not wanted:
        return
    found = set(
        db.session.scalars(
            select(Media.id).where(Media.id.in_(wanted), Media.organisation_id == organisation_id)
        )
    )
    if missing := wanted - found:
        raise ValidationFailed(field, f"Unknown media: {sorted(missing)}.")


def competence_tags(fields: dict, kept: Iterable[str] = ()) -> dict:
    """Subjects in the NRW table's spelling and media competences in its order, each once. A
    subject the table does not know is refused, unless the trail or station already has it: a
    free name from before the table stays readable until its author takes it out."""
    kept = set(kept)
    if "subjects" in fields:
        unknown = {}
        named = []
        for i, given in enumerate(fields["subjects"]):
            name = curriculum.subject_name(given) or (given if given in kept else None)
            if name is None:
                unknown[i] = [
                    {
                        "code": "unknown_subject",
                        "message": f"{given!r} is not a subject of the NRW table.",
                        "params": {"subject": given},
                    }
                ]
            named.append(name)
        if unknown:
            raise ValidationFailed.for_fields({"subjects": unknown})
        fields["subjects"] = list(dict.fromkeys(named))
    if "media_competences" in fields:
        given = set(fields["media_competences"])
        fields["media_competences"] = [k for k in curriculum.media_competence_keys() if k in given]
    return fields


def create_trail(actor: User, organisation: Organisation, **fields) -> Trail:
    policy.require(actor, "trail.create", organisation)
    competence_tags(fields)
    _check_media(organisation.id, filter(None, [fields.get("cover_media_id")]), "cover_media_id")
    trail = Trail(organisation=organisation, created_by_id=actor.id, **fields)
    db.session.add(trail)
    db.session.commit()
    return trail


def update_trail(actor: User, trail: Trail, **fields) -> Trail:
    policy.require(actor, "trail.edit", trail)
    competence_tags(fields, kept=trail.subjects)
    _check_media(
        trail.organisation_id, filter(None, [fields.get("cover_media_id")]), "cover_media_id"
    )
    for name, value in fields.items():
        setattr(trail, name, value)
    _touch(trail)
    db.session.commit()
    return trail


def set_archived(actor: User, trail: Trail, archived: bool) -> Trail:
    policy.require(actor, "trail.edit", trail)
    trail.archived_at = utcnow() if archived else None
    db.session.commit()
    return trail


def duplicate_trail(actor: User, trail: Trail) -> Trail:
    """A new draft with the same content and fresh station codes; never published."""
    policy.require(actor, "trail.edit", trail)
    copy = Trail(
        organisation_id=trail.organisation_id,
        created_by_id=actor.id,
        title=f"{trail.title} (Kopie)"[:200],
        **{
            name: getattr(trail, name)
            for name in (
                "description",
                "subjects",
                "grades",
                "media_competences",
                "curriculum_reference",
                "duration_minutes",
                "language",
                "cover_media_id",
                "cover_alt",
                "order",
                "visibility",
            )
        },
    )
    for station in trail.stations:
        copy.stations.append(_copy_station(station))
    db.session.add(copy)
    db.session.commit()
    return copy


STATION_FIELDS = (
    "title",
    "content",
    "media",
    "lat",
    "lon",
    "radius_m",
    "checkin",
    "subjects",
    "media_competences",
)
TASK_FIELDS = (
    "type",
    "prompt",
    "points",
    "hints",
    "max_attempts",
    "feedback_correct",
    "feedback_wrong",
    "definition",
)


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


def add_station(actor: User, trail: Trail, **fields) -> Station:
    policy.require(actor, "trail.edit", trail)
    competence_tags(fields)
    _check_location(fields.get("lat"), fields.get("lon"))
    _check_media(trail.organisation_id, (m["media_id"] for m in fields.get("media", [])), "media")
    station = Station(position=len(trail.stations), code=new_station_code(), **fields)
    trail.stations.append(station)
    _touch(trail)
    db.session.commit()
    return station


def update_station(actor: User, station: Station, **fields) -> Station:
    policy.require(actor, "trail.edit", station.trail)
    competence_tags(fields, kept=station.subjects)
    _check_location(fields.get("lat", station.lat), fields.get("lon", station.lon))
    _check_media(
        station.trail.organisation_id, (m["media_id"] for m in fields.get("media", [])), "media"
    )
    for name, value in fields.items():
        setattr(station, name, value)
    _touch(station.trail)
    db.session.commit()
    return station


def delete_station(actor: User, station: Station) -> None:
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


def reorder_stations(actor: User, trail: Trail, station_ids: list[int]) -> Trail:
    policy.require(actor, "trail.edit", trail)
    _reorder(trail.stations, station_ids, "station_ids")
    _touch(trail)
    db.session.commit()
    db.session.refresh(trail)
    return trail


def add_task(actor: User, station: Station, data: dict) -> Task:
    policy.require(actor, "trail.edit", station.trail)
    task = Task(position=len(station.tasks), **registry.validate_task(data))
    station.tasks.append(task)
    _touch(station.trail)
    db.session.commit()
    return task


def update_task(actor: User, task: Task, data: dict) -> Task:
    """Replace the task's content; the type may change, so everything is validated anew."""
    policy.require(actor, "trail.edit", task.station.trail)
    for name, value in registry.validate_task(data).items():
        setattr(task, name, value)
    _touch(task.station.trail)
    db.session.commit()
    return task


def delete_task(actor: User, task: Task) -> None:
    station = task.station
    policy.require(actor, "trail.edit", station.trail)
    station.tasks.remove(task)
    _renumber(station.tasks)
    _touch(station.trail)
    db.session.commit()


def reorder_tasks(actor: User, station: Station, task_ids: list[int]) -> Station:
    policy.require(actor, "trail.edit", station.trail)
    _reorder(station.tasks, task_ids, "task_ids")
    _touch(station.trail)
    db.session.commit()
    db.session.refresh(station)
    return station


def preview_markdown(text: str) -> str:
    return render(text)
