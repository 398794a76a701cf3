"""The open trail format: round trips, every problem at once by JSON path, nothing imported on
error, plain GeoJSON, hostile zips, the command line and the API with its permissions."""

import io
import json
import zipfile
from pathlib import Path

import geojson
import jsonschema
import pytest
from PIL import Image
from sqlalchemy import func, select

from openparcours.config import PROJECT_ROOT
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.tasks.registry import TASK_TYPES
from openparcours.trails import publishing
from openparcours.trails.format import checking, exporting, importing, reading, zips
from openparcours.trails.format.package import SCHEMA, TrailPackage
from openparcours.trails.format.problems import ImportFailed
from openparcours.trails.models import Station, Task, Trail
from openparcours.trails.publishing import publish
from tests.factories import single_choice_task
from tests.helpers import error_code, file_upload

GIS = Path(__file__).parent / "gis"  # exports as QGIS, uMap and geojson.io write them

TRAILS = PROJECT_ROOT / "trails"
SAMPLES = sorted(p for p in TRAILS.iterdir() if (p / "trail.geojson").is_file())
ZECHE = TRAILS / "stadtmuseum-zeche-und-stadt"
ALTSTADT = TRAILS / "altstadt-recklinghausen"


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum", slug="bergbau-museum")


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Trail, Station, Task, Media)
    )


def image(kind: str = "WEBP", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 90, 30)).save(out, format=kind)
    return out.getvalue()


def station(title="Station", *, lon=7.2, lat=51.6, tasks=(), media=(), **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": None if lon is None else {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "title": title,
            "content": "Text",
            "checkin": "gps",
            "radius_m": 30,
            "media": list(media),
            "tasks": list(tasks),
            **properties,
        },
    }


def trail_document(*features, **meta) -> dict:
    return {
        "type": "FeatureCollection",
        "openparcours": 1,
        "trail": {"title": "Zeche", **meta},
        "features": list(features) or [station()],
    }


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_names_the_task_types_of_the_registry_in_its_order():
    task_type = SCHEMA["$defs"]["task"]["properties"]["type"]
    assert task_type["enum"] == list(TASK_TYPES)


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_sample_trails_are_valid_and_show_on_a_map(folder):
    document = json.loads((folder / "trail.geojson").read_text())
    assert geojson.GeoJSON.to_instance(document).is_valid
    jsonschema.validate(document, SCHEMA)
    checking.check(reading.read_folder(folder))


# --- Round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_folder_round_trip_is_byte_identical(app, museum, folder, tmp_path):
    first = importing.import_trail(folder, museum, None)
    exporting.write_folder(tmp_path / "one", *exporting.export_trail(first))
    second = importing.import_trail(tmp_path / "one", museum, None)
    exporting.write_folder(tmp_path / "two", *exporting.export_trail(second))
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one == two
    # Canonical form: sorted media named by their hash, a newline at the end, no escapes.
    text = one["trail.geojson"].decode()
    assert text.endswith("}\n")
    assert "\\u" not in text
    assert all(len(Path(name).stem) == 16 for name in one if name.startswith("media/"))
    # The sample media are clean WebP and audio: stored, and exported, byte for byte.
    assert sorted(v for k, v in one.items() if k != "trail.geojson") == sorted(
        files_of(folder / "media").values()
    )


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_zip_round_trip_is_byte_identical(app, museum, folder, tmp_path):
    first = importing.import_trail(folder, museum, None)
    zips.write_zip(tmp_path / "one.zip", *exporting.export_trail(first))
    second = importing.import_trail(tmp_path / "one.zip", museum, None)
    with (tmp_path / "two.zip").open("wb") as out:
        zips.write_zip(out, *exporting.export_trail(second))
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    archive = zipfile.ZipFile(tmp_path / "one.zip")
    names = archive.namelist()
    assert names == sorted(names)
    assert "trail.geojson" in names
    assert {info.date_time for info in archive.infolist()} == {zips.ZIP_TIME}


def test_other_images_become_webp_once_then_stay(app, museum, tmp_path):
    package = TrailPackage(
        trail_document(
            station(media=[{"file": "media/foto.png", "alt": "Foto"}]),
            cover={"file": "media/titel.jpg", "alt": "Titel"},
        ),
        {"media/foto.png": image("PNG"), "media/titel.jpg": image("JPEG")},
    )
    geojson_bytes, files = exporting.export_trail(importing.import_trail(package, museum, None))
    assert all(name.endswith(".webp") for name in files)
    for data in files.values():
        assert Image.open(io.BytesIO(data)).format == "WEBP"
    exporting.write_folder(tmp_path / "t", geojson_bytes, files)
    again = exporting.export_trail(importing.import_trail(tmp_path / "t", museum, None))
    assert again == (geojson_bytes, files)


