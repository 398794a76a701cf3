"""The open trail format: a GeoJSON FeatureCollection (RFC 7946) with one Feature per station,
the trail's metadata and tasks as foreign members, plus a media folder. See trails/README.md.

Export writes a canonical form (fixed key order, media named by content hash, reproducible
zips), so that export → import → export gives the same bytes. Import checks everything first,
reports every problem at once by its JSON path, and imports nothing if anything is wrong.
"""

import copy
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import jsonschema
from sqlalchemy import select

from openparcours import downloads, policy
from openparcours.accounts.models import User
from openparcours.config import PROJECT_ROOT
from openparcours.core.security import check_json
from openparcours.downloads import Download
from openparcours.errors import Conflict, ServiceError, ValidationFailed
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.organisations.models import Organisation
from openparcours.tasks.registry import validate_task
from openparcours.trails.models import Checkin, Station, Task, Trail, TrailOrder, Visibility
from openparcours.trails.service import TASK_FIELDS, new_station_code

FORMAT_VERSION = 1
SCHEMA = json.loads((PROJECT_ROOT / "trails" / "schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
POINT_VALIDATOR = jsonschema.Draft202012Validator(
    {"$ref": "#/$defs/point", "$defs": SCHEMA["$defs"]}
)
DOCUMENT = "trail.geojson"
MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the import route's request size limit
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that the same trail gives the same zip
PLAIN_RADIUS_M = 30
COORDINATE_DECIMALS = 7  # about 1 cm
_DRIVE = re.compile(r"^[A-Za-z]:")


class ImportFailed(ServiceError):
    """The trail was not imported; `errors` maps JSON paths to their problems, each
    {"code", "message", "params"}: the code and its params (`station`, counted from 1, `field`,
    `file` …) for people's own language, the message in English for logs and tools."""

    status, code = 422, "invalid_trail"
    errors: dict[str, list[dict]]

    def __init__(self, errors: dict[str, list[dict]]):
        count = sum(map(len, errors.values()))
        super().__init__(f"The trail was not imported: {count} problem(s).")
        self.errors = errors

    @classmethod
    def at_once(cls, code: str, message: str, **params) -> "ImportFailed":
        """A problem with the file as a whole (not JSON, not a zip, too large …)."""
        return cls({"$": [_problem(code, message, params)]})


@dataclass
class TrailPackage:
    """A trail document and the files it refers to, by their path in the package."""

    document: dict
    files: dict[str, bytes] = field(default_factory=dict)
    name: str = "Parcours"  # the title of a plain GeoJSON trail: its file name


def _problem(code: str, message: str, params: dict) -> dict:
    return {"code": code, "message": message, "params": params}


def _add(errors: dict, path: str, code: str, message: str, **params) -> None:
    errors.setdefault(path, []).append(_problem(code, message, params))


def _station(path: str) -> dict:
    """{"station": N} for a JSON path into the N-th feature, and {"task": M} into its M-th
    task, counted from 1."""
    found = {}
    if station := re.match(r"^\$\.features\[(\d+)\]", path):
        found["station"] = int(station[1]) + 1
        if task := re.match(r"^\$\.features\[\d+\]\.properties\.tasks\[(\d+)\]", path):
            found["task"] = int(task[1]) + 1
    return found


def _field(path: str) -> dict:
    """{"field": name}: the last member named in a JSON path ($.trail.grades[0] → grades)."""
    names = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", path)
    return {"field": names[-1]} if names else {}


# --- Reading -----------------------------------------------------------------------------


def _stem(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).stem.strip() or "Parcours"


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _parse(data: bytes, name: str) -> dict:
    try:
        document = json.loads(data, parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportFailed.at_once(
            "not_json", f"{name} is not valid JSON: {error}", file=name
        ) from error
    except RecursionError as error:
        raise ImportFailed.at_once(
            "nested_too_deeply", f"{name} is nested too deeply.", file=name
        ) from error
    check_json(document)  # as every JSON request is checked
    if not isinstance(document, dict):
        raise ImportFailed.at_once(
            "not_a_feature_collection", "Expected a GeoJSON FeatureCollection (a JSON object)."
        )
    return document


def read_geojson(data: bytes, name: str) -> TrailPackage:
    """A single .geojson file: a trail without media, or plain GeoJSON from other tools."""
    return TrailPackage(_parse(data, name), {}, _stem(name))


def read_folder(path: Path) -> TrailPackage:
    path = Path(path)
    document = path / DOCUMENT
    if not document.is_file():
        raise ImportFailed.at_once(
            "no_trail_document", f"The folder has no {DOCUMENT}.", file=DOCUMENT
        )
    files = {
        f"media/{p.name}": p.read_bytes()
        for p in sorted((path / "media").glob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
    return TrailPackage(_parse(document.read_bytes(), DOCUMENT), files, path.name)


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or "\0" in name
        or bool(_DRIVE.match(name))
    )


def read_zip(source: bytes | Path | BinaryIO, name: str = "Parcours.zip") -> TrailPackage:
    """A zip of a trail folder, at its root or inside one folder. Refuses unsafe paths (zip
    slip), more than MAX_ENTRIES entries and more than MAX_UNPACKED_BYTES unpacked (zip bombs,
    counted while unpacking, not trusted from the zip's directory)."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise ImportFailed.at_once("not_a_zip", "Not a zip file, or a damaged one.") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed.at_once(
                "zip_too_many_entries",
                f"The zip has more than {MAX_ENTRIES} entries.",
                limit=MAX_ENTRIES,
            )
        unsafe = [info.filename for info in entries if _unsafe(info.filename)]
        if unsafe:
            raise ImportFailed(
                {
                    "$": [
                        _problem("zip_unsafe_path", f"Unsafe path in the zip: {n!r}.", {"file": n})
                        for n in unsafe
                    ]
                }
            )
        files = [info for info in entries if not info.is_dir()]
        names = [info.filename for info in files]
        if len(set(names)) != len(names):
            raise ImportFailed.at_once("zip_file_twice", "The zip holds a file twice.")
        documents = [
            n for n in names if PurePosixPath(n).name == DOCUMENT and not n.startswith("__MACOSX/")
        ]
        if len(documents) != 1:
            raise ImportFailed.at_once(
                "no_trail_document", f"The zip must hold exactly one {DOCUMENT}.", file=DOCUMENT
            )
        base = PurePosixPath(documents[0]).parent
        wanted = {}
        for info in files:
            relative = PurePosixPath(info.filename)
            if base.parts:
                if relative.parts[: len(base.parts)] != base.parts:
                    continue  # e.g. __MACOSX/ beside the trail folder
                relative = relative.relative_to(base)
            if str(relative) == DOCUMENT or (
                len(relative.parts) == 2 and relative.parts[0] == "media"
            ):
                wanted[str(relative)] = info
        too_large = ImportFailed.at_once(
            "zip_too_large",
            f"The zip unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB.",
            megabytes=MAX_UNPACKED_BYTES // 2**20,
        )
        if sum(info.file_size for info in wanted.values()) > MAX_UNPACKED_BYTES:
            raise too_large
        budget = MAX_UNPACKED_BYTES
        contents: dict[str, bytes] = {}
        for name_in_package, info in sorted(wanted.items()):
            try:
                with archive.open(info) as member:
                    content = member.read(budget + 1)
            except (
                zipfile.BadZipFile,
                RuntimeError,
                NotImplementedError,
                zlib.error,
                EOFError,
                OSError,
            ) as error:
                message = f"{info.filename} cannot be unpacked (damaged or encrypted)."
                raise ImportFailed.at_once("zip_damaged", message, file=info.filename) from error
            budget -= len(content)
            if budget < 0:
                raise too_large
            contents[name_in_package] = content
    document = contents.pop(DOCUMENT)
    return TrailPackage(_parse(document, DOCUMENT), contents, _stem(name))


def read_source(path: Path) -> TrailPackage:
    """A trail folder, a .zip of one, or a .geojson file."""
    path = Path(path)
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() == ".zip":
        return read_zip(path.read_bytes(), path.name)
    return read_geojson(path.read_bytes(), path.name)


def read_upload(data: bytes, filename: str) -> TrailPackage:
    """A .zip of a trail folder; anything else is read as GeoJSON (.geojson, .json, .umap)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".zip"):
        return read_zip(data, filename)
    return read_geojson(data, filename)


# --- Checking ----------------------------------------------------------------------------


def _flatten(messages, prefix: str, errors: dict) -> None:
    """The registry's nested marshmallow messages → JSON paths under `prefix`."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                part = ""
            elif isinstance(key, int) or str(key).isdigit():
                part = f"[{key}]"
            else:
                part = f".{key}"
            _flatten(value, prefix + part, errors)
    else:
        for message in messages if isinstance(messages, list) else [messages]:
            _add(errors, prefix, "invalid_task", str(message), **_station(prefix), **_field(prefix))


# How GIS tools name the coordinates GeoJSON has (RFC 7946: WGS 84 longitude, latitude).
WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "OGC:CRS84",
    "CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
}


def _crs_problem(document: dict) -> dict | None:
    """QGIS writes the layer's `crs` (an old GeoJSON member): WGS 84 is what GeoJSON has
    anyway; any other would put the stations somewhere else entirely."""
    crs = document.get("crs")
    if crs is None:
        return None
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if isinstance(name, str) and name.strip() in WGS84_NAMES:
        return None
    named = name if isinstance(name, str) else json.dumps(crs)[:100]
    return _problem(
        "unsupported_crs",
        f"The coordinates are in {named}; export the layer in WGS 84 (EPSG:4326).",
        {"crs": named},
    )


def _coordinates(geometry, where: str, errors: dict) -> list | None:
    """The [lon, lat] of a Point, or of a MultiPoint with one point (as QGIS writes point
    layers); a height is dropped."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "MultiPoint" and isinstance(geometry.get("coordinates"), list):
        points = geometry["coordinates"]
        if len(points) != 1:
            _add(
                errors,
                f"{where}.geometry",
                "several_points",
                f"A station is one point, not {len(points)}.",
                count=len(points),
                **_station(where),
            )
            return None
        geometry = {"type": "Point", "coordinates": points[0]}
    elif kind != "Point":
        _add(
            errors,
            f"{where}.geometry",
            "not_a_point",
            f"Only Points can become stations, not {kind or 'no geometry'}.",
            kind=kind,
            **_station(where),
        )
        return None
    found = list(POINT_VALIDATOR.iter_errors(geometry))
    for error in found:
        _add(
            errors,
            f"{where}.geometry{error.json_path[1:]}",
            "invalid_coordinates",
            error.message,
            **_station(where),
        )
    return None if found else geometry["coordinates"][:2]


def _text(properties: dict, *names: str) -> str:
    """The first non-empty text among these properties, whatever their case (QGIS fields are
    often "Name" or "NAME")."""
    by_name = {str(key).casefold(): value for key, value in properties.items()}
    for name in names:
        value = by_name.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _features(document: dict) -> list | None:
    """The features of a FeatureCollection, or of all layers of a uMap backup (.umap)."""
    if document.get("type") == "umap" and isinstance(document.get("layers"), list):
        layers = [layer for layer in document["layers"] if isinstance(layer, dict)]
        if all(isinstance(layer.get("features"), list) for layer in layers):
            return [feature for layer in layers for feature in layer["features"]]
        return None
    features = document.get("features")
    if document.get("type") != "FeatureCollection" or not isinstance(features, list):
        return None
    return features


def from_plain_geojson(document: dict, title: str) -> tuple[dict, list[dict]]:
    """GeoJSON from QGIS, uMap or geojson.io: every Point (or MultiPoint of one point) becomes
    a GPS station. A station without a name is called "Station N", with a warning; the
    warnings are problems as ImportFailed lists them, with their path."""
    features = _features(document)
    if features is None:
        raise ImportFailed.at_once(
            "not_a_feature_collection", "Expected a GeoJSON FeatureCollection."
        )
    if crs := _crs_problem(document):
        raise ImportFailed({"$.crs": [crs]})
    errors: dict[str, list[dict]] = {}
    warnings: list[dict] = []
    stations = []
    for i, feature in enumerate(features):
        where = f"$.features[{i}]"
        if not isinstance(feature, dict):
            _add(errors, where, "not_a_feature", "Expected a GeoJSON Feature.", station=i + 1)
            continue
        coordinates = _coordinates(feature.get("geometry"), where, errors)
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        name = _text(properties, "name", "title")
        if not name:
            name = f"Station {i + 1}"
            warnings.append(
                {"path": f"{where}.properties.name"}
                | _problem(
                    "station_unnamed",
                    f"A station without a name is called {name!r}.",
                    {"station": i + 1},
                )
            )
        if coordinates is None or errors:
            continue
        stations.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": {
                    "title": name[:200],
                    "content": _text(properties, "description"),
                    "checkin": "gps",
                    "radius_m": PLAIN_RADIUS_M,
                },
            }
        )
    if errors:
        raise ImportFailed(errors)
    trail = {
        "type": "FeatureCollection",
        "openparcours": FORMAT_VERSION,
        "trail": {"title": title.strip()[:200] or "Parcours"},
        "features": stations,
    }
    return trail, warnings


