"""A school's Lernweg: the agreements' anchoring rows are what is planned, the classes' visits
what is done, per year group and subject, with partners and media competences."""

import io
from datetime import timedelta

import openpyxl
import pypdfium2
import pytest

from openparcours.curriculum.tables import year_group_of_class
from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion
from openparcours.partnerships.reports import current_school_year


@pytest.fixture
def school_year_world(make_organisation, make_user, make_client, make_trail, make_partnership):
    school = make_organisation("school", name="Gesamtschule Mitte")
    museum = make_organisation("museum", name="Zechenmuseum")
    library = make_organisation("library", name="Stadtbibliothek")
    mine = make_trail(museum, published=True, title="Unter Tage", subjects=["Geschichte"])
    reading = make_trail(library, published=True, title="Lesespuren", subjects=["Deutsch"])
    partnership = make_partnership(school, museum, trails=[mine])
    version = db.session.query(AgreementVersion).filter_by(partnership_id=partnership.id).one()
    version.content = version.content | {
        "anchoring": [
            {
                "year_group": 7,
                "subject": "Geschichte",
                "teaching_unit": "Industrialisierung",
                "trail_id": mine.id,
                "offer": "",
                "media_competences": ["4.1", "2.1"],
                "term": 2,
            },
            {
                "year_group": 9,
                "subject": "Politik",
                "teaching_unit": "Strukturwandel",
                "trail_id": None,
                "offer": "Zeitzeugengespräch",
                "media_competences": ["2.2"],
                "term": None,
            },
        ]
    }
    db.session.commit()
    teacher = make_user(roles={school: ["teacher"]})
    return {
        "school": school,
        "mine": mine,
        "reading": reading,
        "teacher": make_client(teacher),
        "museum": museum,
        "museum_client": make_client(make_user(roles={museum: ["admin"]})),
    }


def visit_of(make_visit, world, trail, class_label, days_ago=10):
    return make_visit(
        trail,
        class_label=class_label,
        school_id=world["school"].id,
        starts=timedelta(days=-days_ago),
        ends=timedelta(days=-days_ago, hours=2),
    )


def test_planned_rows_and_done_visits_meet_in_their_cells(school_year_world, make_visit):
    world = school_year_world
    visit_of(make_visit, world, world["mine"], "7b")
    visit_of(make_visit, world, world["reading"], "5a")
    visit_of(make_visit, world, world["reading"], "Lese-AG")
    response = world["teacher"].get(f"/api/v1/organisations/{world['school'].id}/lernweg")
    assert response.status_code == 200, response.json
    lernweg = response.json
    assert lernweg["school_year"].startswith(str(current_school_year()))
    by_year = {group["year_group"]: group for group in lernweg["year_groups"]}
    assert list(by_year) == [5, 7, 9, None]
    seven = {cell["subject"]: cell for cell in by_year[7]["cells"]}
    [planned] = seven["Geschichte"]["planned"]
    assert planned == {
        "partner": "Zechenmuseum",
        "teaching_unit": "Industrialisierung",
        "offer": "Unter Tage",
        "media_competences": ["4.1", "2.1"],
        "term": 2,
    }
    [done] = seven["Geschichte"]["done"]
    assert set(done) == {"partner", "trail_title", "class_label", "date"}  # no pupil
    assert (done["partner"], done["trail_title"], done["class_label"]) == (
        "Zechenmuseum",
        "Unter Tage",
        "7b",
    )
    assert by_year[7]["media_competences"] == ["2.1", "4.1"]
    nine = by_year[9]["cells"]
    assert nine[0]["planned"][0]["offer"] == "Zeitzeugengespräch"
    assert nine[0]["done"] == []
    # A visit without a plan goes by its trail's subject; a class without a year group apart.
    assert by_year[5]["cells"][0]["subject"] == "Deutsch"
    assert by_year[None]["cells"][0]["done"][0]["class_label"] == "Lese-AG"
    assert lernweg["subjects"] == ["Deutsch", "Geschichte", "Politik"]


