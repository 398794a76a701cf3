"""Checking a trail package before anything is imported: every problem at once, each by its
JSON path."""

import copy
import re

import jsonschema

from openparcours.errors import ValidationFailed
from openparcours.tasks.registry import validate_task
from openparcours.trails.format.package import SCHEMA, TrailPackage
from openparcours.trails.format.plain import from_plain_geojson
from openparcours.trails.format.problems import (
    ImportFailed,
    add_problem,
    field_params,
    station_params,
)

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


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
            add_problem(
                errors,
                prefix,
                "invalid_task",
                str(message),
                **station_params(prefix),
                **field_params(prefix),
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
        add_problem(
            errors,
            path,
            "media_file_missing",
            f"{name} is not in the trail's media folder.",
            file=name,
            **station_params(path),
        )
