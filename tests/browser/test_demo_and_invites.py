"""A demo server says so on every page, the student's and the staff's; an invitation mailed
to an address keeps its token out of every request path and makes an account for it."""

import pytest
from playwright.sync_api import expect

from openparcours.accounts.service import find_user_by_email
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, Role
from openparcours.organisations.service import create_invite
from tests.browser.journeys import log_in
from tests.helpers import mailed_tokens

BANNER = "Demo – Testdaten, keine echten Schulen"


@pytest.fixture
def browser_context_args(browser_context_args, phone):
    return {**browser_context_args, **phone, "locale": "de-DE"}


def test_every_page_of_the_demo_says_it_is_a_demo(page, live_server, watch):
    page.goto(f"/j/{live_server.demo['join_code']}")
    expect(page.get_by_role("complementary", name="Demo")).to_have_text(BANNER)
    teacher = live_server.user("teacher")
    log_in(page, teacher)
    page.goto("/teach")
    expect(page.get_by_role("heading", name="Meine Besuche")).to_be_visible()
    expect(page.get_by_role("complementary", name="Demo")).to_have_text(BANNER)
    assert watch.console_errors == []


def test_an_invitation_link_makes_the_account_it_names(page, live_server, watch):
    with live_server.app.app_context():
        museum_id = live_server.demo["organisations"][0]["id"]
        museum = db.session.get(Organisation, museum_id)
        admin = find_user_by_email(live_server.user("museum_admin")["email"])
        create_invite(admin, museum, Role.educator, "neu@museum.example")
        (token,) = mailed_tokens("neu@museum.example", "/invite")
    paths = []
    page.on("request", lambda request: paths.append(request.url))
    page.goto(f"/invite#{token}")
    expect(page.get_by_role("heading", name="Einladung")).to_be_visible()
    email = page.get_by_label("E-Mail")
    expect(email).to_have_value("neu@museum.example")
    expect(email).not_to_be_editable()
    page.get_by_label("Name").fill("Nina Neu")
    page.get_by_label("Passwort").fill("ein sicheres Passwort")
    page.get_by_role("button", name="Konto anlegen und beitreten").click()
    expect(page.get_by_role("status")).to_contain_text("Willkommen")
    expect(page.get_by_role("banner")).to_contain_text("Nina Neu")
    assert paths
    assert not [url for url in paths if token in url]
    with live_server.app.app_context():
        assert find_user_by_email("neu@museum.example").memberships[0].organisation_id == museum_id
    assert watch.console_errors == []
