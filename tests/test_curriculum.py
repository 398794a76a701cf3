"""The curriculum's reference tables, as the editor and the catalogue read them."""

from openparcours.curriculum.tables import year_runs


def test_the_curriculum_tables_are_public_and_name_their_sources(client):
    response = client.get("/api/v1/curriculum/tables")
    assert response.status_code == 200
    tables = response.json
    assert {source["title"] for source in tables["sources"]} == {
        "Fächer der allgemeinbildenden Schulen in Nordrhein-Westfalen",
        "Medienkompetenzrahmen NRW",
    }
    assert all(source["version"] and source["source"] for source in tables["sources"])
    assert tables["year_groups"] == list(range(1, 14))
    by_name = {subject["name"]: subject for subject in tables["subjects"]}
    assert by_name["Sachunterricht"]["year_groups"] == [1, 2, 3, 4]
    assert by_name["Geschichte"]["year_groups"][0] >= 5
    areas = tables["media_competences"]
    assert [area["key"] for area in areas] == ["1", "2", "3", "4", "5", "6"]
    assert all(len(area["competences"]) == 4 for area in areas)
    assert areas[1]["competences"][0] == {"key": "2.1", "name": "Informationsrecherche"}
    assert areas[5]["competences"][3]["key"] == "6.4"


def test_year_groups_are_written_in_runs():
    assert year_runs([5, 6, 7]) == "5–7"
    assert year_runs([9, 5, 7, 8, 7]) == "5, 7–9"
    assert year_runs([11]) == "11"
    assert year_runs([]) == ""
