"""A staff member who forgot the password asks for a link on the login page, opens it from the
mail (the .eml file the embedded setup writes), sets a new password and logs in with it; a new
e-mail address counts once the link mailed to it is opened."""

import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from openparcours.accounts.service import create_user
from openparcours.extensions import db
from openparcours.mail import delivery
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in

OLD, NEW = "das-alte-passwort", "ein-neues-passwort"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}


def deliver(live_server) -> None:
    """What the schedule does every minute: mail the links asked for, deliver the outbox."""
    with live_server.app.app_context():
        delivery.deliver_due()


def mailed_link(live_server, address: str) -> str:
    """The link in the newest .eml file to `address`."""
    files = sorted(
        Path(live_server.app.config["MAIL_DIR"]).glob("*.eml"), key=lambda f: f.stat().st_mtime
    )
    for file in reversed(files):
        message = message_from_bytes(file.read_bytes(), policy=policy.default)
        if message["To"].addresses[0].addr_spec == address:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"https?://\S+#\S+", text).group(0)
    raise AssertionError(f"no mail to {address}")


def make_staff(live_server, email: str) -> dict:
    with live_server.app.app_context():
        create_user(email, "Vera Vergesslich", OLD)
        db.session.commit()
    return {"email": email, "password": OLD}


def test_a_new_password_from_the_mailed_link(page, live_server, watch):
    staff = make_staff(live_server, "vergesslich@museum.example")
    page.goto("/login")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.get_by_role("heading", name="Passwort vergessen")).to_be_visible()
    page.get_by_label("E-Mail").fill(staff["email"])
    page.get_by_role("button", name="Link anfordern").click()
    expect(page.get_by_role("status")).to_contain_text("Wenn es zu dieser Adresse ein Konto gibt")
    assert accessibility_problems(page) == []

    deliver(live_server)
    link = mailed_link(live_server, staff["email"])
    assert link.startswith(f"{live_server.url}/password-reset#")
    page.goto(link)
    expect(page.get_by_role("heading", name="Neues Passwort festlegen")).to_be_visible()
    page.get_by_label("Neues Passwort", exact=True).fill(NEW)
    page.get_by_label("Neues Passwort wiederholen").fill(NEW)
    page.get_by_role("button", name="Passwort festlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr neues Passwort gilt")
    assert accessibility_problems(page) == []

    log_in(page, {"email": staff["email"], "password": NEW})
    page.goto(link)  # the link works once
    page.get_by_label("Neues Passwort", exact=True).fill("noch-ein-passwort")
    page.get_by_label("Neues Passwort wiederholen").fill("noch-ein-passwort")
    page.get_by_role("button", name="Passwort festlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("bereits verwendet")
    # The one console error: the browser's note of the refused request (410).
    assert all("Failed to load resource" in error for error in watch.console_errors)


def test_a_new_address_from_the_account_page(page, live_server, watch):
    staff = make_staff(live_server, "umzug@museum.example")
    log_in(page, staff)
    page.goto("/account")
    page.get_by_label("Neue E-Mail-Adresse").fill("neu-umzug@museum.example")
    page.get_by_label("Ihr Passwort").fill(OLD)
    page.get_by_role("button", name="Bestätigungslink senden").click()
    expect(page.get_by_text("Ein Link ist an neu-umzug@museum.example unterwegs.")).to_be_visible()
    assert accessibility_problems(page) == []

    deliver(live_server)
    page.goto(mailed_link(live_server, "neu-umzug@museum.example"))
    expect(page.get_by_role("status")).to_have_text(
        "Ihre E-Mail-Adresse ist jetzt neu-umzug@museum.example."
    )
    page.get_by_role("link", name="Konto").last.click()
    expect(page.get_by_text("Ihre Adresse: neu-umzug@museum.example")).to_be_visible()
    assert watch.console_errors == []
