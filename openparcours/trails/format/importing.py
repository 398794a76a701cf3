"""Importing a trail package as a new draft: checked first, then everything or nothing."""

from pathlib import Path

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.errors import ServiceError
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.models import Media
from openparcours.organisations.models import Organisation
from openparcours.trails.format.checking import check
from openparcours.trails.format.package import COORDINATE_DECIMALS, TrailPackage
from openparcours.trails.format.plain import PLAIN_RADIUS_M
from openparcours.trails.format.problems import ImportFailed, add_problem, station_params
from openparcours.trails.format.reading import read_source, read_upload
from openparcours.trails.models import Checkin, Station, Task, Trail, TrailOrder, Visibility
from openparcours.trails.service import new_station_code

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the import route's request size limit


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
            add_problem(
                errors,
                where,
                "media_refused",
                error.message,
                file=name,
                reason=error.code,
                **station_params(where),
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
        subjects=meta["subjects"],  # checked: the table's spelling, each once
        grades=list(meta.get("grades", [])),
        media_competences=meta["media_competences"],
        curriculum_reference=meta["curriculum_reference"],
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
            subjects=properties["subjects"],
            media_competences=properties["media_competences"],
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
    db.session.flush()  # the stations' ids, which the release rules wait for
    for station, feature in zip(trail.stations, document["features"], strict=True):
        rule = feature["properties"].get("release")
        if rule and rule["kind"] == "after":
            rule = rule | {"station_ids": [trail.stations[n - 1].id for n in rule["station_ids"]]}
        station.release = rule
    db.session.commit()
    trail.import_warnings = warnings  # for the import's answer; not stored
    return trail


def import_upload(actor: User, organisation: Organisation, data: bytes, filename: str):
    """The API's import: permission first, so that nobody else makes the server unpack."""
    policy.require(actor, "trail.create", organisation)
    return import_trail(read_upload(data, filename), organisation, actor)
