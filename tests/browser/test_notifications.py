"""The museum admin finds in "Benachrichtigungen" that the school signed, marks it read, and
chooses on the account page how each kind reaches them; on the members page an invitation by
mail is sent and sent again."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def test_the_notifications_their_count_and_the_choices(page, live_server, watch):
    log_in(page, live_server.user("museum_admin"))
    nav = page.get_by_role("navigation", name="Bereiche")
    link = nav.get_by_role("link", name="Benachrichtigungen")
    # The school's signature at least; other journeys on this server may add theirs.
    expect(link).to_have_text(re.compile(r"^Benachrichtigungen \(\d+ neu\)$"))
    link.click()
    expect(page.get_by_role("heading", name="Benachrichtigungen")).to_be_visible()
    item = page.get_by_role("listitem").filter(has_text="hat die Kooperationsvereinbarung")
    expect(item).to_contain_text("es fehlt die Unterschrift Ihrer Seite")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="Alle als gelesen markieren").click()
    expect(link).to_have_text("Benachrichtigungen")
    expect(page.get_by_role("button", name="Als gelesen markieren")).to_have_count(0)

    page.goto("/account")
    expect(page.get_by_role("heading", name="Benachrichtigungen per Mail")).to_be_visible()
    choices = page.get_by_role("form", name="Benachrichtigungen per Mail")
    news_at_once = choices.get_by_label("Neuigkeiten für Partnerschulen: Sofort per Mail")
    news_digest = choices.get_by_label("Neuigkeiten für Partnerschulen: Tägliche Zusammenfassung")
    expect(news_digest).to_be_checked()
    news_at_once.check()
    choices.get_by_role("button", name="Speichern").click()
    expect(choices.get_by_role("status")).to_have_text("Gespeichert.")
    page.reload()
    expect(news_at_once).to_be_checked()
    assert accessibility_problems(page) == []
    assert watch.console_errors == []


def test_an_invitation_is_mailed_and_sent_again(page, live_server, watch):
    log_in(page, live_server.user("museum_admin"))
    page.goto("/partners")
    page.get_by_label(re.compile(r"^E-Mail \(optional")).fill("kollegin@museum.example")
    page.get_by_role("button", name="Einladen", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("an kollegin@museum.example gesendet")
    invite = page.get_by_role("listitem").filter(has_text="kollegin@museum.example")
    invite.get_by_role("button", name="Erneut senden").click()
    expect(page.get_by_role("status").first).to_contain_text("der alte Link gilt nicht mehr")
    assert accessibility_problems(page) == []
    assert watch.problems_besides_map_tiles() == []
