"""Plain GeoJSON from GIS tools (QGIS, uMap, geojson.io) as a trail: every point a GPS station."""

import json

import jsonschema

from openparcours.trails.format.package import FORMAT_VERSION, SCHEMA
from openparcours.trails.format.problems import ImportFailed, add_problem, problem, station_params

PLAIN_RADIUS_M = 30
POINT_VALIDATOR = jsonschema.Draft202012Validator(
    {"$ref": "#/$defs/point", "$defs": SCHEMA["$defs"]}
)

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
    return problem(
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
            add_problem(
                errors,
                f"{where}.geometry",
                "several_points",
                f"A station is one point, not {len(points)}.",
                count=len(points),
                **station_params(where),
            )
            return None
        geometry = {"type": "Point", "coordinates": points[0]}
    elif kind != "Point":
        add_problem(
            errors,
            f"{where}.geometry",
            "not_a_point",
            f"Only Points can become stations, not {kind or 'no geometry'}.",
            kind=kind,
            **station_params(where),
        )
        return None
    found = list(POINT_VALIDATOR.iter_errors(geometry))
    for error in found:
        add_problem(
            errors,
            f"{where}.geometry{error.json_path[1:]}",
            "invalid_coordinates",
            error.message,
            **station_params(where),
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
            add_problem(
                errors, where, "not_a_feature", "Expected a GeoJSON Feature.", station=i + 1
            )
            continue
        coordinates = _coordinates(feature.get("geometry"), where, errors)
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        name = _text(properties, "name", "title")
        if not name:
            name = f"Station {i + 1}"
            warnings.append(
                {"path": f"{where}.properties.name"}
                | problem(
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
