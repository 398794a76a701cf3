"""axe-core on every area's pages, as each role sees them: no serious or critical violations
of WCAG 2.1 A/AA rules."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def demo_ids(live_server) -> dict:
    demo = live_server.demo
    museum = next(o["id"] for o in demo["organisations"] if o["kind"] == "museum")
    return {
        "museum": museum,
        "partnership": demo["partnerships"][0]["id"],
        "trail": demo["visit"]["trail_id"],
        "visit": demo["visit"]["id"],
    }


def audit(page, path: str, ready) -> list[str]:
    page.goto(path)
    expect(ready(page)).to_be_visible()
    return [f"{path}: {problem}" for problem in accessibility_problems(page)]


def heading(name):
    return lambda page: page.get_by_role("heading", name=re.compile(name)).first


PAGES = {
    None: [
        ("/", heading("Lernen unterwegs")),
        ("/play", heading("Einem Besuch beitreten")),
        ("/login", heading("Anmelden")),
        ("/organisations/{museum}", heading("Stadtmuseum")),
        ("/catalogue", heading("Lernangebote")),
    ],
    "educator": [
        ("/author", heading("Meine Parcours")),
        ("/author/trails/{trail}", heading("Zeche und Stadt")),
        ("/author/trails/{trail}/statistics", heading("Statistik")),
    ],
    "teacher": [
        ("/teach", heading("Meine Besuche")),
        ("/teach/visits/{visit}", heading("Live")),
        ("/teach/visits/{visit}/results", heading("Herunterladen")),
        ("/teach/visits/{visit}/beamer", heading("Beitrittscode")),
        ("/account", heading("Ihr Konto")),
        ("/partners/district/Kreis%20Recklinghausen/good-practice", heading("Gute Praxis")),
    ],
    "school_admin": [
        ("/partners", heading("Partnerschaften")),
        ("/partners/partnerships/{partnership}", heading("Gültige Fassung")),
        ("/partners/partnerships/{partnership}/report", heading("Dokumentation")),
    ],
    "network_office": [
        ("/partners/district/Kreis%20Recklinghausen", heading("Bildungsbüro")),
    ],
}


@pytest.mark.parametrize("role", list(PAGES), ids=lambda role: role or "anonymous")
def test_staff_and_public_pages(page, live_server, role):
    if role:
        user = live_server.user(role)
        log_in(page, user)
    ids = demo_ids(live_server)
    problems = [p for path, ready in PAGES[role] for p in audit(page, path.format(**ids), ready)]
    assert problems == [], "\n".join(problems)


def test_a_student_playing(page, live_server):
    from tests.browser.test_play import station_codes

    codes = station_codes(live_server)
    problems = audit(page, f"/j/{live_server.demo['join_code']}", heading("Einem Besuch beitreten"))
    page.get_by_label("Name eurer Gruppe").fill("Die Prüfer")
    page.get_by_role("button", name="Los geht's").click()
    expect(page.get_by_text("Bereit – funktioniert jetzt auch offline")).to_be_visible()
    problems += [f"overview: {p}" for p in accessibility_problems(page)]
    page.get_by_role("link", name=re.compile("Der Förderturm")).click()
    problems += [f"check-in: {p}" for p in accessibility_problems(page)]
    page.get_by_label("Code der Station").fill(codes["Der Förderturm"])
    page.get_by_role("button", name="Einchecken").click()
    expect(page.locator(".task-view").first).to_be_visible()
    problems += [f"station: {p}" for p in accessibility_problems(page)]
    assert problems == [], "\n".join(problems)


def test_the_catalogue_filters_for_anyone(page, live_server, watch):
    page.goto("/")
    page.get_by_role("link", name="Lernangebote entdecken").click()
    expect(page.get_by_role("heading", name="2 Lernangebote")).to_be_visible()
    page.get_by_label("Fach").select_option("Gesellschaftslehre")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"/catalogue\?subject=Gesellschaftslehre$"))
    expect(page.get_by_role("heading", name="1 Lernangebote")).to_be_visible()
    offer = page.locator("article.offer")
    expect(offer).to_have_count(1)
    expect(offer.get_by_role("heading")).to_contain_text("Zeche und Stadt")
    # What it teaches: its subjects and its stations', year groups and media competences.
    tags = offer.get_by_role("list", name="Fächer, Jahrgänge und Medienkompetenzen")
    for text in ("Geschichte", "Physik", "Jahrgang 7–9", "MKR 5.2"):
        expect(tags).to_contain_text(text)
    expect(tags.get_by_title(re.compile("5.2 Meinungsbildung"))).to_be_visible()
    assert accessibility_problems(page) == []

    # By a competence of the Medienkompetenzrahmen: 5.2 is a station's of one trail only.
    competence = page.get_by_label("Medienkompetenz", exact=True)
    expect(competence.locator("optgroup[label='5 Analysieren und Reflektieren']")).to_have_count(1)
    page.get_by_label("Fach").select_option("")
    competence.select_option(label="5.2 Meinungsbildung")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"/catalogue\?competence=5\.2$"))
    expect(page.get_by_role("heading", name="1 Lernangebote")).to_be_visible()
    expect(offer.get_by_role("heading")).to_contain_text("Zeche und Stadt")
    expect(competence).to_have_value("5.2")
    competence.select_option(label="4.1 Medienproduktion und Präsentation")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="2 Lernangebote")).to_be_visible()
    offer.first.get_by_role("link", name=re.compile("Stadtmuseum")).click()
    expect(page.get_by_role("heading", name=re.compile("Stadtmuseum"))).to_be_visible()
    assert accessibility_problems(page) == []
    assert watch.problems_besides_map_tiles() == []
