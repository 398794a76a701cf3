"""Exporting a trail in canonical form (fixed key order, media named by content hash), so that
export → import → export gives the same bytes; as a folder or a zip, and its stations as plain
GeoJSON for GIS tools."""

import hashlib
import json
from pathlib import Path

from sqlalchemy import select

from openparcours import downloads, policy
from openparcours.accounts.models import User
from openparcours.downloads import Download
from openparcours.errors import Conflict
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.trails.format.package import (
    COORDINATE_DECIMALS,
    DOCUMENT,
    FORMAT_VERSION,
    ordered_files,
)
from openparcours.trails.format.zips import zip_bytes
from openparcours.trails.models import Station, Task, Trail
from openparcours.trails.schemas import RELEASE_FIELDS
from openparcours.trails.service import TASK_FIELDS


def dumps(document: dict) -> bytes:
    """The canonical text: keys in the order built here, UTF-8, two spaces, newline at end."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def export_trail(trail: Trail, storage=None) -> tuple[bytes, dict[str, bytes]]:
    """The trail's draft in canonical form: (trail.geojson, {"media/<hash>.<ext>": bytes}).
    `storage` reads the stored media files (default: the app's media storage)."""
    storage = storage or media_service.storage()
    files: dict[str, bytes] = {}
    media_ids = {item["media_id"] for station in trail.stations for item in station.media}
    if trail.cover_media_id:
        media_ids.add(trail.cover_media_id)
    media_by_id = {
        m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_(media_ids)))
    }

    def media_file(media_id: int) -> str:
        media = media_by_id[media_id]
        try:
            data = storage.read(media.file)
        except (OSError, ValueError) as error:
            raise Conflict(f"Media file {media.id} is missing from the storage.") from error
        name = f"media/{hashlib.sha256(data).hexdigest()[:16]}.{media.file.rsplit('.', 1)[1]}"
        files[name] = data
        return name

    numbers = {station.id: number for number, station in enumerate(trail.stations, start=1)}
    cover = None
    if trail.cover_media_id in media_by_id:
        cover = {"file": media_file(trail.cover_media_id), "alt": trail.cover_alt or ""}
    document = {
        "type": "FeatureCollection",
        "openparcours": FORMAT_VERSION,
        "trail": {
            "title": trail.title,
            "description": trail.description or "",
            "subjects": list(trail.subjects or []),
            "grades": list(trail.grades or []),
            "media_competences": list(trail.media_competences or []),
            "curriculum_reference": _reference(trail.curriculum_reference),
            "duration_minutes": trail.duration_minutes,
            "language": trail.language,
            "order": trail.order.value,
            "visibility": trail.visibility.value,
            "cover": cover,
        },
        "features": [
            {
                "type": "Feature",
                "geometry": _point(station),
                "properties": {
                    "title": station.title,
                    "content": station.content or "",
                    "subjects": list(station.subjects or []),
                    "media_competences": list(station.media_competences or []),
                    "checkin": station.checkin.value,
                    "radius_m": station.radius_m,
                    # Only a station with a rule of its own has one.
                    **({"release": release} if release else {}),
                    "media": [
                        {"file": media_file(item["media_id"]), "alt": item.get("alt") or ""}
                        for item in station.media
                        if item["media_id"] in media_by_id
                    ],
                    "tasks": [_task(task) for task in station.tasks],
                },
            }
            for station in trail.stations
            for release in [_release(station.release, numbers)]
        ],
    }
    return dumps(document), dict(sorted(files.items()))


def _reference(reference: dict | None) -> dict | None:
    if not reference:
        return None
    return {"text": reference["text"], "url": reference.get("url")}


def _release(rule: dict | None, numbers: dict[int, int]) -> dict | None:
    """A release rule with the stations it waits for by their numbers in the file (`numbers`:
    station id → number). A deleted station is left out (the publish check names such a rule),
    and a rule that waits for none of the trail's stations with it."""
    if rule is None:
        return None
    if rule["kind"] != "after":
        return {"kind": rule["kind"], **{name: rule[name] for name in RELEASE_FIELDS[rule["kind"]]}}
    waited = [numbers[i] for i in rule["station_ids"] if i in numbers]
    if not waited:
        return None
    return {"kind": "after", "stations": waited, "count": min(rule.get("count", 1), len(waited))}


def _task(task: Task) -> dict:
    exported = {name: getattr(task, name) for name in TASK_FIELDS}
    exported["hints"] = [{"text": h["text"], "cost": h.get("cost", 0)} for h in task.hints]
    return exported


def _point(station: Station) -> dict | None:
    if station.lat is None or station.lon is None:
        return None
    return {
        "type": "Point",
        "coordinates": [
            round(station.lon, COORDINATE_DECIMALS),
            round(station.lat, COORDINATE_DECIMALS),
        ],
    }


def write_folder(path: Path, geojson: bytes, files: dict[str, bytes]) -> None:
    """Write a trail folder. An existing trail folder is replaced (media it no longer needs
    are removed); any other folder must be empty."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise Conflict(f"{path} is not a folder.")
    if path.exists() and any(path.iterdir()) and not (path / DOCUMENT).is_file():
        raise Conflict(f"{path} is neither empty nor a trail folder.")
    media = path / "media"
    media.mkdir(parents=True, exist_ok=True)
    for old in media.iterdir():
        if old.is_file() and f"media/{old.name}" not in files:
            old.unlink()
    for name, data in ordered_files(geojson, files):
        (path / name).write_bytes(data)


def stations_geojson(trail: Trail) -> dict:
    """The stations for GIS tools: plain GeoJSON Points (null geometry indoors)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": _point(station),
                "properties": {
                    "name": station.title,
                    "description": station.content,
                    "checkin": station.checkin.value,
                    "radius_m": station.radius_m,
                    "position": station.position + 1,
                },
            }
            for station in trail.stations
        ],
    }


def export_as(actor: User, trail: Trail) -> Download:
    policy.require(actor, "trail.edit", trail)
    data = zip_bytes(*export_trail(trail))
    return Download(data, "application/zip", downloads.filename("parcours", trail.id, ext="zip"))


def stations_geojson_as(actor: User | None, trail: Trail) -> Download:
    policy.check(actor, "trail.view", trail)
    data = json.dumps(stations_geojson(trail)).encode()
    name = downloads.filename("stationen", trail.id, ext="geojson")
    return Download(data, "application/geo+json", name)