def test_an_earlier_school_year_shows_its_own_visits_only(school_year_world, make_visit):
    world = school_year_world
    visit_of(make_visit, world, world["mine"], "7b", days_ago=400)
    url = f"/api/v1/organisations/{world['school'].id}/lernweg"
    this_year = world["teacher"].get(url).json
    assert all(cell["done"] == [] for group in this_year["year_groups"] for cell in group["cells"])
    last = world["teacher"].get(f"{url}?school_year={current_school_year() - 1}").json
    assert any(cell["done"] for group in last["year_groups"] for cell in group["cells"])
    assert world["teacher"].get(f"{url}?school_year=1900").status_code == 422


def test_an_amendment_replaces_the_rows_it_plans(school_year_world, make_visit):
    world = school_year_world
    version = db.session.query(AgreementVersion).one()
    amendment = AgreementVersion(
        partnership_id=version.partnership_id,
        number=2,
        state=version.state,
        signed_at=utcnow(),
        starts_on=version.starts_on,
        content=version.content | {"anchoring": version.content["anchoring"][:1]},
    )
    version.superseded_at = utcnow()
    db.session.add(amendment)
    db.session.commit()
    lernweg = world["teacher"].get(f"/api/v1/organisations/{world['school'].id}/lernweg").json
    assert [group["year_group"] for group in lernweg["year_groups"]] == [7]


def test_only_the_schools_staff_read_its_lernweg(school_year_world, make_client, make_user):
    world = school_year_world
    url = f"/api/v1/organisations/{world['school'].id}/lernweg"
    assert make_client().get(url).status_code == 401
    assert make_client(make_user(roles={world["museum"]: ["admin"]})).get(url).status_code == 403
    assert make_client(make_user(district="Bochum")).get(url).status_code == 403
    assert make_client(make_user(site_admin=True)).get(url).status_code == 200
    museum_url = f"/api/v1/organisations/{world['museum'].id}/lernweg"
    assert make_client(make_user(site_admin=True)).get(museum_url).status_code == 403


def test_the_lernweg_takes_the_same_queries_whatever_the_school_does(
    school_year_world, make_visit, make_trail, make_organisation, make_partnership, count_queries
):
    world = school_year_world
    url = f"/api/v1/organisations/{world['school'].id}/lernweg"

    def queries() -> int:
        with count_queries() as statements:
            assert world["teacher"].get(url).status_code == 200
        return len(statements)

    visit_of(make_visit, world, world["mine"], "7b")
    before = queries()
    for n in range(4):
        partner = make_organisation("archive", name=f"Archiv {n}")
        trail = make_trail(partner, published=True, subjects=["Geschichte"])
        make_partnership(world["school"], partner, trails=[trail])
        visit_of(make_visit, world, trail, f"{n + 5}a")
    assert queries() == before


@pytest.mark.parametrize(
    ("label", "year_group"),
    [
        ("7b", 7),
        ("10 c", 10),
        ("EF", 11),
        ("q1 Kurs", 12),
        ("Q2", 13),
        ("Efeu-AG", None),
        ("AG Foto", None),
        ("123", None),
        ("0a", None),
    ],
)
def test_the_year_group_a_class_label_names(label, year_group):
    assert year_group_of_class(label) == year_group


def test_the_lernweg_exports_as_pdf_and_xlsx(school_year_world, make_visit):
    world = school_year_world
    visit_of(make_visit, world, world["mine"], "7b")
    url = f"/api/v1/organisations/{world['school'].id}/lernweg"
    pdf = world["teacher"].get(f"{url}.pdf")
    assert pdf.status_code == 200
    assert "no-store" in pdf.headers["Cache-Control"]
    document = pypdfium2.PdfDocument(pdf.data)
    width, height = document[0].get_size()
    assert width > height  # A4 landscape
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    for expected in ("Lernweg Gesamtschule Mitte", "Jahrgang 7", "Industrialisierung", "✓ 7b"):
        assert expected in text, expected
    xlsx = world["teacher"].get(f"{url}.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Jahrgang 7", "Jahrgang 9"]
    rows = list(book["Jahrgang 7"].iter_rows(values_only=True))
    assert rows[1][:3] == ("Fach", "Stand", "Unterrichtsvorhaben / Parcours")
    assert ("Geschichte", "geplant", "Industrialisierung") in [r[:3] for r in rows]
    assert ("Geschichte", "durchgeführt", "Unter Tage") in [r[:3] for r in rows]
    # The museum's staff do not download the school's Lernweg.
    assert world["museum_client"].get(f"{url}.xlsx").status_code == 403
