"""The open trail format: a GeoJSON FeatureCollection (RFC 7946) with one Feature per station,
the trail's metadata and tasks as foreign members, plus a media folder. See trails/README.md.

Export writes a canonical form (fixed key order, media named by content hash, reproducible
zips), so export → import → export gives the same bytes.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jsonschema
from sqlalchemy import select

from server import policy
from server.accounts.models import User
from server.config import PROJECT_ROOT
from server.errors import ServiceError, ValidationFailed
from server.extensions import db
from server.media import service as media_service
from server.media.models import Media
from server.organisations.models import Organisation
from server.tasks.registry import validate_task
from server.trails.models import Checkin, Station, Task, Trail, TrailOrder, Visibility
from server.trails.service import TASK_FIELDS, new_station_code

FORMAT_VERSION = 1
SCHEMA = json.loads((PROJECT_ROOT / "trails" / "schema.json").read_text())
DOCUMENT = "trail.geojson"
MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that the same trail gives the same zip
PLAIN_RADIUS_M = 30


class ImportFailed(ServiceError):
    status, code = 422, "invalid_trail"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(f"The trail has {sum(map(len, errors.values()))} problem(s).")
        self.errors = errors


@dataclass
class TrailPackage:
    """A trail document and the files it refers to, by their path in the package."""

    document: dict
    files: dict[str, bytes] = field(default_factory=dict)
    name: str = "Parcours"


# --- Reading -----------------------------------------------------------------------------


def _parse(data: bytes, name: str) -> dict:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed({"$": [f"{name} is not valid JSON: {error}"]}) from error
    if not isinstance(document, dict):
        raise ImportFailed({"$": ["Expected a GeoJSON FeatureCollection (a JSON object)."]})
    return document


def read_geojson(data: bytes, name: str) -> TrailPackage:
    return TrailPackage(_parse(data, name), {}, Path(name).stem)


def read_folder(path: Path) -> TrailPackage:
    document = path / DOCUMENT
    if not document.is_file():
        raise ImportFailed({"$": [f"The folder has no {DOCUMENT}."]})
    files = {
        f"media/{p.name}": p.read_bytes() for p in sorted((path / "media").glob("*")) if p.is_file()
    }
    return TrailPackage(_parse(document.read_bytes(), DOCUMENT), files, path.name)


def read_zip(data: bytes, name: str) -> TrailPackage:
    """A zip of a trail folder, at its root or inside one folder; refuses zip slips and bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportFailed({"$": ["Not a zip file."]}) from error
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed({"$": [f"At most {MAX_ENTRIES} files in a trail."]})
        for info in entries:
            path = PurePosixPath(info.filename)
            if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
                raise ImportFailed({"$": [f"Unsafe path in the zip: {info.filename!r}."]})
        documents = [i for i in entries if PurePosixPath(i.filename).name == DOCUMENT]
        if len(documents) != 1:
            raise ImportFailed({"$": [f"The zip must hold exactly one {DOCUMENT}."]})
        base = str(PurePosixPath(documents[0].filename).parent)
        budget = MAX_UNPACKED_BYTES
        contents = {}
        for info in entries:
            with archive.open(info) as member:
                content = member.read(budget + 1)
            budget -= len(content)
            if budget < 0:
                raise ImportFailed({"$": ["The zip unpacks to more than 100 MB."]})
            relative = (
                str(PurePosixPath(info.filename).relative_to(base))
                if base != "."
                else (info.filename)
            )
            contents[relative] = content
    document = contents.pop(DOCUMENT)
    return TrailPackage(_parse(document, DOCUMENT), contents, Path(name).stem)


def read_source(path: Path) -> TrailPackage:
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() == ".zip":
        return read_zip(path.read_bytes(), path.name)
    return read_geojson(path.read_bytes(), path.name)


def read_upload(data: bytes, filename: str) -> TrailPackage:
    if data[:4] == b"PK\x03\x04":
        return read_zip(data, filename)
    return read_geojson(data, filename)


# --- Checking ----------------------------------------------------------------------------


