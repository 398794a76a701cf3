"""The state's school list: importing `schuldaten.csv` in its real format, re-importing without
duplicates, refusing bad files and reporting bad rows by line, and finding schools in it."""

import pytest
from sqlalchemy import func, select

from openparcours.demo import SCHOOL_LIST
from openparcours.extensions import db
from openparcours.registry import service
from openparcours.registry.importing import COLUMNS
from openparcours.registry.models import RegisteredSchool
from tests.helpers import error_code, field_errors, file_upload

SAMPLE = SCHOOL_LIST
IMPORT = "/api/v1/registry/schools/import"


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def csv_of(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client, data: bytes, query: str = ""):
    return client.post(IMPORT + query, **file_upload(data, "schuldaten.csv"))


def schools() -> dict[str, RegisteredSchool]:
    db.session.expire_all()
    return {s.schulnummer: s for s in db.session.scalars(select(RegisteredSchool))}


@pytest.fixture
def admin(make_client, make_user):
    return make_client(make_user(site_admin=True))


def test_the_sample_imports_with_names_districts_forms_and_positions(admin):
    response = upload(admin, SAMPLE.read_bytes())
    assert response.status_code == 200, response.json
    assert response.json == {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "other_districts": 0,
        "problems": [],
        "saved": True,
    }
    found = schools()
    demo_school = found["165432"]
    assert demo_school.name == "Gesamtschule am Stadtgarten (Demo)"
    assert demo_school.district == "Kreis Recklinghausen"
    assert demo_school.municipality == "Recklinghausen"
    assert demo_school.school_form_key == "15"
    assert demo_school.public
    assert demo_school.opened_on.isoformat() == "1968-08-01"
    # EPSG:25832 → WGS 84: the Recklinghausen town centre.
    assert demo_school.lat == pytest.approx(51.6106, abs=1e-4)
    assert demo_school.lon == pytest.approx(7.2047, abs=1e-4)
    assert found["186020"].district == "Köln"
    assert found["131415"].district == "Bochum"
    assert found["165468"].lat is None
    assert not found["165468"].public

    listed = admin.get("/api/v1/registry/schools?district=Kreis%20Recklinghausen")
    assert listed.status_code == 200
    forms = {s["schulnummer"]: s["school_form_name"] for s in listed.json}
    # A key the shipped table does not know stays visible as a key.
    assert forms == {
        "165432": "Gesamtschule",
        "165444": "Grundschule",
        "165456": "Gesamtschule",
        "165468": "Schulform 99",
    }
    assert listed.headers["X-Pagination"]


def test_importing_again_updates_by_schulnummer_and_never_duplicates(admin):
    upload(admin, SAMPLE.read_bytes())
    lines = sample_lines()
    lines[3] = lines[3].replace("Paul-Gerhardt-Schule", "Paul-Gerhardt-Schule (Ganztag)")
    again = upload(admin, csv_of(lines))
    assert again.status_code == 200
    assert again.json | {"problems": []} == {
        "created": 0,
        "updated": 1,
        "unchanged": 5,
        "other_districts": 0,
        "problems": [],
        "saved": True,
    }
    assert db.session.scalar(select(func.count()).select_from(RegisteredSchool)) == 6
    assert schools()["165444"].name.endswith("(Ganztag)")


def test_a_check_reports_and_saves_nothing(admin):
    response = upload(admin, SAMPLE.read_bytes(), "?check=true")
    assert response.status_code == 200
    assert response.json["created"] == 6
    assert response.json["saved"] is False
    assert schools() == {}


def test_a_network_office_imports_the_rows_of_its_district(make_client, make_user):
    office = make_client(make_user(district="Kreis Recklinghausen"))
    response = upload(office, SAMPLE.read_bytes())
    assert response.status_code == 200
    assert response.json["created"] == 4
    assert response.json["other_districts"] == 2
    assert {s.district for s in schools().values()} == {"Kreis Recklinghausen"}


