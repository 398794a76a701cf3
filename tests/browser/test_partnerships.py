"""The museum admin drafts an agreement with a new partner school and proposes it; the school
admin signs, the museum admin signs; it is in force, and its print view shows both signatures
and the learning offers. A school's admin keeps the partners-only offers of a draft."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from openparcours.accounts.service import create_user
from openparcours.config import PROJECT_ROOT
from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind, Role, SchoolForm
from openparcours.organisations.service import add_member
from openparcours.trails.format import importing
from openparcours.trails.models import TrailVersion, Visibility
from openparcours.trails.publishing import snapshot
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in

SCHOOL_ADMIN = {"email": "leitung@realschule-nord.example", "password": "schulleitung-nord-2026"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def add_school_with_admin(name: str, admin: dict, admin_name: str, **fields) -> Organisation:
    """A school (in the live server's app context) whose admin logs in with `admin`."""
    school = Organisation(name=name, kind=OrganisationKind.school, **fields)
    db.session.add(school)
    db.session.flush()
    add_member(school, create_user(admin["email"], admin_name, admin["password"]), [Role.admin])
    return school


@pytest.fixture
def new_school(live_server):
    with live_server.app.app_context():
        add_school_with_admin(
            "Realschule Nord",
            SCHOOL_ADMIN,
            "Petra Schulleitung",
            slug="realschule-nord",
            district="Kreis Recklinghausen",
            school_form=SchoolForm.realschule,
        )
        db.session.commit()


def test_an_agreement_is_drafted_signed_by_both_and_printed(
    page, browser, live_server, new_school, watch
):
    museum_admin = live_server.user("museum_admin")
    log_in(page, museum_admin)
    page.goto("/partners")
    page.get_by_label("mit", exact=True).select_option(label="Realschule Nord")
    page.get_by_role("button", name="Vereinbarung entwerfen").click()
    expect(page).to_have_url(re.compile(r"/partners/partnerships/\d+$"))
    expect(page.get_by_role("heading", name=re.compile("In Arbeit: Fassung 1"))).to_be_visible()

    page.get_by_label("Ziele der Zusammenarbeit").fill(
        "Die Klassen lernen das Museum als Lernort kennen."
    )
    page.get_by_label("Aktivitäten", exact=True).fill("Jede 7. Klasse spielt den Museumsparcours.")
    page.get_by_label(re.compile("Zeche und Stadt")).check()
    page.get_by_label("Fächer (durch Komma getrennt)").fill("Geschichte, Erdkunde")
    page.get_by_label("Jahrgänge (z. B. 7, 8)").fill("7")
    with live_server.app.app_context():
        year = local_today().year  # the school's calendar, as the server reads it
    page.get_by_label("Beginn").fill(f"{year - 1}-08-01")
    page.get_by_label("Ende (leer: unbefristet)").fill(f"{year + 2}-07-31")
    page.get_by_label("Nächste gemeinsame Überprüfung").fill(f"{year + 1}-06-30")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status").filter(has_text="Entwurf gespeichert.")).to_be_visible()
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="Zur Unterschrift vorlegen").click()
    expect(page.get_by_role("heading", name=re.compile("zur Unterschrift"))).to_be_visible()
    partnership_url = page.url

    school_context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    school = school_context.new_page()
    log_in(school, SCHOOL_ADMIN)
    school.goto("/partners")
    school.get_by_role("link", name=re.compile("Realschule Nord – Stadtmuseum")).click()
    signing = school.get_by_role("form", name="Unterschreiben für Realschule Nord")
    expect(signing.get_by_label("Ihr Name")).to_have_value("Petra Schulleitung")
    signing.get_by_label("Ihre Funktion").fill("Schulleiterin")
    signing.get_by_role("button", name="Verbindlich unterschreiben").click()
    expect(school.get_by_role("status").filter(has_text="Unterschrieben.")).to_be_visible()
    expect(school.get_by_text(re.compile("Unterzeichnet von Petra Schulleitung"))).to_be_visible()
    school_context.close()

    page.goto(partnership_url)
    museum_side = page.get_by_role("form", name=re.compile("Unterschreiben für Stadtmuseum"))
    museum_side.get_by_label("Ihre Funktion").fill("Museumsleitung")
    museum_side.get_by_role("button", name="Verbindlich unterschreiben").click()
    expect(
        page.get_by_role("heading", name=re.compile("Gültige Fassung: Fassung 1 · in Kraft"))
    ).to_be_visible()

    page.get_by_role("link", name="Druckansicht").first.click()
    document = page.locator(".document")
    expect(document).to_contain_text("Unterzeichnet von Petra Schulleitung (Schulleiterin)")
    expect(document).to_contain_text("Unterzeichnet von Miriam Museumsleitung (Museumsleitung)")
    expect(document).to_contain_text("Zeche und Stadt")
    expect(document).to_contain_text("Geschichte, Erdkunde")
    assert accessibility_problems(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # The museum's public profile, as the admin writes it and anyone reads it.
    page.goto("/partners")
    page.get_by_text("Öffentliches Profil").first.click()
    profile = page.get_by_role("form", name="Öffentliches Profil")
    profile.get_by_label("Beschreibung").fill("Zeche, Stadt und Menschen – zum Entdecken.")
    expect(profile.get_by_label("Kreis oder kreisfreie Stadt")).not_to_be_editable()  # site admins'
    profile.get_by_role("button", name="Profil speichern").click()
    expect(profile.get_by_role("status")).to_have_text("Profil gespeichert.")
    profile.get_by_role("link", name="Profil ansehen").click()
    expect(page.get_by_text("Zeche, Stadt und Menschen – zum Entdecken.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Zeche und Stadt"))).to_be_visible()
    assert watch.problems_besides_map_tiles() == []


