"""The network office imports the state's school list for its district, checking it first and
seeing a bad file refused by its line, then sees the coverage: the share of schools with a
partner, the map with its legend and the schools as a list."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from openparcours.demo import SCHOOL_LIST
from openparcours.extensions import db
from openparcours.registry.models import RegisteredSchool
from openparcours.registry.service import import_school_list
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in

DISTRICT_PAGE = "/partners/district/Kreis%20Recklinghausen"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture
def no_school_list(live_server):
    """The demo's school list goes for the journey to import it, and comes back after it (the
    live server is shared)."""
    with live_server.app.app_context():
        db.session.execute(delete(RegisteredSchool))
        db.session.commit()
    yield
    with live_server.app.app_context():
        import_school_list(SCHOOL_LIST.read_bytes())


def test_the_network_office_imports_the_school_list_and_sees_the_coverage(
    page, live_server, no_school_list, tmp_path, watch
):
    log_in(page, live_server.user("network_office"))
    page.goto(DISTRICT_PAGE)
    expect(page.get_by_role("heading", name="Abdeckung im Kreis")).to_be_visible()
    expect(page.get_by_text("noch keine Schulliste eingelesen")).to_be_visible()

    latin1 = tmp_path / "schuldaten.csv"
    latin1.write_bytes(SCHOOL_LIST.read_text(encoding="utf-8").encode("latin-1"))
    page.get_by_label("Datei (CSV)").set_input_files(latin1)
    page.get_by_role("button", name="Einlesen").click()
    expect(
        page.get_by_role("alert").filter(has_text="Die Schulliste wurde nicht eingelesen")
    ).to_be_visible()
    expect(page.get_by_text("Zeile 3: Die Datei ist nicht als UTF-8 gespeichert")).to_be_visible()

    page.get_by_label("Datei (CSV)").set_input_files(SCHOOL_LIST)
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
    # Gesamtschulen: 2 in the list, 1 with a partner.
    expect(schools_by_form.get_by_role("row", name="Gesamtschule 2 1")).to_be_visible()
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
    expect(
        listed.get_by_role("row", name=re.compile("Gesamtschule am Stadtgarten"))
    ).to_contain_text("Schule mit Partnerschaft")
    expect(page.get_by_role("table", name=re.compile("Veröffentlichte Angebote"))).to_be_visible()
    assert accessibility_problems(page) == []

    report = page.get_by_role("region", name="Bericht für die Bildungskonferenz")
    with page.expect_download() as download:
        report.get_by_role("link", name=re.compile("PDF")).click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