def test_import_keeps_everything(app, museum):
    trail = importing.import_trail(ALTSTADT, museum, None)
    document = json.loads((ALTSTADT / "trail.geojson").read_text())
    assert trail.title == document["trail"]["title"]
    assert trail.grades == document["trail"]["grades"]
    assert [s.title for s in trail.stations] == [
        f["properties"]["title"] for f in document["features"]
    ]
    first = trail.stations[0]
    assert [first.lon, first.lat] == document["features"][0]["geometry"]["coordinates"]
    assert first.checkin.value == document["features"][0]["properties"]["checkin"]
    assert trail.cover_media_id is not None
    assert trail.cover_alt
    tasks = [t for f in document["features"] for t in f["properties"]["tasks"]]
    assert sum(len(s.tasks) for s in trail.stations) == len(tasks)
    assert trail.media_competences == document["trail"]["media_competences"]
    assert trail.curriculum_reference == document["trail"]["curriculum_reference"]
    assert [(s.subjects, s.media_competences) for s in trail.stations] == [
        (f["properties"]["subjects"], f["properties"]["media_competences"])
        for f in document["features"]
    ]


def test_imports_get_fresh_station_codes(app, museum):
    one = importing.import_trail(ZECHE, museum, None)
    two = importing.import_trail(ZECHE, museum, None)
    codes = [s.code for s in one.stations + two.stations]
    assert len(set(codes)) == len(codes)
    assert "code" not in exporting.export_trail(one)[0].decode()


def test_coordinates_are_rounded_to_seven_decimals(app, museum):
    package = TrailPackage(trail_document(station(lon=7.123456789123, lat=51.987654321987)))
    trail = importing.import_trail(package, museum, None)
    document = json.loads(exporting.export_trail(trail)[0])
    assert document["features"][0]["geometry"]["coordinates"] == [7.1234568, 51.9876543]


def test_indoor_stations_have_no_geometry(app, museum):
    trail = importing.import_trail(
        TrailPackage(trail_document(station(lon=None, checkin="qr"))), museum, None
    )
    assert (trail.stations[0].lat, trail.stations[0].checkin.value) == (None, "qr")
    assert json.loads(exporting.export_trail(trail)[0])["features"][0]["geometry"] is None


# --- Competence tags ------------------------------------------------------------------------


REFERENCE = {
    "text": "KLP Geschichte Sek. I, Inhaltsfeld 7: Industrialisierung",
    "url": "https://www.schulentwicklung.nrw.de/lehrplaene/",
}


def tags_of(trail: Trail) -> tuple:
    return (
        trail.subjects,
        trail.media_competences,
        trail.curriculum_reference,
        [(s.subjects, s.media_competences) for s in trail.stations],
    )


def test_competence_tags_round_trip(app, museum):
    document = trail_document(
        station("Eins", subjects=[" physik", "Chemie", "Physik"], media_competences=["4.1"]),
        station("Zwei"),
        subjects=["geschichte", "Heimatkunde"],
        media_competences=["4.1", "2.1", "4.1"],
        curriculum_reference=REFERENCE,
    )
    trail = importing.import_trail(TrailPackage(document), museum, None)
    # The editor's spelling and order, each once; a trail's free subject from before stays.
    assert tags_of(trail) == (
        ["Geschichte", "Heimatkunde"],
        ["2.1", "4.1"],
        REFERENCE,
        [(["Physik", "Chemie"], ["4.1"]), ([], [])],
    )
    geojson_bytes, files = exporting.export_trail(trail)
    exported = json.loads(geojson_bytes)
    assert exported["trail"]["media_competences"] == ["2.1", "4.1"]
    assert exported["trail"]["curriculum_reference"] == REFERENCE
    assert exported["features"][0]["properties"]["subjects"] == ["Physik", "Chemie"]
    jsonschema.validate(exported, SCHEMA)
    again = importing.import_trail(TrailPackage(exported, files), museum, None)
    assert tags_of(again) == tags_of(trail)
    assert exporting.export_trail(again)[0] == geojson_bytes