@pytest.fixture
def partners_only_offer(live_server):
    """A second school, and a published trail of the museum for partner schools only."""
    with live_server.app.app_context():
        add_school_with_admin(
            "Gymnasium Süd",
            SOUTH_ADMIN,
            "Jonas Süd",
            slug="gymnasium-sued",
            school_form=SchoolForm.gymnasium,
        )
        museum = db.session.scalar(
            select(Organisation).where(Organisation.slug == "stadtmuseum-beispielstadt")
        )
        trail = importing.import_trail(
            PROJECT_ROOT / "trails" / "stadtmuseum-zeche-und-stadt",
            museum,
            None,
            title="Unter Tage – nur für Partner",
        )
        trail.visibility = Visibility.partners
        db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
        db.session.commit()


SOUTH_ADMIN = {"email": "leitung@gymnasium-sued.example", "password": "schulleitung-sued-2026"}


def test_a_schools_admin_keeps_the_partners_only_offers_of_a_draft(
    page, browser, live_server, partners_only_offer, watch
):
    museum_admin = live_server.user("museum_admin")
    log_in(page, museum_admin)
    page.goto("/partners")
    page.get_by_label("mit", exact=True).select_option(label="Gymnasium Süd")
    page.get_by_role("button", name="Vereinbarung entwerfen").click()
    expect(page).to_have_url(re.compile(r"/partners/partnerships/\d+$"))
    page.get_by_label("Unter Tage – nur für Partner").check()
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status").filter(has_text="Entwurf gespeichert.")).to_be_visible()
    partnership_url = page.url

    school_context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    school = school_context.new_page()
    log_in(school, SOUTH_ADMIN)
    school.goto(partnership_url)
    offered = school.get_by_label("Unter Tage – nur für Partner")
    expect(offered).to_be_checked()
    school.get_by_label("Ziele der Zusammenarbeit").fill("Geschichte vor Ort erleben.")
    school.get_by_role("button", name="Entwurf speichern").click()
    expect(school.get_by_role("status").filter(has_text="Entwurf gespeichert.")).to_be_visible()
    school.reload()
    expect(school.get_by_label("Unter Tage – nur für Partner")).to_be_checked()
    school_context.close()
    assert watch.problems_besides_map_tiles() == []
