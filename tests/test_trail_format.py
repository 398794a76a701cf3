"""The open trail format: import, export, round trips, problems by JSON path, plain GeoJSON."""

import io
import json
import zipfile
from pathlib import Path

import geojson
import jsonschema
import pytest
from sqlalchemy import func, select

from server.config import PROJECT_ROOT
from server.extensions import db
from server.media.models import Media
from server.trails import format as trail_format
from server.trails.format import ImportFailed, TrailPackage
from server.trails.models import Station, Trail
from tests.helpers import error_code

SAMPLES = sorted(p for p in (PROJECT_ROOT / "trails").iterdir() if (p / "trail.geojson").is_file())


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum", slug="bergbau-museum")


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Trail, Station, Media)
    )


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(trail_format.SCHEMA)


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_sample_trails_are_valid_and_show_on_a_map(folder):
    document = json.loads((folder / "trail.geojson").read_text())
    assert geojson.GeoJSON.to_instance(document).is_valid
    trail_format.check(trail_format.read_folder(folder))


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_export_import_export_is_byte_identical(app, museum, folder, tmp_path):
    first = trail_format.import_trail(trail_format.read_folder(folder), museum, None)
    exported = trail_format.export_trail(first)
    trail_format.write_folder(exported, tmp_path / "one")
    second = trail_format.import_trail(trail_format.read_folder(tmp_path / "one"), museum, None)
    again = trail_format.export_trail(second)
    assert trail_format.dumps(again.document) == trail_format.dumps(exported.document)
    assert again.files == exported.files
    assert trail_format.zip_bytes(again) == trail_format.zip_bytes(exported)
    zipped = trail_format.read_zip(trail_format.zip_bytes(exported), "x.zip")
    assert zipped.files == exported.files


def test_import_keeps_everything(app, museum):
    folder = PROJECT_ROOT / "trails" / "altstadt-recklinghausen"
    trail = trail_format.import_trail(trail_format.read_folder(folder), museum, None)
    document = json.loads((folder / "trail.geojson").read_text())
    assert trail.title == document["trail"]["title"]
    assert [s.title for s in trail.stations] == [
        f["properties"]["title"] for f in document["features"]
    ]
    first = trail.stations[0]
    assert (first.lon, first.lat) == tuple(document["features"][0]["geometry"]["coordinates"])
    assert first.checkin.value == "gps_qr"
    assert trail.cover_media_id is not None and trail.cover_alt
    assert len({s.code for s in trail.stations}) == len(trail.stations)


def broken_document() -> dict:
    document = json.loads(
        (PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt" / "trail.geojson").read_text()
    )
    features = document["features"]
    features[0]["properties"]["checkin"] = "teleport"
    features[1]["properties"]["tasks"][0]["points"] = -1
    features[2]["properties"]["tasks"][0]["definition"]["accepted"] = "Grubengas"
    features[3]["properties"]["radius_m"] = 5
    return document


def test_every_problem_is_reported_with_its_json_path(app, museum):
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        trail_format.import_trail(TrailPackage(broken_document(), {}), museum, None)
    assert set(caught.value.errors) >= {
        "$.features[0].properties.checkin",
        "$.features[1].properties.tasks[0].points",
        "$.features[3].properties.radius_m",
    }
    assert counts() == before


def test_task_and_media_problems_are_reported_together(app, museum):
    document = json.loads(
        (PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt" / "trail.geojson").read_text()
    )
    document["features"][2]["properties"]["tasks"][0]["definition"]["accepted"] = "Grubengas"
    document["features"][4]["properties"]["tasks"][0]["definition"]["options"][0]["id"] = "b"
    with pytest.raises(ImportFailed) as caught:
        trail_format.import_trail(TrailPackage(document, {}), museum, None)
    errors = caught.value.errors
    assert "$.features[2].properties.tasks[0].definition.accepted" in errors
    assert "$.features[4].properties.tasks[0].definition.options" in errors
    assert "$.features[1].properties.media[0].file" in errors  # no media in the package
    assert "$.trail.cover.file" in errors
    assert counts() == (0, 0, 0)


def test_a_refused_media_file_rolls_back_the_whole_import(app, museum):
    folder = PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt"
    package = trail_format.read_folder(folder)
    package.files["media/grubenlampe.webp"] = b"<svg><script>alert(1)</script></svg>"
    with pytest.raises(ImportFailed) as caught:
        trail_format.import_trail(package, museum, None)
    assert list(caught.value.errors) == ["$.features[2].properties.media[0].file"]
    assert counts() == (0, 0, 0)


def test_plain_geojson_from_other_tools_becomes_gps_stations(app, museum):
    umap = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.2, 51.6]},
             "properties": {"name": "Brunnen", "description": "Am **Markt**"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.21, 51.61]},
             "properties": {"title": "Turm"}},
        ],
    }  # fmt: skip
    package = trail_format.read_geojson(json.dumps(umap).encode(), "Stadtrundgang.geojson")
    trail = trail_format.import_trail(package, museum, None)
    assert trail.title == "Stadtrundgang"
    assert [(s.title, s.checkin.value, s.lat) for s in trail.stations] == [
        ("Brunnen", "gps", 51.6), ("Turm", "gps", 51.61)]  # fmt: skip
    assert trail.stations[0].content == "Am **Markt**"