def test_a_file_from_before_the_tags_imports_without_them(app, museum):
    # As format version 1 was written before trails had media competences and stations tags.
    old = {
        "type": "FeatureCollection",
        "openparcours": 1,
        "trail": {"title": "Alt", "subjects": ["Geschichte"], "grades": [7]},
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7.2, 51.6]},
                "properties": {"title": "Station", "content": "Text", "checkin": "gps"},
            }
        ],
    }
    trail = importing.import_trail(TrailPackage(old), museum, None)
    assert tags_of(trail) == (["Geschichte"], [], None, [([], [])])
    assert trail.stations[0].release is None
    exported = json.loads(exporting.export_trail(trail)[0])
    assert "release" not in exported["features"][0]["properties"]
    assert exported["trail"]["curriculum_reference"] is None
    assert exported["features"][0]["properties"]["media_competences"] == []
    # A whole trail with media and tasks, as exported before: everything but the tags stays.
    package = reading.read_folder(ZECHE)
    for name in ("media_competences", "curriculum_reference"):
        del package.document["trail"][name]
    for feature in package.document["features"]:
        del feature["properties"]["subjects"], feature["properties"]["media_competences"]
        feature["properties"].pop("release", None)  # from before release rules, too
    trail = importing.import_trail(package, museum, None)
    assert [s.release for s in trail.stations] == [None] * len(trail.stations)
    assert tags_of(trail) == (
        ["Geschichte", "Gesellschaftslehre"],
        [],
        None,
        [([], [])] * len(package.document["features"]),
    )
    assert sum(len(s.tasks) for s in trail.stations) > 0


def test_bad_tags_are_refused_by_path_and_nothing_is_imported(app, museum):
    importing.import_trail(ZECHE, museum, None)
    before = counts()
    document = trail_document(
        station("Eins"),
        station("Zwei", subjects=["Physik", "Kochen"]),
        station("Drei", media_competences=["2.5", "4.1", "4-1"]),
        media_competences=["7.1"],
        curriculum_reference={"text": "KLP", "url": "javascript:alert(1)"},
    )
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(document), museum, None)
    problems = {
        path: [(p["code"], p["params"].get("reason"), p["params"].get("station")) for p in found]
        for path, found in caught.value.errors.items()
    }
    assert problems == {
        "$.features[1].properties.subjects[1]": [("invalid_value", "unknown_subject", 2)],
        "$.features[2].properties.media_competences[0]": [("invalid_value", "not_one_of", 3)],
        "$.features[2].properties.media_competences[2]": [("invalid_value", None, 3)],
        "$.trail.curriculum_reference.url": [("invalid_value", "not_a_url", None)],
        "$.trail.media_competences[0]": [("invalid_value", "not_one_of", None)],
    }
    [unknown] = caught.value.errors["$.features[1].properties.subjects[1]"]
    assert unknown["params"] == {
        "reason": "unknown_subject",
        "subject": "Kochen",
        "station": 2,
        "field": "subjects",
    }
    assert "Kochen" in unknown["message"]
    assert counts() == before
    blank = trail_document(curriculum_reference={"text": "  ", "url": None})
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(blank), museum, None)
    assert list(caught.value.errors) == ["$.trail.curriculum_reference.text"]


# --- Release rules --------------------------------------------------------------------------


def after(*stations: int, count: int = 1) -> dict:
    return {"kind": "after", "stations": list(stations), "count": count}


def test_release_rules_round_trip_with_station_numbers(app, museum):
    document = trail_document(
        station("Eins", release={"kind": "after_join", "minutes": 15}),
        station("Zwei", release={"kind": "clock", "time": "10:30"}),
        station("Drei"),
        station("Vier", release=after(3, 1, 3, count=2)),
        station("Fünf", release={"kind": "after", "stations": [2]}),
        order="free",
    )
    trail = importing.import_trail(TrailPackage(document), museum, None)
    ids = [s.id for s in trail.stations]
    assert [s.release for s in trail.stations] == [
        {"kind": "after_join", "minutes": 15},
        {"kind": "clock", "time": "10:30"},
        None,
        {"kind": "after", "station_ids": [ids[2], ids[0]], "count": 2},  # each station once
        {"kind": "after", "station_ids": [ids[1]], "count": 1},
    ]
    geojson_bytes, files = exporting.export_trail(trail)
    exported = json.loads(geojson_bytes)
    jsonschema.validate(exported, SCHEMA)
    assert [f["properties"].get("release") for f in exported["features"]] == [
        {"kind": "after_join", "minutes": 15},
        {"kind": "clock", "time": "10:30"},
        None,
        after(3, 1, count=2),
        after(2),
    ]
    again = importing.import_trail(TrailPackage(exported, files), museum, None)
    assert [s.release["station_ids"] for s in again.stations[3:]] == [
        [again.stations[2].id, again.stations[0].id],
        [again.stations[1].id],
    ]
    assert exporting.export_trail(again)[0] == geojson_bytes


def test_the_sample_trail_keeps_its_release_rule(app, museum):
    trail = importing.import_trail(ZECHE, museum, None)
    last = trail.stations[-1]
    assert last.release == {
        "kind": "after",
        "station_ids": [s.id for s in trail.stations[1:-1]],
        "count": 3,
    }
    assert not [p for p in publishing.publish_problems(trail) if "release" in p.path]


