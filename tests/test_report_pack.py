"""The district's report pack for its Bildungskonferenz, as PDF and XLSX: German words and
numbers, charts as vector graphics, counts and organisation names only."""

import io
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from openpyxl import load_workbook

from openparcours.database import local_zone, utcnow
from openparcours.extensions import db
from openparcours.organisations.models import OrganisationKind, SchoolForm
from openparcours.organisations.names import KINDS, SCHOOL_FORMS
from openparcours.partnerships.models import AgreementVersion
from openparcours.partnerships.reports import current_school_year
from tests.factories import TODAY

DISTRICT = "Kreis Recklinghausen"
URL = "/api/v1/districts/Kreis%20Recklinghausen/report-pack"
YEAR = current_school_year(TODAY)


def _at(day: date):
    """For make_visit: the time from now to 10 o'clock on `day`."""
    return datetime.combine(day, time(10), local_zone()) - utcnow()


@pytest.fixture
def district(make_registered_school, make_organisation, make_partnership, make_trail, make_visit):
    """Eight schools of the list, two in OpenParcours: a Gesamtschule whose agreement with a
    museum began this school year, a Grundschule whose agreement with a library began two years
    ago and ended this one. Three visits at the museum this year, one the year before."""
    listed = [make_registered_school(DISTRICT, municipality="Marl") for _ in range(8)]
    gesamtschule = make_organisation(
        "school",
        name="Schule am Park",
        district=DISTRICT,
        school_form=SchoolForm.gesamtschule,
        schulnummer=listed[0].schulnummer,
    )
    grundschule = make_organisation(
        "school",
        name="Schule an der Ruhr",
        district=DISTRICT,
        school_form=SchoolForm.grundschule,
        schulnummer=listed[1].schulnummer,
    )
    zeche = make_organisation("museum", name="Zeche Zollern", district=DISTRICT)
    library = make_organisation("library", name="Stadtbücherei", district=DISTRICT)
    make_partnership(gesamtschule, zeche)
    make_partnership(grundschule, library)
    new, ended = db.session.query(AgreementVersion).order_by(AgreementVersion.id).all()
    new.starts_on = date(YEAR, 9, 1)
    ended.starts_on, ended.ended_on = date(YEAR - 2, 8, 1), date(YEAR, 8, 15)
    db.session.commit()
    history = make_trail(zeche, published=True, subjects=["Geschichte"], grades=[5, 6])
    make_trail(library, published=True, subjects=["Deutsch"], grades=[5], language="en")
    for day in (date(YEAR, 9, 10), date(YEAR, 9, 24), date(YEAR + 1, 3, 3), date(YEAR, 7, 1)):
        make_visit(history, starts=_at(day), ends=_at(day) + timedelta(hours=2))
    return {"schools": listed, "zeche": zeche, "library": library}


@pytest.fixture
def office(make_client, make_user):
    return make_client(make_user(district=DISTRICT))


def _text(pdf: bytes) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))


def test_the_pdf_speaks_german_and_draws_its_charts(district, office):
    response = office.get(f"{URL}.pdf?school_year={YEAR}")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    label = f"{YEAR}-{(YEAR + 1) % 100:02d}"
    assert (
        f"Bildungskonferenz-Kreis-Recklinghausen-{label}.pdf"
        in (response.headers["Content-Disposition"])
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    text = _text(response.data)
    for expected in (
        f"Schuljahr {YEAR}/{(YEAR + 1) % 100:02d}",
        "Gesamtschule",
        "Grundschule",
        "Museum",
        "Bibliothek",
        "2 von 8 Schulen",
        "25,0 %",  # the share this school year, in the text and on its bar
        "Schule am Park",  # new this school year
        f"15.08.{YEAR}",  # the day the other agreement ended
        "3 Besuche",
        "Geschichte",
        "Englisch",
        "Okt",
    ):
        assert expected in text, expected
    for slug in ("gesamtschule", "grundschule", "museum", "library", "0.25", "25.0"):
        assert slug not in text, slug
    pdf = pypdfium2.PdfDocument(response.data)
    objects = [o.type for page in pdf for o in page.get_objects()]
    assert objects.count(pdfium.FPDF_PAGEOBJ_PATH) >= 17  # 12 + 5 bars at least
    assert pdfium.FPDF_PAGEOBJ_IMAGE not in objects


def test_the_workbook_has_a_sheet_per_topic_with_numbers(district, office):
    response = office.get(f"{URL}.xlsx?school_year={YEAR}")
    assert response.status_code == 200, response.json
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Abdeckung",
        "Partnerschaften",
        "Neue Vereinbarungen",
        "Beendete Vereinbarungen",
        "Besuche je Monat",
        "Angebote nach Fach",
        "Angebote nach Sprache",
        "Nach Mustervereinbarung",
    ]
    rows = {
        name: list(book[name].iter_rows(min_row=2, values_only=True)) for name in book.sheetnames
    }
    assert rows["Abdeckung"][0] == ("Schuljahr", "Schulen", "mit Vereinbarung", "Anteil")
    assert rows["Abdeckung"][-1] == (f"{YEAR}/{(YEAR + 1) % 100:02d}", 8, 2, 0.25)
    assert rows["Abdeckung"][-3][2] == 1  # two years ago: the Grundschule only
    assert rows["Partnerschaften"] == [
        ("Schulform", "Bibliothek", "Museum", "gesamt"),
        ("Gesamtschule", 0, 1, 1),
        ("Grundschule", 1, 0, 1),
        ("gesamt", 1, 1, 2),
    ]
    assert [r[:2] for r in rows["Neue Vereinbarungen"][1:]] == [("Schule am Park", "Zeche Zollern")]
    assert rows["Beendete Vereinbarungen"][1][:2] == ("Schule an der Ruhr", "Stadtbücherei")
    assert rows["Beendete Vereinbarungen"][1][2].date() == date(YEAR, 8, 15)
    months = dict(rows["Besuche je Monat"][1:])
    assert months[f"Sep {YEAR}"] == 2
    assert months[f"Mär {YEAR + 1}"] == 1
    assert sum(months.values()) == 3
    offers = {r[0]: r[1:] for r in rows["Angebote nach Fach"][1:]}
    assert offers["Geschichte"][4:6] == (1, 1)
    assert offers["Deutsch"][4] == 1
    assert rows["Angebote nach Sprache"][1:] == [("Deutsch", 1), ("Englisch", 1)]
    # Both agreements were in force in the year, neither written from a Mustervereinbarung.
    assert rows["Nach Mustervereinbarung"][1:] == [("ohne Vorlage", None, 2)]


