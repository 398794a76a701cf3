"""Planning with a partner: the school admin plans the school year with the museum (an item,
its status, the reflection that sets the next review, the plan as PDF)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion
from openparcours.planning.models import PlanItem, YearReflection
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


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
    plan.get_by_label("Nächste gemeinsame Überprüfung").fill(next_review.isoformat())
    plan.get_by_role("button", name="Rückblick speichern").click()
    expect(page.get_by_role("status").filter(has_text="Rückblick gespeichert.")).to_be_visible()
    # The agreement in force takes the review date.
    expect(page.get_by_text(f"Überprüfung: {next_review.strftime('%d.%m.%Y')}")).to_be_visible()
    assert accessibility_problems(page) == []

    with page.expect_download() as download:
        plan.get_by_role("link", name=re.compile("Jahresplanung als PDF")).click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert watch.problems_besides_map_tiles() == []