def test_an_export_leaves_out_a_deleted_station_a_rule_waits_for(app, museum):
    trail = importing.import_trail(
        TrailPackage(trail_document(station("Eins"), station("Zwei"), station("Drei"))),
        museum,
        None,
    )
    one, two, three = trail.stations
    two.release = {"kind": "after", "station_ids": [one.id, 999999], "count": 2}
    three.release = {"kind": "after", "station_ids": [999999], "count": 1}
    exported = json.loads(exporting.export_trail(trail)[0])
    assert [f["properties"].get("release") for f in exported["features"]] == [
        None,
        after(1),
        None,
    ]


def test_bad_release_rules_are_refused_by_path_and_nothing_is_imported(app, museum):
    importing.import_trail(ZECHE, museum, None)
    before = counts()
    document = trail_document(
        station("Eins", release=after(7)),
        station("Zwei", release=after(1, 2)),
        station("Drei", release=after(1, 2, count=3)),
        station("Vier", release={"kind": "clock", "time": "25:00"}),
        station("Fünf", release={"kind": "after_join", "minutes": 601}),
        station("Sechs", release={"kind": "after", "station_ids": [1]}),
        station("Sieben", release={"kind": "soon"}),
        station("Acht", release={"kind": "after_join", "minutes": 5, "time": "10:00"}),
    )
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(document), museum, None)
    problems = {
        path: [(p["code"], p["params"].get("reason"), p["params"]["station"]) for p in found]
        for path, found in caught.value.errors.items()
    }
    assert problems == {
        "$.features[2].properties.release.count": [("invalid_value", "invalid", 3)],
        "$.features[3].properties.release.time": [("invalid_value", "invalid", 4)],
        "$.features[4].properties.release.minutes": [("invalid_value", "out_of_range", 5)],
        "$.features[5].properties.release": [("invalid_value", None, 6)],
        "$.features[6].properties.release.kind": [("invalid_value", None, 7)],
        "$.features[7].properties.release.time": [("invalid_value", "unknown_field", 8)],
    }
    assert counts() == before
    # Numbers outside the trail or of the station itself, once every rule is well formed.
    document = trail_document(
        station("Eins", release=after(7)), station("Zwei", release=after(1, 2)), station("Drei")
    )
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(document), museum, None)
    assert {
        path: [(p["code"], p["params"]) for p in found]
        for path, found in caught.value.errors.items()
    } == {
        "$.features[0].properties.release.stations[0]": [
            ("release_station_outside", {"number": 7, "station": 1, "field": "stations"})
        ],
        "$.features[1].properties.release.stations[1]": [
            ("release_station_outside", {"number": 2, "station": 2, "field": "stations"})
        ],
    }
    assert counts() == before


@pytest.mark.parametrize("order", ["fixed", "free"])
def test_release_rules_waiting_for_each_other_are_refused(app, museum, order):
    before = counts()
    # In a fixed order the second station waits for the first without a rule of its own.
    document = trail_document(
        station("Eins", release=after(2) if order == "fixed" else after(3)),
        station("Zwei", release=None if order == "fixed" else after(1)),
        station("Drei", release=after(2)),
        station("Vier"),
        order=order,
    )
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(document), museum, None)
    # In a fixed order the fourth waits for the third, which never opens.
    stuck = [0, 1, 2, 3] if order == "fixed" else [0, 1, 2]
    numbers = ", ".join(str(i + 1) for i in stuck)
    assert {
        path: [(p["code"], p["params"]) for p in found]
        for path, found in caught.value.errors.items()
    } == {
        f"$.features[{i}].properties.release": [
            (
                "release_cycle",
                {"station": i + 1, "field": "release", "stations": numbers},
            )
        ]
        for i in stuck
    }
    assert counts() == before


# --- Every problem at once, nothing imported ----------------------------------------------


def test_every_problem_is_reported_at_once_with_its_json_path(app, museum):
    importing.import_trail(ZECHE, museum, None)  # rows that must stay as they are
    before = counts()
    choice = single_choice_task()
    duplicate = single_choice_task()
    duplicate["definition"]["options"][1]["id"] = "a"
    document = trail_document(
        station("Eins", checkin="teleport", tasks=[choice, {**choice, "points": -1}]),
        station("Zwei", lon=200, radius_m=5),
        station(
            "Drei",
            tasks=[choice, duplicate, {"type": "free_text", "definition": {"accepted": "Kohle"}}],
        ),
        station("   ", media=[{"file": "media/fehlt.webp", "alt": "Fehlt"}]),
        {"type": "Feature", "geometry": None, "properties": {"content": "Kein Titel"}},
        grades=[14],
        cover={"file": "media/titel.webp", "alt": "Titel"},
    )
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(document, {}), museum, None)
    errors = caught.value.errors
    assert list(errors) == [
        "$.features[0].properties.checkin",
        "$.features[0].properties.tasks[1].points",
        "$.features[1].geometry.coordinates[0]",
        "$.features[1].properties.radius_m",
        "$.features[2].properties.tasks[1].definition.options",
        "$.features[2].properties.tasks[2].definition.accepted",
        "$.features[3].properties.media[0].file",
        "$.features[3].properties.title",
        "$.features[4].properties.title",
        "$.trail.cover.file",
        "$.trail.grades[0]",
    ]
    assert all(errors.values())
    assert [
        (p["code"], p["params"]) for p in errors["$.features[0].properties.tasks[1].points"]
    ] == [("invalid_value", {"station": 1, "task": 2, "field": "points"})]
    [duplicate_ids] = errors["$.features[2].properties.tasks[1].definition.options"]
    assert (duplicate_ids["code"], duplicate_ids["params"]) == (
        "invalid_task",
        {"station": 3, "task": 2, "field": "options"},
    )
    assert [(p["code"], p["params"]) for p in errors["$.trail.grades[0]"]] == [
        ("invalid_value", {"field": "grades"})
    ]
    assert [(p["code"], p["params"]) for p in errors["$.features[3].properties.media[0].file"]] == [
        ("media_file_missing", {"station": 4, "file": "media/fehlt.webp"})
    ]
    assert caught.value.status == 422
    assert caught.value.code == "invalid_trail"
    assert counts() == before