def _json_path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _flatten(messages, prefix: str, errors: dict) -> None:
    """marshmallow's nested messages → JSON paths."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            part = f"[{key}]" if isinstance(key, int) or str(key).isdigit() else f".{key}"
            _flatten(value, prefix + part, errors)
    else:
        errors.setdefault(prefix, []).extend(messages if isinstance(messages, list) else [messages])


def from_plain_geojson(document: dict, title: str) -> dict:
    """GeoJSON from uMap, geojson.io or QGIS: every named Point becomes a GPS station."""
    errors: dict[str, list[str]] = {}
    features = document.get("features")
    if document.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise ImportFailed({"$": ["Expected a GeoJSON FeatureCollection."]})
    stations = []
    for i, feature in enumerate(features):
        where = f"$.features[{i}]"
        geometry = (feature or {}).get("geometry") if isinstance(feature, dict) else None
        properties = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            errors.setdefault(f"{where}.geometry", []).append(
                "Only Point features can become stations."
            )
            continue
        name = properties.get("name") or properties.get("title")
        if not isinstance(name, str) or not name.strip():
            errors.setdefault(f"{where}.properties.name", []).append("A station needs a name.")
            continue
        description = properties.get("description")
        stations.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": geometry.get("coordinates")},
            "properties": {
                "title": name.strip()[:200],
                "content": description if isinstance(description, str) else "",
                "checkin": "gps",
                "radius_m": PLAIN_RADIUS_M,
            },
        })  # fmt: skip
    if errors:
        raise ImportFailed(errors)
    return {
        "type": "FeatureCollection",
        "openparcours": FORMAT_VERSION,
        "trail": {"title": title[:200] or "Parcours"},
        "features": stations,
    }


def check(package: TrailPackage) -> dict:
    """The document in format version 1 with every task loaded; or `ImportFailed` listing
    every problem by its JSON path."""
    document = package.document
    if "openparcours" not in document:
        document = from_plain_geojson(document, package.name)
    errors: dict[str, list[str]] = {}
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        errors.setdefault(_json_path(error.absolute_path), []).append(error.message)
    if errors:
        raise ImportFailed(errors)
    for i, feature in enumerate(document["features"]):
        properties = feature["properties"]
        for j, task in enumerate(properties.get("tasks", [])):
            try:
                properties["tasks"][j] = validate_task(task)
            except ValidationFailed as error:
                _flatten(error.errors, f"$.features[{i}].properties.tasks[{j}]", errors)
        for k, item in enumerate(properties.get("media", [])):
            if item["file"] not in package.files:
                path = f"$.features[{i}].properties.media[{k}].file"
                errors.setdefault(path, []).append(f"{item['file']} is not in the package.")
    cover = document["trail"].get("cover")
    if cover and cover["file"] not in package.files:
        errors.setdefault("$.trail.cover.file", []).append(
            f"{cover['file']} is not in the package."
        )
    if errors:
        raise ImportFailed(errors)
    return document


# --- Importing ---------------------------------------------------------------------------


def import_trail(
    package: TrailPackage, organisation: Organisation, actor: User | None, title: str | None = None
) -> Trail:
    """Everything or nothing: the trail as a new draft of `organisation`. Permission checks
    are the caller's (the API checks `trail.create`; the command line is the operator)."""
    if title:
        package.name = title
    document = check(package)
    stored: dict[str, Media] = {}
    errors: dict[str, list[str]] = {}

    def media_for(path: str, where: str) -> Media | None:
        if path not in stored:
            try:
                stored[path] = media_service.store_media(package.files[path], organisation, actor)
            except ServiceError as error:
                errors.setdefault(where, []).append(error.message)
                return None
        return stored[path]

    meta = document["trail"]
    cover = meta.get("cover")
    cover_media = media_for(cover["file"], "$.trail.cover.file") if cover else None
    trail = Trail(
        organisation=organisation,
        created_by_id=actor.id if actor else None,
        title=title or meta["title"],
        description=meta.get("description", ""),
        subjects=meta.get("subjects", []),
        grades=meta.get("grades", []),
        duration_minutes=meta.get("duration_minutes"),
        language=meta.get("language", "de"),
        order=TrailOrder(meta.get("order", "fixed")),
        visibility=Visibility(meta.get("visibility", "partners")),
        cover_media_id=cover_media.id if cover_media else None,
        cover_alt=cover["alt"] if cover else None,
    )
    for i, feature in enumerate(document["features"]):
        properties, geometry = feature["properties"], feature["geometry"]
        media = []
        for k, item in enumerate(properties.get("media", [])):
            found = media_for(item["file"], f"$.features[{i}].properties.media[{k}].file")
            if found:
                media.append({"media_id": found.id, "alt": item["alt"]})
        station = Station(
            position=i,
            code=new_station_code(),
            title=properties["title"],
            content=properties.get("content", ""),
            media=media,
            lon=geometry["coordinates"][0] if geometry else None,
            lat=geometry["coordinates"][1] if geometry else None,
            radius_m=properties.get("radius_m", PLAIN_RADIUS_M),
            checkin=Checkin(properties.get("checkin", "gps" if geometry else "none")),
        )
        station.tasks = [
            Task(position=j, **task) for j, task in enumerate(properties.get("tasks", []))
        ]
        trail.stations.append(station)
    if errors:
        db.session.rollback()
        raise ImportFailed(errors)
    db.session.add(trail)
    db.session.commit()
    return trail