def check(package: TrailPackage) -> tuple[dict, list[dict]]:
    """The document in format version 1 with every task as the registry stores it, and the
    warnings (a plain GeoJSON station named for want of a name); or `ImportFailed` with every
    problem by its JSON path: the schema's, then the task types', then missing media files."""
    document = copy.deepcopy(package.document)
    warnings: list[dict] = []
    if "openparcours" not in document:
        document, warnings = from_plain_geojson(document, package.name)
    errors: dict[str, list[dict]] = {}
    for error in VALIDATOR.iter_errors(document):
        path = _schema_path(error)
        _add(errors, path, "invalid_value", error.message, **_station(path), **_field(path))
    features = document.get("features")
    for i, feature in enumerate(features if isinstance(features, list) else []):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            continue
        tasks = properties.get("tasks")
        if not isinstance(tasks, list):
            tasks = []
        for j, task in enumerate(tasks):
            if not isinstance(task, dict):
                continue
            try:
                tasks[j] = validate_task(task)
            except ValidationFailed as error:
                found: dict[str, list[dict]] = {}
                _flatten(error.errors, f"$.features[{i}].properties.tasks[{j}]", found)
                for path, messages in found.items():
                    if path not in errors:  # the schema said it already
                        errors[path] = messages
        media = properties.get("media")
        for k, item in enumerate(media if isinstance(media, list) else []):
            _check_file(package, item, f"$.features[{i}].properties.media[{k}].file", errors)
    trail = document.get("trail")
    if isinstance(trail, dict) and trail.get("cover"):
        _check_file(package, trail["cover"], "$.trail.cover.file", errors)
    if errors:
        raise ImportFailed(dict(sorted(errors.items(), key=lambda item: _natural(item[0]))))
    return document, warnings