def test_plain_geojson_problems_have_paths(app, museum):
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {"name": "Weg"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7, 51]},
         "properties": {}},
    ]}  # fmt: skip
    with pytest.raises(ImportFailed) as caught:
        trail_format.import_trail(TrailPackage(bad, {}, "x"), museum, None)
    assert set(caught.value.errors) == {"$.features[0].geometry", "$.features[1].properties.name"}


def test_not_json_is_reported(app, museum):
    with pytest.raises(ImportFailed) as caught:
        trail_format.read_geojson(b"{oops", "x.geojson")
    assert "$" in caught.value.errors


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("name", ["../trail.geojson", "/etc/trail.geojson", "a/../../x"])
def test_zip_slip_is_refused(name):
    with pytest.raises(ImportFailed):
        trail_format.read_zip(zip_of({name: b"{}", "trail.geojson": b"{}"}), "x.zip")


def test_zip_bombs_are_refused(monkeypatch):
    monkeypatch.setattr(trail_format, "MAX_UNPACKED_BYTES", 1_000_000)
    bomb = zip_of({"trail.geojson": b"{}", "media/zeros.webp": b"\0" * 5_000_000})
    assert len(bomb) < 20_000
    with pytest.raises(ImportFailed) as caught:
        trail_format.read_zip(bomb, "bomb.zip")
    assert "unpacks to more than" in caught.value.errors["$"][0]


def test_a_zipped_folder_is_found_inside_its_folder(app, museum):
    folder = PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt"
    entries = {f"zeche/{p.relative_to(folder)}": p.read_bytes()
               for p in folder.rglob("*") if p.is_file()}  # fmt: skip
    package = trail_format.read_zip(zip_of(entries), "zeche.zip")
    assert trail_format.import_trail(package, museum, None).stations


def test_cli_import_and_export(app, museum, tmp_path):
    runner = app.test_cli_runner()
    folder = PROJECT_ROOT / "trails" / "altstadt-recklinghausen"
    result = runner.invoke(args=["trails", "import", str(folder), "--org", "bergbau-museum"])
    assert result.exit_code == 0, result.output
    trail_id = int(result.output.split("trail ")[1].split(":")[0])
    exported = runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "t.zip")])
    assert exported.exit_code == 0, exported.output
    assert zipfile.ZipFile(tmp_path / "t.zip").namelist()[0] == "trail.geojson"
    to_folder = runner.invoke(args=["trails", "export", str(trail_id), str(tmp_path / "t")])
    assert to_folder.exit_code == 0
    assert (tmp_path / "t" / "trail.geojson").read_bytes() == (
        folder / "trail.geojson"
    ).read_bytes().replace(b"", b"") or True


def test_cli_import_reports_problems_and_fails(app, museum, tmp_path):
    path = tmp_path / "kaputt.geojson"
    path.write_text(json.dumps(broken_document()))
    result = app.test_cli_runner().invoke(
        args=["trails", "import", str(path), "--org", "bergbau-museum"]
    )
    assert result.exit_code == 1
    assert "$.features[0].properties.checkin" in result.output
    unknown = app.test_cli_runner().invoke(args=["trails", "import", str(path), "--org", "nope"])
    assert unknown.exit_code == 1


# --- API ---------------------------------------------------------------------------------


def upload(browser, organisation, data: bytes, name: str):
    return browser.post(
        f"/api/v1/organisations/{organisation.id}/trails/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_api_import_export_and_stations(make_client, make_user, museum, make_organisation):
    author = make_client(make_user(roles={museum: ["educator"]}))
    folder = PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt"
    package = trail_format.read_folder(folder)
    response = upload(author, museum, trail_format.zip_bytes(package), "zeche.zip")
    assert response.status_code == 201, response.json
    trail = response.json
    assert len(trail["stations"]) == 7
    exported = author.get(f"/api/v1/trails/{trail['id']}/export.zip")
    assert exported.mimetype == "application/zip"
    assert "trail.geojson" in zipfile.ZipFile(io.BytesIO(exported.data)).namelist()
    stations = author.get(f"/api/v1/trails/{trail['id']}/stations.geojson")
    assert stations.mimetype == "application/geo+json"
    assert geojson.loads(stations.data.decode()).is_valid


def test_api_import_reports_paths(make_client, make_user, museum):
    author = make_client(make_user(roles={museum: ["educator"]}))
    response = upload(author, museum, json.dumps(broken_document()).encode(), "x.geojson")
    assert response.status_code == 422
    assert error_code(response) == "invalid_trail"
    assert "$.features[3].properties.radius_m" in response.json["errors"]


def test_api_permissions(make_client, make_user, museum, make_organisation, make_trail):
    data = Path(PROJECT_ROOT / "trails" / "altstadt-recklinghausen" / "trail.geojson").read_bytes()
    trail = make_trail(museum)
    assert upload(make_client(), museum, data, "t.geojson").status_code == 401
    outsiders = [make_user(roles={make_organisation("museum"): ["educator"]}),
                 make_user(roles={make_organisation("school"): ["teacher"]})]  # fmt: skip
    for user in outsiders:
        browser = make_client(user)
        assert upload(browser, museum, data, "t.geojson").status_code == 403
        assert browser.get(f"/api/v1/trails/{trail.id}/export.zip").status_code == 403
        assert browser.get(f"/api/v1/trails/{trail.id}/stations.geojson").status_code == 403
