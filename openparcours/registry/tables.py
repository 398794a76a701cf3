"""The reference tables shipped with the app: data files, versioned, with their source."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def _table(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def districts() -> dict[str, str]:
    """Kreisschlüssel (first five digits of a Gemeindeschlüssel) → the district's name."""
    return _table("nrw_districts")["districts"]


def school_forms() -> dict[str, dict]:
    """The state's Schulform key → {"name": German name, "school_form": OpenParcours' form}."""
    return _table("nrw_school_forms")["forms"]


def school_form_name(key: str) -> str:
    """The German name of a key; an unknown key stays visible as itself."""
    form = school_forms().get(key)
    return form["name"] if form else f"Schulform {key}"


def sources() -> list[dict]:
    """Title, source and version of every table, for the documentation and the API."""
    return [
        {key: _table(name)[key] for key in ("title", "source", "version")}
        for name in ("nrw_districts", "nrw_school_forms")
    ]