def test_a_refused_media_file_rolls_back_the_whole_import(app, museum):
    package = reading.read_folder(ZECHE)
    package.files["media/grubenlampe.webp"] = b"<svg><script>alert(1)</script></svg>"
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(package, museum, None)
    assert list(caught.value.errors) == ["$.features[2].properties.media[0].file"]
    [refused] = caught.value.errors["$.features[2].properties.media[0].file"]
    assert refused["code"] == "media_refused"
    assert refused["params"]["station"] == 3
    assert refused["params"]["file"]
    assert counts() == before == (0, 0, 0, 0)


def test_not_json_and_not_numbers_are_reported():
    with pytest.raises(ImportFailed) as caught:
        reading.read_geojson(b"{oops", "x.geojson")
    assert "$" in caught.value.errors
    with pytest.raises(ImportFailed):
        reading.read_geojson(b'{"type": "FeatureCollection", "x": NaN}', "x.geojson")


def test_a_newer_format_version_is_refused(app, museum):
    with pytest.raises(ImportFailed) as caught:
        checking.check(TrailPackage(trail_document() | {"openparcours": 2}))
    assert list(caught.value.errors) == ["$.openparcours"]


# --- Plain GeoJSON from other tools -------------------------------------------------------


UMAP = {
    "type": "FeatureCollection",
    "_umap_options": {"name": "Stadtrundgang"},
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [7.2, 51.6]},
            "properties": {
                "name": "Brunnen",
                "description": "Am **Markt**",
                "_umap_options": {"color": "Red"},
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [7.21, 51.61, 80]},
            "properties": {"name": "Turm"},
        },
    ],
}

GEOJSON_IO = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": 0,
            "properties": {"title": "Halde", "marker-color": "#7e7e7e", "marker-symbol": "mine"},
            "geometry": {"coordinates": [7.15, 51.58], "type": "Point"},
        },
    ],
}


def test_plain_geojson_from_umap_becomes_gps_stations(app, museum):
    package = reading.read_geojson(json.dumps(UMAP).encode(), "Stadtrundgang.geojson")
    trail = importing.import_trail(package, museum, None)
    assert trail.title == "Stadtrundgang"
    assert [(s.title, s.checkin.value, s.radius_m, s.lat) for s in trail.stations] == [
        ("Brunnen", "gps", 30, 51.6),
        ("Turm", "gps", 30, 51.61),
    ]
    assert trail.stations[0].content == "Am **Markt**"
    assert trail.stations[1].content == ""


def test_plain_geojson_from_geojson_io_takes_a_title(app, museum, tmp_path):
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps(GEOJSON_IO))
    trail = importing.import_trail(path, museum, None, title="Haldenweg")
    assert trail.title == "Haldenweg"
    assert [s.title for s in trail.stations] == ["Halde"]


def places(trail: Trail) -> list[tuple]:
    return [(s.title, s.content, s.checkin.value, s.lon, s.lat) for s in trail.stations]


def test_a_qgis_point_layer_imports(app, museum):
    """QGIS 3 writes point layers as MultiPoints of one point, with its `crs`, `fid`, 3-D
    coordinates and `null` for empty fields."""
    trail = importing.import_trail(GIS / "qgis-stationen.geojson", museum, None)
    assert trail.title == "qgis-stationen"
    assert places(trail) == [
        ("Förderturm", "Das Fördergerüst von 1902.", "gps", 7.2173691, 51.4891032),
        ("Station 2", "", "gps", 7.2181405, 51.4896218),
        ("Lohnhalle", "", "gps", 7.2190377, 51.4899706),
    ]
    assert trail.import_warnings == [
        {
            "path": "$.features[1].properties.name",
            "code": "station_unnamed",
            "message": "A station without a name is called 'Station 2'.",
            "params": {"station": 2},
        }
    ]


