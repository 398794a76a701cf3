"""A teacher, a named contact of the demo partnership, and the museum's admin exchange messages
in the partnership's thread; the museum posts news, which the school's start page shows."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def open_partnership(page) -> None:
    page.goto("/partners")
    page.get_by_role("link", name=re.compile("Gesamtschule am Stadtgarten.*Stadtmuseum")).click()
    expect(page.get_by_role("heading", name="Nachrichten")).to_be_visible()


def test_a_teacher_and_a_museum_admin_exchange_messages(page, browser, live_server, watch):
    teacher = live_server.user("teacher")
    log_in(page, teacher)
    open_partnership(page)
    writing = page.get_by_role("form", name="Nachricht schreiben")
    writing.get_by_label("Ihre Nachricht").fill("Wir kommen am **Dienstag** mit der 8b.")
    writing.get_by_role("button", name="Senden").click()
    thread = page.get_by_role("list", name="Nachrichten")
    mine = thread.get_by_role("article").filter(has_text="Wir kommen am")
    expect(mine.locator("strong")).to_have_text("Dienstag")
    expect(mine).to_contain_text("Tarek Lehrer")
    # A typo fixed within the 15 minutes: the thread says it was edited.
    mine.get_by_role("button", name="Bearbeiten").click()
    mine.get_by_label("Nachricht bearbeiten").fill("Wir kommen am **Mittwoch** mit der 8b.")
    mine.get_by_role("button", name="Speichern").click()
    expect(mine.locator("strong")).to_have_text("Mittwoch")
    expect(mine).to_contain_text("bearbeitet")
    assert accessibility_problems(page) == []
    partnership_url = page.url

    museum_context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    museum = museum_context.new_page()
    log_in(museum, live_server.user("museum_admin"))
    museum.goto(partnership_url)
    theirs = museum.get_by_role("list", name="Nachrichten").get_by_role("article")
    expect(theirs.filter(has_text="Mittwoch")).to_contain_text("Gesamtschule am Stadtgarten")
    expect(
        theirs.filter(has_text="Mittwoch").get_by_role("button", name="Bearbeiten")
    ).to_have_count(0)
    reply = museum.get_by_role("form", name="Nachricht schreiben")
    reply.get_by_label("Ihre Nachricht").fill("Gern, wir reservieren den Raum.")
    reply.get_by_role("button", name="Senden").click()
    expect(theirs.filter(has_text="wir reservieren")).to_contain_text("Stadtmuseum")

    # News for the partner schools, from the museum.
    museum.goto("/")
    news_form = museum.get_by_role("form", name="Neuigkeit für Partnerschulen")
    news_form.get_by_label("Titel", exact=True).fill("Neue Ausstellung: Glück auf!")
    news_form.get_by_label("Text", exact=True).fill("Ab März zeigen wir Fotos aus der Zeche.")
    news_form.get_by_role("button", name="Veröffentlichen").click()
    expect(museum.get_by_role("status").filter(has_text="Veröffentlicht.")).to_be_visible()
    museum_context.close()

    page.reload()
    expect(page.get_by_role("list", name="Nachrichten")).to_contain_text("wir reservieren")
    page.goto("/")
    news = page.get_by_role("region", name="Neuigkeiten Ihrer Partner")
    expect(news.get_by_role("heading", name="Neue Ausstellung: Glück auf!")).to_be_visible()
    expect(news).to_contain_text("Stadtmuseum Beispielstadt")
    assert accessibility_problems(page) == []
    assert watch.problems_besides_map_tiles() == []