def test_staff_without_a_district_may_not_import(make_client, make_user, make_organisation, client):
    school = make_organisation("school")
    teacher = make_client(make_user(roles={school: ["admin"]}))
    assert upload(teacher, SAMPLE.read_bytes()).status_code == 403
    assert upload(client, SAMPLE.read_bytes()).status_code == 401
    assert schools() == {}
    # Looking a school up is open to any staff member: the list is open data.
    assert teacher.get("/api/v1/registry/schools?q=Gymnasium").status_code == 200


def refused(client, data: bytes) -> tuple[str, list[dict]]:
    response = upload(client, data)
    assert response.status_code == 422, response.json
    assert error_code(response) == "invalid_school_list"
    assert schools() == {}  # nothing half-imported
    [(line, problems)] = response.json["errors"].items()
    assert all(p["line"] == int(line) for p in problems)
    return line, problems


def test_a_wrong_header_is_refused_naming_line_2(admin):
    lines = sample_lines()
    lines[1] = lines[1].replace(";EPSG", "")
    line, [problem] = refused(admin, csv_of(lines))
    assert line == "2"
    assert problem["code"] == "wrong_header"
    assert problem["params"]["missing"] == "EPSG"
    assert problem["params"]["columns"] == 23


def test_a_file_without_its_first_line_is_refused(admin):
    line, [problem] = refused(admin, csv_of(sample_lines()[1:]))
    assert (line, problem["code"]) == ("1", "first_line")


def test_a_latin1_file_is_refused_at_its_first_line_that_is_not_utf8(admin):
    data = SAMPLE.read_text(encoding="utf-8").encode("latin-1")
    line, [problem] = refused(admin, data)
    # Line 1 and the header are ASCII; the first school's "Städt." is where Latin-1 shows.
    assert (line, problem["code"]) == ("3", "not_utf8")


def test_not_a_csv_at_all_is_refused(admin):
    _line, [problem] = refused(admin, b"\x89PNG\r\n\x1a\n\x00\x00")
    assert problem["code"] == "not_utf8"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda cells: cells[:-1], "wrong_column_count"),
        (lambda cells: [*cells[:22], "402000", "5300000"], "outside_nrw"),  # in Rheinland-Pfalz
        (lambda cells: [*cells[:22], "abc", "5719657"], "invalid_coordinate"),
        (lambda cells: ["16543", *cells[1:]], "invalid_schulnummer"),
        (lambda cells: [*cells[:18], "06412000", *cells[19:]], "unknown_district"),
        (lambda cells: [*cells[:18], "0556203", *cells[19:]], "invalid_municipality_key"),
        (lambda cells: [*cells[:2], "", "", "", *cells[5:]], "name_missing"),
        (lambda cells: [*cells[:20], "31.02.2020", *cells[21:]], "invalid_date"),
        (lambda cells: [*cells[:21], "999999", *cells[22:]], "unknown_crs"),
    ],
)
def test_a_malformed_row_is_reported_by_its_line_and_the_rest_imports(admin, change, code):
    lines = sample_lines()
    lines[4] = ";".join(change(lines[4].split(";")))
    response = upload(admin, csv_of(lines))
    assert response.status_code == 200, response.json
    [problem] = response.json["problems"]
    assert (problem["line"], problem["code"]) == (5, code)
    assert response.json["created"] == 5
    assert "165456" not in schools()  # the row on line 5


def test_a_schulnummer_twice_in_a_file_keeps_the_first(admin):
    lines = sample_lines()
    lines.append(lines[2].replace("Gesamtschule am Stadtgarten", "Doppelt"))
    response = upload(admin, csv_of(lines))
    [problem] = response.json["problems"]
    assert problem["code"] == "duplicate_schulnummer"
    assert problem["params"] == {"schulnummer": "165432", "first_line": 3}
    assert problem["line"] == len(lines)
    assert "Doppelt" not in schools()["165432"].name