def test_another_crs_is_refused_by_its_name(app, museum):
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(GIS / "qgis-utm.geojson", museum, None)
    [problem] = caught.value.errors["$.crs"]
    assert problem["code"] == "unsupported_crs"
    assert problem["params"] == {"crs": "urn:ogc:def:crs:EPSG::25832"}
    assert "urn:ogc:def:crs:EPSG::25832" in problem["message"]
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"]
)
def test_wgs84_by_any_of_its_names_is_taken(app, museum, name):
    document = json.loads((GIS / "qgis-stationen.geojson").read_text())
    document["crs"]["properties"]["name"] = name
    trail = importing.import_trail(TrailPackage(document, {}, "x"), museum, None)
    assert len(trail.stations) == 3


def test_a_umap_backup_imports_every_layer(app, museum):
    trail = importing.import_trail(GIS / "umap-stadtrundgang.umap", museum, None)
    assert places(trail) == [
        ("Marktbrunnen", "Der Brunnen am **Markt**.", "gps", 7.197127, 51.614038),
        ("Rathaus", "", "gps", 7.198361, 51.614921),
    ]
    assert trail.import_warnings == []


def test_an_older_umap_layer_with_an_empty_name_imports(app, museum):
    trail = importing.import_trail(GIS / "umap-ebene.geojson", museum, None)
    assert [s.title for s in trail.stations] == ["Marktbrunnen", "Station 2"]
    assert [w["params"] for w in trail.import_warnings] == [{"station": 2}]


def test_geojson_io_points_without_properties_import(app, museum):
    trail = importing.import_trail(GIS / "geojson-io.geojson", museum, None, title="Halden")
    assert places(trail) == [
        ("Station 1", "", "gps", 7.150612, 51.581297),
        ("Station 2", "", "gps", 7.153886, 51.582914),
    ]
    assert [w["code"] for w in trail.import_warnings] == ["station_unnamed"] * 2


def test_the_api_answers_an_import_with_its_warnings(make_client, make_user, museum):
    author = make_client(make_user(roles={museum: ["educator"]}))
    data = (GIS / "qgis-stationen.geojson").read_bytes()
    response = upload(author, museum, data, "stationen.geojson")
    assert response.status_code == 201, response.json
    assert response.json["title"] == "stationen"
    assert [(w["code"], w["params"]) for w in response.json["warnings"]] == [
        ("station_unnamed", {"station": 2})
    ]
    refused = upload(author, museum, (GIS / "qgis-utm.geojson").read_bytes(), "utm.geojson")
    assert refused.status_code == 422
    assert error_code(refused) == "invalid_trail"
    assert refused.json["errors"]["$.crs"][0]["code"] == "unsupported_crs"


def test_plain_geojson_problems_are_reported_at_once(app, museum):
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                "properties": {"name": "Weg"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7, 51]},
                "properties": {"description": "ohne Namen"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7, 95]},
                "properties": {"name": "Nordpol und weiter"},
            },
            {"type": "Feature", "geometry": None, "properties": None},
            {
                "type": "Feature",
                "geometry": {"type": "MultiPoint", "coordinates": [[7, 51], [7, 52]]},
                "properties": {"name": "Zwei Orte"},
            },
        ],
    }
    with pytest.raises(ImportFailed) as caught:
        importing.import_trail(TrailPackage(bad, {}, "x"), museum, None)
    errors = caught.value.errors
    assert {path: [(p["code"], p["params"]) for p in found] for path, found in errors.items()} == {
        "$.features[0].geometry": [("not_a_point", {"station": 1, "kind": "LineString"})],
        "$.features[2].geometry.coordinates[1]": [("invalid_coordinates", {"station": 3})],
        "$.features[3].geometry": [("not_a_point", {"station": 4, "kind": None})],
        "$.features[4].geometry": [("several_points", {"station": 5, "count": 2})],
    }
    assert errors["$.features[4].geometry"][0]["message"] == "A station is one point, not 2."
    assert counts() == (0, 0, 0, 0)


# --- Hostile zips -------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "name", ["../trail.geojson", "/etc/trail.geojson", "a/../../x", "C:/x", "media\\..\\x"]
)
def test_zip_slip_is_refused(name):
    with pytest.raises(ImportFailed) as caught:
        reading.read_zip(zip_of({name: b"{}", "trail.geojson": b"{}"}), "x.zip")
    assert [p["code"] for p in caught.value.errors["$"]] == ["zip_unsafe_path"]
    assert caught.value.errors["$"][0]["params"] == {"file": name}