def test_the_pack_reads_the_same_number_of_queries_whatever_the_size(
    district, office, count_queries, make_registered_school, make_organisation, make_partnership
):
    def queries() -> int:
        with count_queries() as statements:
            assert office.get(f"{URL}.xlsx?school_year={YEAR}").status_code == 200
        return len(statements)

    before = queries()
    for n in range(6):
        school = make_organisation(
            "school",
            district=DISTRICT,
            schulnummer=make_registered_school(DISTRICT).schulnummer,
            school_form=SchoolForm.realschule if n % 2 else None,
        )
        make_partnership(school, make_organisation("theatre", district=DISTRICT))
    assert queries() == before


def test_hostile_names_stay_text(
    make_registered_school, make_organisation, make_partnership, make_client, make_user
):
    district = 'Kreis "=1+1" <b>&'
    school = make_organisation(
        "school",
        name='=HYPERLINK("http://evil.example","x")',
        district=district,
        schulnummer=make_registered_school(district).schulnummer,
    )
    make_partnership(
        school, make_organisation("museum", name="<b>Fett</b> & Co", district=district)
    )
    db.session.query(AgreementVersion).one().starts_on = date(YEAR, 8, 1)  # new this year
    db.session.commit()
    admin = make_client(make_user(site_admin=True))
    url = f"/api/v1/districts/{quote(district)}/report-pack"
    pdf = admin.get(f"{url}.pdf")
    assert pdf.status_code == 200, pdf.json
    assert "<b>Fett</b> & Co" in _text(pdf.data)
    label = f"{YEAR}-{(YEAR + 1) % 100:02d}"
    disposition = pdf.headers["Content-Disposition"]
    assert disposition.startswith(
        f'attachment; filename="Bildungskonferenz-Kreis-1-1-b-{label}.pdf"'
    )
    sheet = load_workbook(io.BytesIO(admin.get(f"{url}.xlsx").data))["Neue Vereinbarungen"]
    cell = sheet["A3"]
    assert cell.value == '=HYPERLINK("http://evil.example","x")'
    assert cell.data_type == "s"


def test_only_the_districts_office_and_site_admins_read_it(district, make_client, make_user):
    elsewhere = make_client(make_user(district="Essen"))
    assert elsewhere.get(f"{URL}.pdf").status_code == 403
    assert make_client(make_user(site_admin=True)).get(f"{URL}.xlsx").status_code == 200


@pytest.mark.parametrize("year", ["abc", "1999", "2101", ""])
def test_a_bad_school_year_is_refused(district, office, year):
    for ext in ("pdf", "xlsx"):
        response = office.get(f"{URL}.{ext}?school_year={year}")
        assert response.status_code == 422, year
        assert "school_year" in str(response.json)


def test_kinds_and_school_forms_have_german_words():
    assert set(KINDS) == set(OrganisationKind)
    assert set(SCHOOL_FORMS) == set(SchoolForm)
    assert all(word[0].isupper() or word.startswith("andere") for word in KINDS.values())


def test_the_words_are_the_pwas():
    """The server's German words for kinds and school forms are the PWA's German messages."""
    messages = Path("pwa/src/partnerships/messages.ts").read_text(encoding="utf-8")
    german = messages[: messages.index("export const partnershipEn")]
    words = dict(re.findall(r'"((?:catalogue\.kind|schoolForm)\.\w+)": "([^"]+)"', german))
    for kind, word in KINDS.items():
        if kind != OrganisationKind.school:
            assert words[f"catalogue.kind.{kind.value}"] == word
    for form, word in SCHOOL_FORMS.items():
        assert words[f"schoolForm.{form.value}"] == word