def test_a_quoted_field_with_a_line_break_keeps_the_line_numbers_right(admin):
    lines = sample_lines()
    lines[2] = lines[2].replace('"Stadtgarten 5"', '"Stadtgarten 5\r\nEingang B"')
    lines[3] = lines[3].replace("05562024", "0556202")  # now the row starting on line 5
    response = upload(admin, csv_of(lines))
    [problem] = response.json["problems"]
    assert problem["line"] == 5


def test_the_import_takes_more_than_json_may_but_not_too_much(admin, monkeypatch):
    lines = sample_lines()
    # The whole state's list is about 2 MB, more than the app-wide limit of 1 MiB for JSON.
    two_mib = csv_of(lines + [""] * (2 * 1024 * 1024 // 2))
    assert upload(admin, two_mib).json["created"] == 6
    monkeypatch.setattr(service, "MAX_UPLOAD_BYTES", 1024 * 1024)
    response = upload(admin, two_mib)
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_the_header_has_the_24_columns_of_the_state_file():
    assert len(COLUMNS) == 24
    assert sample_lines()[1].split(";") == list(COLUMNS)


def test_searching_the_list_by_name_or_number(admin):
    upload(admin, SAMPLE.read_bytes())

    def found(query):
        response = admin.get(f"/api/v1/registry/schools?{query}")
        assert response.status_code == 200, response.json
        return [s["schulnummer"] for s in response.json]

    assert found("q=realschule") == ["131415"]
    assert found("q=186020") == ["186020"]
    assert found("q=%25") == []  # a wildcard is a character, not "everything"
    assert found("school_form_key=15") == ["165456", "165432"]  # by name
    assert found("municipality=Marl") == ["165444"]
    assert admin.get("/api/v1/registry/schools?school_form_key=x").status_code == 422


def test_the_reference_tables_name_their_sources(client):
    response = client.get("/api/v1/registry/tables")
    assert response.status_code == 200
    tables = response.json
    assert len(tables["districts"]) == 53  # 22 kreisfreie Städte, 30 Kreise, the Städteregion
    assert tables["districts"]["05562"] == "Kreis Recklinghausen"
    assert {"key": "20", "name": "Gymnasium"} in tables["school_forms"]
    assert all(source["source"] and source["version"] for source in tables["sources"])


def test_the_command_line_imports_and_reports_lines(app, tmp_path):
    lines = sample_lines()
    lines[4] = lines[4].replace("05562012", "0556201")
    path = tmp_path / "schuldaten.csv"
    path.write_bytes(csv_of(lines))
    result = app.test_cli_runner().invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 new, 0 updated, 0 unchanged, 0 of other districts, 1 left out" in result.output
    assert "line 5:" in result.output
    path.write_bytes(csv_of(lines[1:]))
    refused_file = app.test_cli_runner().invoke(args=["registry", "import", str(path)])
    assert refused_file.exit_code == 1
    assert "line 1:" in refused_file.output


def test_a_school_links_to_its_entry_by_schulnummer(
    admin, make_client, make_user, make_organisation
):
    school = make_organisation("school")
    museum = make_organisation("museum")
    school_admin = make_client(make_user(roles={school: ["admin"]}))
    path = f"/api/v1/organisations/{school.id}"
    refused_link = school_admin.patch(path, {"schulnummer": "165432"})
    assert refused_link.status_code == 403
    assert error_code(refused_link) == "site_admin_only"
    assert admin.patch(path, {"schulnummer": "165432"}).json["schulnummer"] == "165432"
    other = make_organisation("school")
    taken = admin.patch(f"/api/v1/organisations/{other.id}", {"schulnummer": "165432"})
    assert taken.status_code == 422
    assert field_errors(taken) == {"schulnummer"}
    not_a_school = admin.patch(f"/api/v1/organisations/{museum.id}", {"schulnummer": "165444"})
    assert not_a_school.status_code == 422
    assert field_errors(not_a_school) == {"schulnummer"}
    assert admin.patch(path, {"schulnummer": "12345"}).status_code == 422
