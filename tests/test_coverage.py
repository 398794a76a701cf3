"""The district's coverage for its network office: schools of the state's list with and without
a partner, institutions without one, the share per school year, the offers' gaps and the map."""

from datetime import timedelta

import pytest

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion

DISTRICT = "Kreis Recklinghausen"
URL = "/api/v1/districts/Kreis%20Recklinghausen/coverage"


@pytest.fixture
def district(make_registered_school, make_organisation, make_partnership, make_trail):
    """Three schools of the list: one a partner of the Zechenmuseum, one in OpenParcours
    without an agreement, one only in the list; a library without a partner; an offer for
    Geschichte in year groups 5 and 6."""
    listed = {
        name: make_registered_school(
            DISTRICT, name=name, school_form_key=key, municipality=town, **extra
        )
        for name, key, town, extra in (
            ("Gymnasium Marl", "20", "Marl", {}),
            ("Gesamtschule Dorsten", "15", "Dorsten", {}),
            ("Grundschule Marl", "02", "Marl", {"lat": None, "lon": None}),
        )
    }
    make_registered_school("Bochum", name="Anderswo")
    partner = make_organisation(
        "school", district=DISTRICT, schulnummer=listed["Gymnasium Marl"].schulnummer
    )
    make_organisation(
        "school",
        district=DISTRICT,
        school_form=None,
        schulnummer=listed["Gesamtschule Dorsten"].schulnummer,
    )
    museum = make_organisation("museum", name="Zechenmuseum", district=DISTRICT, lat=51.6)
    library = make_organisation("library", name="Stadtbibliothek", district=DISTRICT)
    make_partnership(partner, museum)
    make_trail(museum, published=True, subjects=["Geschichte"], grades=[5, 6])
    make_trail(museum, published=True, subjects=["Kochen"], grades=[5])  # not an NRW subject
    make_trail(museum, published=False, subjects=["Biologie"], grades=[7])  # a draft
    return {"listed": listed, "partner": partner, "museum": museum, "library": library}


@pytest.fixture
def office(make_client, make_user):
    return make_client(make_user(district=DISTRICT))


def test_the_coverage_of_a_district(district, office):
    response = office.get(URL)
    assert response.status_code == 200, response.json
    report = response.json
    assert report["schools"] == {"total": 3, "covered": 1, "in_openparcours": 2, "share": 0.333}
    assert report["by_school_form"] == [
        {"key": "02", "name": "Grundschule", "total": 1, "covered": 0},
        {"key": "15", "name": "Gesamtschule", "total": 1, "covered": 0},
        {"key": "20", "name": "Gymnasium", "total": 1, "covered": 1},
    ]
    assert report["by_municipality"] == [
        {"municipality": "Dorsten", "total": 1, "covered": 0},
        {"municipality": "Marl", "total": 2, "covered": 1},
    ]
    assert report["institutions_without_partner"] == [
        {"id": district["library"].id, "name": "Stadtbibliothek", "kind": "library"}
    ]
    statuses = {s["name"]: s["status"] for s in report["map"]["schools"]}
    assert statuses == {
        "Gymnasium Marl": "partner",
        "Gesamtschule Dorsten": "member",
        "Grundschule Marl": "absent",
    }
    gymnasium = district["listed"]["Gymnasium Marl"].schulnummer
    assert report["map"]["lines"] == [
        {"schulnummer": gymnasium, "institution_id": district["museum"].id}
    ]
    history = {
        subject["name"]: {y["year_group"]: y["offers"] for y in subject["year_groups"]}
        for subject in report["offers"]["subjects"]
    }
    assert history["Geschichte"] == {5: 1, 6: 1, 7: 0, 8: 0, 9: 0, 10: 0, 11: 0, 12: 0, 13: 0}
    assert history["Sachunterricht"] == {1: 0, 2: 0, 3: 0, 4: 0}
    assert sum(y["offers"] for s in report["offers"]["subjects"] for y in s["year_groups"]) == 2
    cells = sum(len(s["year_groups"]) for s in report["offers"]["subjects"])
    assert report["offers"]["gaps"] == cells - 2
    # The agreement started a year ago: this school year and the last one are covered.
    assert [y["covered"] for y in report["years"]] == [0, 0, 0, 1, 1]
    assert report["years"][-1]["school_year"] == report["school_year"]


def test_filters_narrow_schools_and_institutions(district, office):
    by_form = office.get(URL + "?school_form_key=20").json
    assert by_form["schools"]["total"] == 1
    assert by_form["schools"]["covered"] == 1
    by_town = office.get(URL + "?municipality=Dorsten").json
    assert by_town["schools"] == {"total": 1, "covered": 0, "in_openparcours": 1, "share": 0.0}
    museums = office.get(URL + "?institution_kind=museum").json
    assert museums["institutions_without_partner"] == []
    assert [i["name"] for i in museums["map"]["institutions"]] == ["Zechenmuseum"]
    assert office.get(URL + "?institution_kind=school").status_code == 422


def test_an_ended_agreement_no_longer_covers_but_counts_for_its_years(district, office):
    version = db.session.query(AgreementVersion).one()
    version.ended_on = (utcnow() - timedelta(days=1)).date()
    db.session.commit()
    report = office.get(URL).json
    assert report["schools"]["covered"] == 0
    assert report["years"][-2]["covered"] == 1
    assert {i["name"] for i in report["institutions_without_partner"]} == {
        "Stadtbibliothek",
        "Zechenmuseum",
    }


def test_only_its_network_office_and_site_admins_see_a_district(district, make_client, make_user):
    assert make_client(make_user(district="Bochum")).get(URL).status_code == 403
    assert make_client().get(URL).status_code == 401
    admin_of_partner = make_client(make_user(roles={district["partner"]: ["admin"]}))
    assert admin_of_partner.get(URL).status_code == 403
    assert make_client(make_user(site_admin=True)).get(URL).status_code == 200


def test_the_report_takes_the_same_queries_whatever_the_district_size(
    district,
    office,
    count_queries,
    make_registered_school,
    make_organisation,
    make_partnership,
    make_trail,
):
    def queries() -> int:
        with count_queries() as statements:
            assert office.get(URL).status_code == 200
        return len(statements)

    before = queries()
    for n in range(5):
        school = make_registered_school(DISTRICT, name=f"Neue Schule {n}")
        organisation = make_organisation(
            "school", district=DISTRICT, schulnummer=school.schulnummer
        )
        institution = make_organisation("archive", district=DISTRICT)
        make_partnership(organisation, institution)
        make_trail(institution, published=True, subjects=["Deutsch"], grades=[n + 5])
    assert queries() == before