def test_zip_bombs_are_refused():
    zeros = b"\0" * (zips.MAX_UNPACKED_BYTES + 1)
    bomb = zip_of({"trail.geojson": b"{}", "media/zeros.webp": zeros})
    del zeros
    assert len(bomb) < 1_000_000
    with pytest.raises(ImportFailed) as caught:
        reading.read_zip(bomb, "bomb.zip")
    assert caught.value.errors["$"] == [
        {
            "code": "zip_too_large",
            "message": "The zip unpacks to more than 100 MB.",
            "params": {"megabytes": 100},
        }
    ]


def test_sizes_are_counted_while_unpacking(monkeypatch):
    bomb = zip_of({"trail.geojson": b"{}", "media/a.webp": b"\0" * 600, "media/b.webp": b"1"})
    monkeypatch.setattr(zips, "MAX_UNPACKED_BYTES", 500)
    with pytest.raises(ImportFailed):
        reading.read_zip(bomb, "bomb.zip")


def test_zips_with_too_many_entries_are_refused():
    entries = {f"media/{n}.webp": b"x" for n in range(zips.MAX_ENTRIES)}
    with pytest.raises(ImportFailed) as caught:
        reading.read_zip(zip_of({"trail.geojson": b"{}", **entries}), "x.zip")
    assert caught.value.errors["$"][0]["code"] == "zip_too_many_entries"
    assert caught.value.errors["$"][0]["params"] == {"limit": 200}


def test_not_a_zip_and_two_documents_are_refused():
    with pytest.raises(ImportFailed):
        reading.read_zip(b"PK\x03\x04 nonsense", "x.zip")
    with pytest.raises(ImportFailed):
        reading.read_zip(zip_of({"a/trail.geojson": b"{}", "b/trail.geojson": b"{}"}))


def test_a_zipped_folder_is_found_inside_its_folder(app, museum):
    entries = {
        f"zeche/{p.relative_to(ZECHE)}": p.read_bytes() for p in ZECHE.rglob("*") if p.is_file()
    }
    entries["__MACOSX/zeche/._trail.geojson"] = b"\0\5\26\7"
    package = reading.read_zip(zip_of(entries), "zeche.zip")
    assert sorted(package.files) == sorted(f"media/{p.name}" for p in (ZECHE / "media").iterdir())
    assert len(importing.import_trail(package, museum, None).stations) == 7


# --- Command line -------------------------------------------------------------------------


def test_cli_import_and_export(app, museum, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["trails", "import", str(ALTSTADT), "--org", "bergbau-museum"])
    assert result.exit_code == 0, result.output
    trail_id = int(result.stdout)
    assert db.session.get(Trail, trail_id).organisation_id == museum.id
    exported = runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "t.zip")])
    assert exported.exit_code == 0, exported.output
    assert "trail.geojson" in zipfile.ZipFile(tmp_path / "t.zip").namelist()
    to_folder = runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "t")])
    assert to_folder.exit_code == 0, to_folder.output
    # The exported folder imports again, and exports to the same bytes as the zip holds.
    again = runner.invoke(args=["trails", "import", str(tmp_path / "t"), "--org", "bergbau-museum"])
    assert again.exit_code == 0, again.output
    runner.invoke(args=["trails", "export", again.stdout.strip(), str(tmp_path / "u.zip")])
    assert (tmp_path / "u.zip").read_bytes() == (tmp_path / "t.zip").read_bytes()
    # Exporting over an exported folder replaces it; any other folder is left alone.
    assert (
        runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "t")]).exit_code == 0
    )
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    refused = runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "other")])
    assert refused.exit_code == 1
    assert runner.invoke(args=["trails", "export", "999999", str(tmp_path / "x")]).exit_code == 1


