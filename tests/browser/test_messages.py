"""The teacher writes to the phones from the live board: a phone that is offline shows the
message as soon as it is back, once; the board sees it read."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import join_team, log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE"}


def test_a_message_reaches_an_offline_phone_when_it_is_back(page, live_server, phone):
    log_in(page, live_server.user("teacher"))
    page.goto(f"/teach/visits/{live_server.demo['visit']['id']}")

    device = page.context.browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    student = device.new_page()
    join_team(student, live_server.demo["join_code"], "Die Boten")
    student.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    other = device.browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    other_phone = other.new_page()
    join_team(other_phone, live_server.demo["join_code"], "Die Späher")
    device.set_offline(True)

    row = page.get_by_role("row", name=re.compile("Die Boten"))
    expect(row).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="In 10 Minuten treffen wir uns am Eingang!").click()
    expect(page.get_by_label("Nachricht (kurz)")).to_have_value(
        "In 10 Minuten treffen wir uns am Eingang!"
    )
    page.get_by_role("button", name="Senden").click()
    sent = page.locator(".sent-messages li").first
    expect(sent).to_contain_text("Alle Gruppen: In 10 Minuten treffen wir uns am Eingang!")
    expect(sent).to_contain_text(re.compile("Noch nicht gelesen: .*Die Boten"))
    expect(row).to_contain_text("nicht gelesen")
    # One team alone: the other phone never sees it.
    page.get_by_label("Nachricht (kurz)").fill("Späher, bitte zu Station 2.")
    page.get_by_label("An", exact=True).select_option(label="Die Späher")
    page.get_by_role("button", name="Senden").click()
    expect(page.locator(".sent-messages li").first).to_contain_text("Die Späher: Späher, bitte")
    assert accessibility_problems(page) == []

    # Offline, nothing arrives; back online, the phone shows it at once, with a way to confirm.
    student.wait_for_timeout(1000)
    expect(student.get_by_role("alertdialog")).to_have_count(0)
    device.set_offline(False)
    dialog = student.get_by_role("alertdialog", name="Nachricht von eurer Lehrkraft")
    expect(dialog).to_contain_text("In 10 Minuten treffen wir uns am Eingang!", timeout=15_000)
    expect(dialog).to_contain_text("an alle Gruppen")
    expect(dialog).not_to_contain_text("Späher, bitte")
    expect(dialog.get_by_role("button", name="Verstanden")).to_be_focused()
    assert accessibility_problems(student) == []
    dialog.get_by_role("button", name="Verstanden").click()
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("gelesen", timeout=10_000)
    expect(row).not_to_contain_text("nicht gelesen")

    # Never shown twice: a reload keeps it in the list only.
    student.reload()
    expect(student.get_by_text("Bereit – funktioniert jetzt auch offline")).to_be_visible()
    expect(student.get_by_role("alertdialog")).to_have_count(0)
    student.get_by_text("Nachrichten der Lehrkraft (1)").click()
    expect(student.locator(".message-list")).to_contain_text("In 10 Minuten")

    # A phone asks at least every half minute; opening the game asks at once.
    other_phone.reload()
    other_dialog = other_phone.get_by_role("alertdialog")
    expect(other_dialog).to_contain_text("Späher, bitte zu Station 2.", timeout=15_000)
    expect(other_dialog).to_contain_text("nur an eure Gruppe")
    device.close()
    other.close()