def _schema_path(error: jsonschema.ValidationError) -> str:
    """Where the problem is; a missing member is reported where it should be."""
    required = error.validator_value  # the names, for "required"
    if error.validator == "required" and isinstance(error.instance, dict):
        for name in required if isinstance(required, list) else []:
            if name not in error.instance and repr(name) in error.message:
                return f"{error.json_path}.{name}"
    return error.json_path


def _natural(path: str) -> list:
    """Document order: $.features[2] before $.features[10]."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def _check_file(package: TrailPackage, item, path: str, errors: dict) -> None:
    name = item.get("file") if isinstance(item, dict) else None
    if isinstance(name, str) and path not in errors and name not in package.files:
        _add(
            errors,
            path,
            "media_file_missing",
            f"{name} is not in the trail's media folder.",
            file=name,
            **_station(path),
        )


# --- Importing ---------------------------------------------------------------------------


def import_trail(
    source: TrailPackage | Path | str,
    organisation: Organisation,
    actor: User | None,
    title: str | None = None,
) -> Trail:
    """Everything or nothing: the trail as a new draft of `organisation`, with new station
    codes and its `import_warnings`. `source` is a package or a path (folder, .zip, .geojson);
    `title` replaces the trail's title (and names a plain GeoJSON trail). Permission checks
    are the caller's (the API checks `trail.create`; the command line is the operator)."""
    package = source if isinstance(source, TrailPackage) else read_source(Path(source))
    if title and title.strip():
        package.name = title.strip()
    document, warnings = check(package)

    # Media last: only once everything else is right, and all of them in this transaction.
    meta = document["trail"]
    wanted: dict[str, str] = {}  # file → the first JSON path that refers to it
    if meta.get("cover"):
        wanted.setdefault(meta["cover"]["file"], "$.trail.cover.file")
    for i, feature in enumerate(document["features"]):
        for k, item in enumerate(feature["properties"].get("media", [])):
            wanted.setdefault(item["file"], f"$.features[{i}].properties.media[{k}].file")
    stored: dict[str, Media] = {}
    errors: dict[str, list[dict]] = {}
    for name, where in wanted.items():
        try:
            stored[name] = media_service.store_media(package.files[name], organisation, actor)
        except ServiceError as error:
            _add(
                errors,
                where,
                "media_refused",
                error.message,
                file=name,
                reason=error.code,
                **_station(where),
            )
    if errors:
        db.session.rollback()
        raise ImportFailed(errors)

    cover = meta.get("cover")
    trail = Trail(
        organisation_id=organisation.id,
        created_by_id=actor.id if actor else None,
        title=(title or "").strip() or meta["title"].strip(),
        description=meta.get("description", "").strip(),
        subjects=[subject.strip() for subject in meta.get("subjects", [])],
        grades=list(meta.get("grades", [])),
        duration_minutes=meta.get("duration_minutes"),
        language=meta.get("language", "de"),
        order=TrailOrder(meta.get("order", "fixed")),
        visibility=Visibility(meta.get("visibility", "partners")),
        cover_media_id=stored[cover["file"]].id if cover else None,
        cover_alt=cover["alt"].strip() if cover else None,
    )
    for i, feature in enumerate(document["features"]):
        properties, geometry = feature["properties"], feature["geometry"]
        lon, lat = geometry["coordinates"][:2] if geometry else (None, None)
        station = Station(
            position=i,
            code=new_station_code(),
            title=properties["title"].strip(),
            content=properties.get("content", "").strip(),
            media=[
                {"media_id": stored[item["file"]].id, "alt": item["alt"].strip()}
                for item in properties.get("media", [])
            ],
            lon=None if lon is None else round(lon, COORDINATE_DECIMALS),
            lat=None if lat is None else round(lat, COORDINATE_DECIMALS),
            radius_m=properties.get("radius_m", PLAIN_RADIUS_M),
            checkin=Checkin(properties.get("checkin", "gps" if geometry else "none")),
        )
        station.tasks = [
            Task(position=j, **task) for j, task in enumerate(properties.get("tasks", []))
        ]
        trail.stations.append(station)
    db.session.add(trail)
    db.session.commit()
    trail.import_warnings = warnings  # for the import's answer; not stored
    return trail


