"""A trail package: a document in the open trail format (its version and JSON Schema) and the
media files it names."""

import json
from dataclasses import dataclass, field

from openparcours.config import PROJECT_ROOT

FORMAT_VERSION = 1
SCHEMA = json.loads((PROJECT_ROOT / "trails" / "schema.json").read_text())
DOCUMENT = "trail.geojson"
COORDINATE_DECIMALS = 7  # about 1 cm


@dataclass
class TrailPackage:
    """A trail document and the files it refers to, by their path in the package."""

    document: dict
    files: dict[str, bytes] = field(default_factory=dict)
    name: str = "Parcours"  # the title of a plain GeoJSON trail: its file name


def ordered_files(geojson: bytes, files: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """The document and the media files by their path in the package, in the order written."""
    return sorted([(DOCUMENT, geojson), *files.items()])
