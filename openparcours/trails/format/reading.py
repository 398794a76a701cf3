"""Reading a trail package from a folder, a zip or a single GeoJSON file."""

import json
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from openparcours.core.security import check_json
from openparcours.trails.format.package import DOCUMENT, TrailPackage
from openparcours.trails.format.problems import ImportFailed
from openparcours.trails.format.zips import unpack


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


def read_zip(source: bytes | Path | BinaryIO, name: str = "Parcours.zip") -> TrailPackage:
    """A zip of a trail folder (see `unpack`)."""
    files = unpack(source)
    document = files.pop(DOCUMENT)
    return TrailPackage(_parse(document, DOCUMENT), files, _stem(name))


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
