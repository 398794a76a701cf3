"""Checking a trail package before anything is imported: every problem at once, each by its
JSON path."""

import copy
import re
from collections.abc import Iterator

import jsonschema
import marshmallow as ma

from openparcours.errors import ValidationFailed, field_problem
from openparcours.tasks.registry import validate_task
from openparcours.trails import release
from openparcours.trails.format.package import SCHEMA, TrailPackage
from openparcours.trails.format.plain import from_plain_geojson
from openparcours.trails.format.problems import (
    ImportFailed,
    add_problem,
    field_params,
    station_params,
)
from openparcours.trails.schemas import StationFieldsSchema, TrailFieldsSchema
from openparcours.trails.service import competence_tags

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
# The competence tags as the editor takes them: the same fields, the same service rules.
TRAIL_TAGS = TrailFieldsSchema(only=("subjects", "media_competences", "curriculum_reference"))
STATION_TAGS = StationFieldsSchema(only=("subjects", "media_competences"))
# A station's release rule as the editor takes it.
STATION_RELEASE = StationFieldsSchema(only=("release",))


def _paths(messages, prefix: str) -> Iterator[tuple[str, object]]:
    """Nested marshmallow or service messages → (JSON path under `prefix`, message)."""
    if isinstance(messages, dict) and "code" not in messages:
        for key, value in messages.items():
            if key == "_schema":
                part = ""
            elif isinstance(key, int) or str(key).isdigit():
                part = f"[{key}]"
            else:
                part = f".{key}"
            yield from _paths(value, prefix + part)
    else:
        for message in messages if isinstance(messages, list) else [messages]:
            yield prefix, message


def _flatten(messages, prefix: str, errors: dict) -> None:
    """The registry's nested marshmallow messages → problems by JSON path under `prefix`."""
    for path, message in _paths(messages, prefix):
        add_problem(
            errors,
            path,
            "invalid_task",
            str(message),
            **station_params(path),
            **field_params(path),
        )


def _check_tags(
    schema: ma.Schema, fields: dict, prefix: str, errors: dict, *, free_subjects: bool = False
) -> None:
    """A trail's or station's competence tags by the editor's rules: in place, in the table's
    spelling and order; or each problem by its JSON path, with the editor's code as `reason`.
    `free_subjects`: the trail's subjects from before the table stay (as the editor keeps them)."""
    messages: dict | list | str
    try:
        tags = schema.load({name: fields[name] for name in schema.fields if name in fields})
        competence_tags(tags, kept=tags["subjects"] if free_subjects else ())
    except ma.ValidationError as error:
        messages = error.messages
    except ValidationFailed as error:
        messages = error.errors or {}
    else:
        fields.update(tags)
        return
    _report(messages, prefix, errors)


def _report(messages, prefix: str, errors: dict, renamed: dict[str, str] | None = None) -> None:
    """The editor's messages (marshmallow's or the service's) → problems by JSON path under
    `prefix`, with the editor's code as `reason`; `renamed`: a field's name in the file, by
    the editor's (`station_ids` → `stations`)."""
    for path, message in _paths(messages, prefix):
        for name, in_file in (renamed or {}).items():
            path = path.replace(f".{name}", f".{in_file}")
        if path in errors:  # the schema said it already
            continue
        found = field_problem(message)
        text = message["message"] if isinstance(message, dict) else str(message)
        add_problem(
            errors,
            path,
            "invalid_value",
            text,
            reason=found["code"],
            **found.get("params", {}),
            **station_params(path),
            **field_params(path),
        )


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
        add_problem(
            errors,
            path,
            "invalid_value",
            error.message,
            **station_params(path),
            **field_params(path),
        )
    features = document.get("features")
    rules: dict[int, dict | None] = {}  # each station's release rule, as loaded
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
        _check_tags(STATION_TAGS, properties, f"$.features[{i}].properties", errors)
        rules[i] = _check_release(properties, f"$.features[{i}].properties", errors)
        media = properties.get("media")
        for k, item in enumerate(media if isinstance(media, list) else []):
            _check_file(package, item, f"$.features[{i}].properties.media[{k}].file", errors)
    trail = document.get("trail")
    if isinstance(features, list) and not any(".release" in path for path in errors):
        fixed = not isinstance(trail, dict) or trail.get("order", "fixed") == "fixed"
        _check_release_stations([rules.get(i) for i in range(len(features))], fixed, errors)
    if isinstance(trail, dict):
        _check_tags(TRAIL_TAGS, trail, "$.trail", errors, free_subjects=True)
        if trail.get("cover"):
            _check_file(package, trail["cover"], "$.trail.cover.file", errors)
    if errors:
        raise ImportFailed(dict(sorted(errors.items(), key=lambda item: _natural(item[0]))))
    return document, warnings


def _check_release(properties: dict, prefix: str, errors: dict) -> dict | None:
    """A station's release rule by the editor's schema, the stations it waits for named by
    their numbers (`stations` in the file; as loaded `station_ids`, numbers until the stations
    are stored); None without a rule or with problems."""
    at = f"{prefix}.release"
    rule = properties.get("release")
    if not isinstance(rule, dict) or any(p == at or p.startswith(f"{at}.") for p in errors):
        return None
    given = {("station_ids" if name == "stations" else name): value for name, value in rule.items()}
    try:
        properties["release"] = STATION_RELEASE.load({"release": given})["release"]
    except ma.ValidationError as error:
        _report(error.messages, prefix, errors, {"station_ids": "stations"})
        return None
    return properties["release"]


def _check_release_stations(rules: list[dict | None], fixed_order: bool, errors: dict) -> None:
    """The rules wait for other stations of the file, by number, and not for each other: as
    the publish check says it (openparcours/trails/release.py)."""
    stations = [{"id": number, "release": rule} for number, rule in enumerate(rules, start=1)]
    for found in release.problems(stations, fixed_order):
        prefix = f"$.features[{found.index}].properties.release"
        if found.code == "release_cycle":
            add_problem(
                errors,
                prefix,
                "release_cycle",
                f"The station never opens: the rules of stations {found.params['stations']} "
                "wait for each other.",
                station=found.index + 1,
                field="release",
                **found.params,
            )
            continue
        own = found.index + 1
        rule: dict = stations[found.index]["release"]  # type: ignore[assignment]
        waited = rule["station_ids"]
        k, number = next(
            (k, n) for k, n in enumerate(waited) if n == own or not 1 <= n <= len(stations)
        )
        add_problem(
            errors,
            f"{prefix}.stations[{k}]",
            "release_station_outside",
            f"Station {number} is not another station of the trail.",
            number=number,
            station=own,
            field="stations",
        )


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
        add_problem(
            errors,
            path,
            "media_file_missing",
            f"{name} is not in the trail's media folder.",
            file=name,
            **station_params(path),
        )
