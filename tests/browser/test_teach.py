"""A teacher opens a visit for the class in under a minute and shows the code on the projector."""

import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE"}


def test_teacher_opens_a_visit_and_shows_the_code(page, live_server, tmp_path):
    teacher = live_server.user("teacher")
    log_in(page, teacher)
    expect(page.get_by_role("heading", name="Meine Besuche")).to_be_visible()

    trail = page.get_by_label("Parcours").locator("option", has_text="Zeche und Stadt")
    page.get_by_label("Parcours").select_option(trail.get_attribute("value"))
    page.get_by_label("Klasse oder Gruppe").fill("7c")
    page.get_by_role("button", name="Besuch anlegen").last.click()
    expect(page).to_have_url(re.compile(r"/teach/visits/\d+$"))
    code = page.locator(".big-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    expect(page.get_by_text("Noch keine Gruppe beigetreten.")).to_be_visible()

    # A team joins and checks in; the live board shows it at its next poll.
    from openparcours.extensions import db
    from openparcours.visits.models import Visit

    with live_server.app.app_context():
        from sqlalchemy import select

        station = db.session.scalar(select(Visit).where(Visit.join_code == code)).version.content[
            "stations"
        ][0]
    phone = page.context.browser.new_context(locale="de-DE", base_url=live_server.url)
    student = phone.new_page()
    student.goto(f"/j/{code}")
    student.get_by_label("Name eurer Gruppe").fill("Die Entdecker")
    student.get_by_role("button", name="Los geht's").click()
    student.get_by_role("link", name=re.compile(station["title"])).click()
    student.get_by_label("Code der Station").fill(station["code"])
    student.get_by_role("button", name="Einchecken").click()
    expect(student.locator(".task-view").first).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Die Entdecker"))
    expect(row).to_contain_text("eingecheckt", timeout=10_000)
    phone.close()

    page.get_by_role("link", name="Beamer-Ansicht").click()
    expect(page.get_by_role("heading", name=re.compile("Beitrittscode"))).to_have_text(code)
    expect(page.get_by_role("banner")).to_be_hidden()
    qr = page.get_by_role("img", name="QR-Code zum Beitreten")
    expect(qr).to_be_visible()
    qr.screenshot(path=str(tmp_path / "qr.png"))
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))]
    assert decoded == [f"{live_server.url}/j/{code}"]

    page.go_back()
    page.get_by_role("button", name="Schließen").click()
    expect(page.get_by_text("geschlossen")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Daten dieses Besuchs jetzt löschen").click()
    expect(page.get_by_role("status")).to_contain_text("Gruppen: 1, Schüler:innen: 3")