def test_cli_imports_plain_geojson_with_a_title(app, museum, tmp_path):
    path = tmp_path / "umap_export.geojson"
    path.write_text(json.dumps(UMAP))
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["trails", "import", str(path), "--org", "bergbau-museum", "--title", "Rundgang"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.get(Trail, int(result.stdout)).title == "Rundgang"


def test_cli_import_reports_every_problem_and_fails(app, museum, tmp_path):
    path = tmp_path / "kaputt.geojson"
    path.write_text(json.dumps(trail_document(station(checkin="teleport"), station(radius_m=5))))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["trails", "import", str(path), "--org", "bergbau-museum"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "$.features[0].properties.checkin: " in result.stderr
    assert "$.features[1].properties.radius_m: " in result.stderr
    unknown = runner.invoke(args=["trails", "import", str(path), "--org", "nope"])
    assert unknown.exit_code == 1
    assert "nope" in unknown.stderr
    assert counts() == (0, 0, 0, 0)


# --- API ----------------------------------------------------------------------------------


def upload(browser, organisation, data: bytes, name: str):
    return browser.post(
        f"/api/v1/organisations/{organisation.id}/trails/import", **file_upload(data, name)
    )


def zeche_zip() -> bytes:
    package = reading.read_folder(ZECHE)
    return zips.zip_bytes(exporting.dumps(package.document), package.files)


def test_api_import_export_and_stations(media_storage, make_client, make_user, museum):
    author = make_client(make_user(roles={museum: ["educator"]}))
    response = upload(author, museum, zeche_zip(), "zeche.zip")
    assert response.status_code == 201, response.json
    trail = response.json
    assert len(trail["stations"]) == 7
    assert trail["organisation"]["id"] == museum.id
    exported = author.get(f"/api/v1/trails/{trail['id']}/export.zip")
    assert exported.status_code == 200
    assert exported.mimetype == "application/zip"
    assert "attachment" in exported.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(exported.data))
    assert "trail.geojson" in archive.namelist()
    assert len(archive.namelist()) == 6
    stations = author.get(f"/api/v1/trails/{trail['id']}/stations.geojson")
    assert stations.status_code == 200
    assert stations.mimetype == "application/geo+json"
    collection = geojson.loads(stations.data.decode())
    assert collection.is_valid
    first = collection["features"][0]
    assert first["geometry"] is None  # an indoor station
    assert list(first["properties"]) == ["name", "description", "checkin", "radius_m", "position"]


def test_api_stations_geojson_has_points_outdoors(make_client, make_user, museum):
    author = make_client(make_user(roles={museum: ["educator"]}))
    trail = importing.import_trail(ALTSTADT, museum, None)
    response = author.get(f"/api/v1/trails/{trail.id}/stations.geojson")
    collection = geojson.loads(response.data.decode())
    assert collection.is_valid
    assert collection["features"][0]["geometry"]["type"] == "Point"
    assert [f["properties"]["position"] for f in collection["features"]] == list(
        range(1, len(trail.stations) + 1)
    )


def test_api_import_reports_problems_by_path(make_client, make_user, museum):
    author = make_client(make_user(roles={museum: ["educator"]}))
    document = trail_document(station(checkin="teleport"), station(radius_m=5))
    response = upload(author, museum, json.dumps(document).encode(), "x.geojson")
    assert response.status_code == 422
    assert error_code(response) == "invalid_trail"
    assert {
        path: [(p["code"], p["params"]) for p in found]
        for path, found in response.json["errors"].items()
    } == {
        "$.features[0].properties.checkin": [("invalid_value", {"station": 1, "field": "checkin"})],
        "$.features[1].properties.radius_m": [
            ("invalid_value", {"station": 2, "field": "radius_m"})
        ],
    }
    broken = upload(author, museum, b"PK\x03\x04 not really", "x.zip")
    assert broken.status_code == 422
    assert error_code(broken) == "invalid_trail"
    assert counts() == (0, 0, 0, 0)


def test_api_import_takes_more_than_json_may_but_not_too_much(
    make_client, make_user, museum, monkeypatch
):
    author = make_client(make_user(roles={museum: ["educator"]}))
    two_mib = b" " * (2 * 1024 * 1024) + json.dumps(trail_document()).encode()
    assert upload(author, museum, two_mib, "gross.geojson").status_code == 201
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1024 * 1024)
    response = upload(author, museum, two_mib, "gross.geojson")
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"
    # Elsewhere the app-wide limit for JSON stays.
    other = author.post("/api/v1/trails", json={"title": "x" * 2 * 1024 * 1024})
    assert other.status_code == 413


def test_api_permissions(make_client, make_user, museum, make_organisation, make_trail):
    data = (ALTSTADT / "trail.geojson").read_bytes()
    draft = make_trail(museum)
    public = make_trail(museum, visibility="public")
    publish(make_user(roles={museum: ["educator"]}), public)
    anonymous = make_client()
    assert upload(anonymous, museum, data, "t.geojson").status_code == 401
    assert anonymous.get(f"/api/v1/trails/{draft.id}/export.zip").status_code == 401
    assert anonymous.get(f"/api/v1/trails/{draft.id}/stations.geojson").status_code == 401
    other_educator = make_user(roles={make_organisation("museum"): ["educator"]})
    teacher = make_user(roles={make_organisation("school"): ["teacher"]})
    for user in (other_educator, teacher):
        browser = make_client(user)
        assert upload(browser, museum, data, "t.geojson").status_code == 403
        assert browser.get(f"/api/v1/trails/{draft.id}/export.zip").status_code == 403
        assert browser.get(f"/api/v1/trails/{draft.id}/stations.geojson").status_code == 403
        # A published public trail: its stations are for everyone, its export for its authors.
        assert browser.get(f"/api/v1/trails/{public.id}/export.zip").status_code == 403
        assert browser.get(f"/api/v1/trails/{public.id}/stations.geojson").status_code == 200
    assert counts()[0] == 2
