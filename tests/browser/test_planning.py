"""Planning with a partner: the school admin plans the school year with the museum (an item,
its status, the reflection that sets the next review, the plan as PDF); an amendment's rows
fill the school's Lernweg, where the class's visit shows as done."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion, Partnership
from openparcours.planning.models import PlanItem, YearReflection
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in

DEMO_SCHOOL = "gesamtschule-am-stadtgarten"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture
def demo_plan_restored(live_server):
    """The demo's agreement keeps its review date, and its plan is empty again afterwards (the
    live server is shared)."""
    with live_server.app.app_context():
        version = db.session.scalar(select(AgreementVersion).where(AgreementVersion.number == 1))
        review_on = version.review_on
    yield
    with live_server.app.app_context():
        db.session.execute(delete(PlanItem))
        db.session.execute(delete(YearReflection))
        version = db.session.scalar(select(AgreementVersion).where(AgreementVersion.number == 1))
        version.review_on = review_on
        db.session.commit()


def test_the_school_plans_its_year_with_the_museum(page, live_server, demo_plan_restored, watch):
    log_in(page, live_server.user("school_admin"))
    page.goto("/partners")
    page.get_by_role(
        "link", name=re.compile("Gesamtschule am Stadtgarten .* – Stadtmuseum")
    ).click()
    plan = page.get_by_role("region", name="Jahresplanung")
    expect(plan.get_by_text("Für dieses Schuljahr ist noch nichts geplant.")).to_be_visible()

    plan.get_by_label("Was", exact=True).fill("Museumsbesuch der 7b mit Parcours")
    plan.get_by_label("Wann").select_option(label="März")
    plan.get_by_label("Lernangebot").select_option(index=1)
    plan.get_by_label("Jahrgang", exact=True).fill("7")
    plan.get_by_label("Klasse (z. B. 7b)").fill("7b")
    plan.get_by_label("Verantwortlich an der Schule").fill("Frau Yılmaz")
    plan.get_by_label("Verantwortlich in der Einrichtung").fill("Emil Vermittler")
    plan.get_by_role("button", name="Vorhaben hinzufügen").click()
    row = plan.get_by_role("row", name=re.compile("Museumsbesuch der 7b"))
    expect(row).to_contain_text("März")
    expect(row).to_contain_text("Jahrgang 7, 7b")
    expect(row).to_contain_text("Frau Yılmaz · Emil Vermittler")

    plan.get_by_label("Stand von „Museumsbesuch der 7b mit Parcours“").select_option(
        label="vereinbart"
    )
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_contain_text(
        "Stand von „Museumsbesuch der 7b mit Parcours“ gespeichert."
    )

    with live_server.app.app_context():
        next_review = local_today() + timedelta(days=300)
    plan.get_by_label("Was gut lief").fill("Die Klassen haben begeistert geforscht.")
    plan.get_by_label("Was sich ändert").fill("Mehr Zeit an Station 3.")
    plan.get_by_label("Nächster Überprüfungstermin").fill(next_review.isoformat())
    plan.get_by_role("button", name="Rückblick speichern").click()
    expect(page.get_by_role("status").filter(has_text="Rückblick gespeichert.")).to_be_visible()
    # The agreement in force takes the review date.
    expect(page.get_by_text(f"Überprüfung: {next_review.strftime('%d.%m.%Y')}")).to_be_visible()
    assert accessibility_problems(page) == []

    with page.expect_download() as download:
        plan.get_by_role("link", name=re.compile("Jahresplanung als PDF")).click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert watch.problems_besides_map_tiles() == []


@pytest.fixture
def demo_agreement_restored(live_server):
    """The amendment the journey signs goes again afterwards, and the demo's first version is
    in force as before (the live server is shared)."""
    yield
    with live_server.app.app_context():
        first = db.session.scalar(
            select(AgreementVersion)
            .join(AgreementVersion.partnership)
            .where(AgreementVersion.number == 1, Partnership.school.has(slug=DEMO_SCHOOL))
        )
        db.session.execute(
            delete(AgreementVersion).where(
                AgreementVersion.partnership_id == first.partnership_id,
                AgreementVersion.number > 1,
            )
        )
        first.superseded_at = None
        db.session.commit()


def sign_for(page, side: str, role: str) -> None:
    signing = page.get_by_role("form", name=re.compile(f"Unterschreiben für {side}"))
    signing.get_by_label("Ihre Funktion").fill(role)
    signing.get_by_role("button", name="Verbindlich unterschreiben").click()
    expect(page.get_by_role("status").filter(has_text="Unterschrieben.")).to_be_visible()


def test_an_agreements_rows_fill_the_schools_lernweg_and_its_visit_appears(
    page, browser, live_server, demo_agreement_restored, watch
):
    log_in(page, live_server.user("museum_admin"))
    page.goto("/partners")
    page.get_by_role(
        "link", name=re.compile("Gesamtschule am Stadtgarten .* – Stadtmuseum")
    ).click()
    page.get_by_role("button", name="Änderung entwerfen").click()
    rows = page.get_by_role("group", name="Verankerung im schulinternen Curriculum (Zeilen)")
    rows.get_by_role("button", name="Zeile hinzufügen").click()
    row = rows.get_by_role("group", name="Zeile 1")
    row.get_by_label("Jahrgang").select_option("8")
    row.get_by_label("Fach").select_option("Geschichte")
    row.get_by_label("Unterrichtsvorhaben").fill("Industrialisierung im Ruhrgebiet")
    row.get_by_label("Lernangebot").select_option(index=1)
    row.get_by_label("Halbjahr").select_option(label="2. Halbjahr")
    row.get_by_label("Medienkompetenzrahmen NRW").select_option(["2.1", "4.1"])
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status").filter(has_text="Entwurf gespeichert.")).to_be_visible()
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="Zur Unterschrift vorlegen").click()
    anchoring = page.get_by_role("table", name="Verankerung im schulinternen Curriculum (Zeilen)")
    expect(anchoring).to_contain_text("Industrialisierung im Ruhrgebiet")
    expect(anchoring).to_contain_text("2.1, 4.1")
    sign_for(page, "Stadtmuseum", "Museumsleitung")

    school_context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    school = school_context.new_page()
    log_in(school, live_server.user("school_admin"))
    school.goto(page.url)
    sign_for(school, "Gesamtschule", "Schulleitung")
    expect(school.get_by_role("heading", name=re.compile("Fassung 2 · in Kraft"))).to_be_visible()

    school.goto("/partners")
    school.get_by_role("link", name=re.compile("Lernweg: Gesamtschule am Stadtgarten")).click()
    grid = school.get_by_role("table", name=re.compile("Lernweg im Schuljahr"))
    year_eight = grid.get_by_role("row", name=re.compile("Jahrgang 8"))
    expect(year_eight).to_contain_text("Industrialisierung im Ruhrgebiet")
    # The demo's open visit of class 8a, with the trail this row plans: done, in its cell.
    expect(year_eight).to_contain_text("8a (Demo)")
    expect(school.get_by_text(re.compile(r"Jahrgang 8: 2\.1, 4\.1"))).to_be_visible()
    assert accessibility_problems(school) == []
    with school.expect_download() as download:
        school.get_by_role("link", name=re.compile("Als Tabelle")).click()
    assert download.value.path().read_bytes().startswith(b"PK")
    school_context.close()
    assert watch.problems_besides_map_tiles() == []
