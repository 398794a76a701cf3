"""Good practice made visible: the school's admin and the museum's admin both share their
learning offers and the school year's reflection as an example; a teacher of another school of
the district finds it among the district's examples, and the network office sees it counted."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from openparcours.accounts.models import User
from openparcours.accounts.service import create_user
from openparcours.demo import DISTRICT
from openparcours.extensions import db
from openparcours.organisations.models import Membership, Organisation, OrganisationKind, Role
from openparcours.partnerships.models import AgreementVersion, Partnership
from openparcours.partnerships.reports import current_school_year
from openparcours.planning.models import YearReflection
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in
from tests.factories import PASSWORD

TEACHER = "lehrerin@realschule-am-hafen.example"
SIZE = {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **SIZE}


@pytest.fixture
def another_school(live_server):
    """A teacher of another school of the demo's district; the demo agreement gets an anchoring
    row and the school year a reflection. All of it goes afterwards (the live server is
    shared)."""
    with live_server.app.app_context():
        school = Organisation(
            name="Realschule am Hafen",
            slug="realschule-am-hafen",
            kind=OrganisationKind.school,
            municipality="Recklinghausen",
            district=DISTRICT,
        )
        db.session.add(school)
        teacher = create_user(TEACHER, "Lea Lehrerin", PASSWORD)
        db.session.add(Membership(organisation=school, user=teacher, role=Role.teacher))
        version = db.session.scalar(select(AgreementVersion).where(AgreementVersion.number == 1))
        content = version.content
        trail_id = version.offers[0]["id"]
        version.content = content | {
            "anchoring": [
                {
                    "year_group": 8,
                    "subject": "Geschichte",
                    "teaching_unit": "Industrialisierung im Ruhrgebiet",
                    "trail_id": trail_id,
                    "offer": "",
                    "media_competences": ["2.1"],
                    "term": 2,
                }
            ]
        }
        db.session.add(
            YearReflection(
                partnership_id=version.partnership_id,
                school_year=current_school_year(),
                went_well="Die Klassen haben begeistert geforscht.",
                changes="Mehr Zeit an Station 3.",
            )
        )
        db.session.commit()
        offer = version.offers[0]["title"]
    yield {"email": TEACHER, "password": PASSWORD, "offer": offer}
    with live_server.app.app_context():
        version = db.session.scalar(select(AgreementVersion).where(AgreementVersion.number == 1))
        version.content = content
        db.session.execute(delete(YearReflection))
        for partnership in db.session.scalars(select(Partnership)):
            partnership.withdraw_consents()
        db.session.execute(delete(User).where(User.email == TEACHER))
        db.session.execute(delete(Organisation).where(Organisation.slug == "realschule-am-hafen"))
        db.session.commit()


def open_partnership(page) -> None:
    page.goto("/partners")
    page.get_by_role(
        "link", name=re.compile("Gesamtschule am Stadtgarten .* – Stadtmuseum")
    ).click()


def share_both(page, status: str) -> None:
    sharing = page.get_by_role("region", name="Als gutes Beispiel teilen")
    for item in ("Lernangebote und Verankerung im Curriculum", re.compile("^Reflexion")):
        part = sharing.get_by_role("region", name=item)
        part.get_by_role("button", name=re.compile("^Als gutes Beispiel teilen")).click()
        expect(
            part.get_by_role("button", name=re.compile("^Zustimmung zurücknehmen"))
        ).to_be_visible()
        expect(part).to_contain_text(status)


def test_both_sides_share_and_another_school_of_the_district_sees_the_example(
    page, browser, live_server, another_school, watch
):
    log_in(page, live_server.user("school_admin"))
    open_partnership(page)
    share_both(page, "Wird gezeigt, sobald beide Seiten zustimmen.")
    offers = page.get_by_role("region", name="Lernangebote und Verankerung im Curriculum")
    expect(offers).to_contain_text("Schule: zugestimmt")
    expect(offers).to_contain_text("Museum: noch nicht")
    expect(page.get_by_role("status").filter(has_text="Zugestimmt")).to_be_visible()
    assert accessibility_problems(page) == []

    museum_context = browser.new_context(base_url=live_server.url, **SIZE)
    museum = museum_context.new_page()
    log_in(museum, live_server.user("museum_admin"))
    open_partnership(museum)
    share_both(museum, "Wird als Beispiel gezeigt.")
    expect(
        museum.get_by_role("region", name="Lernangebote und Verankerung im Curriculum")
    ).to_contain_text(re.compile(r"Schule: zugestimmt .* · Museum: zugestimmt"))
    museum_context.close()

    teacher_context = browser.new_context(base_url=live_server.url, **SIZE)
    teacher = teacher_context.new_page()
    log_in(teacher, another_school)
    teacher.goto("/partners")
    teacher.get_by_role("link", name=f"Beispiele guter Praxis: {DISTRICT}").click()
    expect(teacher.get_by_role("heading", name=f"Gute Praxis: {DISTRICT}", level=1)).to_be_visible()
    example = teacher.get_by_role("article", name=re.compile("Gesamtschule am Stadtgarten .* mit"))
    expect(example.get_by_role("heading", name="Lernangebote")).to_be_visible()
    expect(example).to_contain_text(another_school["offer"])
    anchoring = example.get_by_role("table", name=re.compile("^Verankerung"))
    expect(anchoring).to_contain_text("Industrialisierung im Ruhrgebiet")
    expect(anchoring).to_contain_text(another_school["offer"])
    expect(example).to_contain_text("Die Klassen haben begeistert geforscht.")
    # The agreement's contacts stay with the partners.
    expect(example).not_to_contain_text("teacher@demo.openparcours.de")
    assert accessibility_problems(teacher) == []
    teacher_context.close()

    # The school withdraws: the example goes at once.
    page.get_by_role("region", name="Lernangebote und Verankerung im Curriculum").get_by_role(
        "button", name=re.compile("^Zustimmung zurücknehmen")
    ).click()
    expect(page.get_by_role("status").filter(has_text="Zustimmung zurückgenommen")).to_be_visible()

    office = browser.new_context(base_url=live_server.url, **SIZE).new_page()
    log_in(office, live_server.user("network_office"))
    office.goto(f"/partners/district/{DISTRICT}")
    section = office.get_by_role("region", name="Gute Praxis")
    expect(section).to_contain_text("Geteilte Beispiele: 1")  # the reflection is still shared
    section.get_by_role("link", name=f"Beispiele guter Praxis: {DISTRICT}").click()
    example = office.get_by_role("article")
    expect(example).to_contain_text("Die Klassen haben begeistert geforscht.")
    expect(example.get_by_role("heading", name="Lernangebote")).to_have_count(0)
    office.context.close()
    assert watch.problems_besides_map_tiles() == []