# --- Exporting ---------------------------------------------------------------------------


def dumps(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def export_trail(trail: Trail) -> TrailPackage:
    files: dict[str, bytes] = {}
    media_by_id = {
        m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_(_media_ids(trail))))
    }

    def media_file(media_id: int) -> str:
        media = media_by_id[media_id]
        data = media_service.storage().read(media.file)
        name = f"media/{hashlib.sha256(data).hexdigest()[:16]}.{media.file.rsplit('.', 1)[1]}"
        files[name] = data
        return name

    cover = (
        {"file": media_file(trail.cover_media_id), "alt": trail.cover_alt or ""}
        if trail.cover_media_id in media_by_id
        else None
    )
    document = {
        "type": "FeatureCollection",
        "openparcours": FORMAT_VERSION,
        "trail": {
            "title": trail.title,
            "description": trail.description,
            "subjects": list(trail.subjects),
            "grades": list(trail.grades),
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
                    "content": station.content,
                    "checkin": station.checkin.value,
                    "radius_m": station.radius_m,
                    "media": [
                        {"file": media_file(item["media_id"]), "alt": item.get("alt", "")}
                        for item in station.media
                        if item["media_id"] in media_by_id
                    ],
                    "tasks": [
                        {name: getattr(task, name) for name in TASK_FIELDS}
                        for task in station.tasks
                    ],
                },
            }
            for station in trail.stations
        ],
    }
    return TrailPackage(document, dict(sorted(files.items())), trail.title)


def _media_ids(trail: Trail) -> set[int]:
    ids = {item["media_id"] for station in trail.stations for item in station.media}
    return ids | ({trail.cover_media_id} if trail.cover_media_id else set())


def _point(station: Station) -> dict | None:
    if station.lat is None:
        return None
    return {"type": "Point", "coordinates": [round(station.lon, 7), round(station.lat, 7)]}


def write_folder(package: TrailPackage, path: Path) -> None:
    (path / "media").mkdir(parents=True, exist_ok=True)
    (path / DOCUMENT).write_bytes(dumps(package.document))
    for name, data in package.files.items():
        (path / name).write_bytes(data)


def zip_bytes(package: TrailPackage) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(DOCUMENT, dumps(package.document)), *package.files.items()]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


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
                    "position": station.position + 1,
                    "checkin": station.checkin.value,
                    "radius_m": station.radius_m,
                },
            }
            for station in trail.stations
        ],
    }


# --- With permissions, for the API -------------------------------------------------------


def import_as(actor: User | None, organisation: Organisation, package: TrailPackage) -> Trail:
    policy.require(actor, "trail.create", organisation)
    return import_trail(package, organisation, actor)


def export_as(actor: User | None, trail: Trail) -> bytes:
    policy.require(actor, "trail.edit", trail)
    return zip_bytes(export_trail(trail))


def stations_geojson_as(actor: User | None, trail: Trail) -> dict:
    policy.require(actor, "trail.view", trail)
    return stations_geojson(trail)
