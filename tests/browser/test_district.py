"""The network office imports the state's school list for its district, checking it first and
seeing a bad file refused by its line, then sees the coverage: the share of schools with a
partner, the map with its legend and the schools as a list."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from openparcours.extensions import db
from openparcours.organisations.models import Organisation
from openparcours.registry.models import RegisteredSchool
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in
from tests.test_registry import SAMPLE

DISTRICT_PAGE = "/partners/district/Kreis%20Recklinghausen"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture
def demo_school_listed(live_server):
    """The demo's school carries the Schulnummer of the sample's Gymnasium am Stadtgarten;
    the list and the link go again afterwards (the live server is shared)."""
    with live_server.app.app_context():
        school = db.session.scalar(
            select(Organisation).where(Organisation.slug == "gesamtschule-am-stadtgarten")
        )
        school.schulnummer = "165432"
        db.session.commit()
    yield
    with live_server.app.app_context():
        db.session.execute(delete(RegisteredSchool))
        school = db.session.scalar(
            select(Organisation).where(Organisation.slug == "gesamtschule-am-stadtgarten")
        )
        school.schulnummer = None
        db.session.commit()


def test_the_network_office_imports_the_school_list_and_sees_the_coverage(
    page, live_server, demo_school_listed, tmp_path, watch
):
    log_in(page, live_server.user("network_office"))
    page.goto(DISTRICT_PAGE)
    expect(page.get_by_role("heading", name="Abdeckung im Kreis")).to_be_visible()
    expect(page.get_by_text("noch keine Schulliste eingelesen")).to_be_visible()

    latin1 = tmp_path / "schuldaten.csv"
    latin1.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    page.get_by_label("Datei (CSV)").set_input_files(latin1)
    page.get_by_role("button", name="Einlesen").click()
    expect(
        page.get_by_role("alert").filter(has_text="Die Schulliste wurde nicht eingelesen")
    ).to_be_visible()
    expect(page.get_by_text("Zeile 3: Die Datei ist nicht als UTF-8 gespeichert")).to_be_visible()

    page.get_by_label("Datei (CSV)").set_input_files(SAMPLE)
    page.get_by_label("Nur prüfen, nichts speichern").check()
    page.get_by_role("button", name="Einlesen").click()
    expect(page.get_by_role("status").filter(has_text="Geprüft")).to_contain_text(
        "4 neu, 0 geändert, 0 unverändert, 2 aus anderen Kreisen, 0 ausgelassen"
    )
    expect(page.get_by_text("noch keine Schulliste eingelesen")).to_be_visible()

    page.get_by_label("Nur prüfen, nichts speichern").uncheck()
    page.get_by_role("button", name="Einlesen").click()
    expect(page.get_by_role("status").filter(has_text="Eingelesen")).to_contain_text("4 neu")
    expect(
        page.get_by_text(re.compile(r"1 von 4 Schulen haben eine Bildungspartnerschaft \(25\s%"))
    ).to_be_visible()
    schools_by_form = page.get_by_role("table", name="Schulen nach Schulform")
    expect(schools_by_form.get_by_role("row", name=re.compile("Gymnasium"))).to_contain_text("1")
    expect(schools_by_form).to_contain_text("Schulform 99")  # a key the table does not know

    map_region = page.get_by_role("region", name="Karte der Schulen und Einrichtungen")
    expect(map_region).to_be_visible()
    # Three of the four schools have a position; one is a partner, drawn with its line.
    expect(map_region.locator(".coverage-pin")).to_have_count(4)  # 3 schools, the museum
    expect(map_region.locator(".coverage-partner")).to_have_count(1)
    expect(map_region.locator("path.leaflet-interactive")).to_have_count(1)
    legend = page.get_by_role("list", name="Legende")
    expect(legend).to_contain_text("Schule mit Partnerschaft")
    expect(legend).to_contain_text("Schule nur in der Schulliste")

    page.locator("summary", has_text="Alle Schulen als Liste").click()
    listed = page.get_by_role("table", name="Alle Schulen als Liste")
    expect(listed.get_by_role("row", name=re.compile("Gymnasium am Stadtgarten"))).to_contain_text(
        "Schule mit Partnerschaft"
    )
    expect(page.get_by_role("table", name=re.compile("Veröffentlichte Angebote"))).to_be_visible()
    assert accessibility_problems(page) == []
