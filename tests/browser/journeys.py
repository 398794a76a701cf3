"""Steps that many browser journeys take: logging in, a team joining, checking in by code."""

import re

from playwright.sync_api import expect


def log_in(page, user: dict) -> None:
    """Logs in as `user` (with its "email" and "password"), and waits for the staff page."""
    page.goto("/login")
    page.get_by_label("E-Mail").fill(user["email"])
    page.get_by_label("Passwort", exact=True).fill(user["password"])
    page.get_by_role("button", name="Anmelden").click()
    expect(
        page.get_by_role("link", name="Abmelden").or_(page.get_by_role("button", name="Abmelden"))
    ).to_be_visible()


def join_team(page, code: str, name: str) -> None:
    """A team joins with the join link, and the phone has what it needs to play offline."""
    page.goto(f"/j/{code}")
    page.get_by_label("Name eurer Gruppe").fill(name)
    page.get_by_role("button", name="Los geht's").click()
    expect(page.get_by_text("Bereit – funktioniert jetzt auch offline")).to_be_visible()


def check_in(page, title: str, code: str) -> None:
    """Opens the station of this title from the overview and checks in with its code."""
    page.get_by_role("link", name=re.compile(title)).click()
    page.get_by_label("Code der Station").fill(code)
    page.get_by_role("button", name="Einchecken").click()
