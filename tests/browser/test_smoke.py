"""A phone opens the app, an educator logs in and reaches the author area; offline, the shell
still renders from the service worker."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def browser_context_args(browser_context_args, phone):
    return {**browser_context_args, **phone, "locale": "de-DE"}


def test_educator_logs_in_on_a_phone_and_the_shell_works_offline(page, context, live_server, watch):
    educator = live_server.user("educator")
    page.goto("/")
    page.get_by_role("link", name="Anmelden").first.click()
    page.get_by_label("E-Mail").fill(educator["email"])
    page.get_by_label("Passwort", exact=True).fill(educator["password"])
    page.get_by_role("button", name="Anmelden").click()

    expect(page).to_have_url(re.compile(r"/author$"))
    expect(page.get_by_role("heading", name="Meine Parcours")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Emil Vermittler")
    assert watch.console_errors == []
    assert watch.foreign_requests == []

    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("banner")).to_contain_text("OpenParcours")
    expect(page.get_by_role("main")).to_be_visible()
    context.set_offline(False)


def test_wrong_password_shows_a_readable_message(page, live_server):
    page.goto("/login")
    page.get_by_label("E-Mail").fill(live_server.user("teacher")["email"])
    page.get_by_label("Passwort", exact=True).fill("falsches Passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("E-Mail oder Passwort ist falsch")