# --- Exporting ---------------------------------------------------------------------------


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
                    "checkin": station.checkin.value,
                    "radius_m": station.radius_m,
                    "media": [
                        {"file": media_file(item["media_id"]), "alt": item.get("alt") or ""}
                        for item in station.media
                        if item["media_id"] in media_by_id
                    ],
                    "tasks": [_task(task) for task in station.tasks],
                },
            }
            for station in trail.stations
        ],
    }
    return dumps(document), dict(sorted(files.items()))


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


def _entries(geojson: bytes, files: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return sorted([(DOCUMENT, geojson), *files.items()])


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
    for name, data in _entries(geojson, files):
        (path / name).write_bytes(data)


def zip_bytes(geojson: bytes, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    write_zip(out, geojson, files)
    return out.getvalue()


def write_zip(target: Path | str | BinaryIO, geojson: bytes, files: dict[str, bytes]) -> None:
    """A reproducible zip: entries sorted by name, a fixed time stamp and file mode."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _entries(geojson, files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes the zip
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)


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


# --- With permissions, for the API -------------------------------------------------------


def import_upload(actor: User, organisation: Organisation, data: bytes, filename: str):
    """The API's import: permission first, so that nobody else makes the server unpack."""
    policy.require(actor, "trail.create", organisation)
    return import_trail(read_upload(data, filename), organisation, actor)


def export_as(actor: User, trail: Trail) -> Download:
    policy.require(actor, "trail.edit", trail)
    data = zip_bytes(*export_trail(trail))
    return Download(data, "application/zip", downloads.filename("parcours", trail.id, ext="zip"))


def stations_geojson_as(actor: User | None, trail: Trail) -> Download:
    policy.check(actor, "trail.view", trail)
    data = json.dumps(stations_geojson(trail)).encode()
    name = downloads.filename("stationen", trail.id, ext="geojson")
    return Download(data, "application/geo+json", name)
