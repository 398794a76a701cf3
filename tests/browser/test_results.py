"""After the visit: the teacher sees what two teams did (one played partly offline), grades a
photo, sees the score change, and downloads the results as XLSX and CSV."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import check_in, join_team, log_in
from tests.browser.test_play import station_codes


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE"}


def join(browser, phone, live_server, code: str, team: str):
    context = browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    student = context.new_page()
    join_team(student, code, team)
    return context, student


def test_teacher_grades_a_photo_and_exports_the_results(
    page, browser, phone, live_server, tmp_path, watch
):
    teacher = live_server.user("teacher")
    log_in(page, teacher)
    trail = page.get_by_label("Parcours").locator("option", has_text="Zeche und Stadt")
    page.get_by_label("Parcours").select_option(trail.get_attribute("value"))
    page.get_by_label("Klasse oder Gruppe").fill("8a")
    page.get_by_label("Rangliste am Ende").check()
    page.get_by_role("button", name="Besuch anlegen").last.click()
    expect(page).to_have_url(re.compile(r"/teach/visits/\d+$"))
    code = page.locator(".big-code").inner_text()
    codes = station_codes(live_server)

    # Die Füchse play online: multiple choice right, and a photo.
    foxes_context, foxes = join(browser, phone, live_server, code, "Die Füchse")
    check_in(foxes, "Wohnen in der Zechensiedlung", codes["Wohnen in der Zechensiedlung"])
    foxes.get_by_label("ein Garten für Gemüse").check()
    foxes.get_by_label("ein Stall für Ziege oder Schwein").check()
    foxes.locator(".task-view").first.get_by_role("button", name="Antworten").click()
    expect(foxes.get_by_text(re.compile(r"Richtig! \+10 Punkte"))).to_be_visible()
    photo = tmp_path / "siedlung.jpg"
    Image.new("RGB", (1200, 900), (40, 120, 60)).save(photo)
    photo_task = foxes.locator(".task-view").nth(1)
    photo_task.get_by_label("Foto aufnehmen").set_input_files(str(photo))
    photo_task.get_by_role("button", name="Antworten").click()
    expect(
        photo_task.get_by_text("Foto gespeichert – deine Lehrkraft bewertet es.")
    ).to_be_visible()
    expect(foxes.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)

    # Die Eulen play offline in the basement, and send everything when back upstairs.
    owls_context, owls = join(browser, phone, live_server, code, "Die Eulen")
    owls.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    owls_context.set_offline(True)
    check_in(owls, "Willkommen unter Tage", codes["Willkommen unter Tage"])
    owls.get_by_label("Ja").check()
    owls.get_by_role("button", name="Antworten").click()
    owls.get_by_role("link", name="Zur Übersicht").click()
    check_in(owls, "Die Grubenlampe", codes["Die Grubenlampe"])
    owls.get_by_label("Deine Antwort").fill("Grubengas")
    owls.get_by_role("button", name="Antworten").click()
    expect(owls.get_by_text("4 nicht gesendet")).to_be_visible()
    owls_context.set_offline(False)
    expect(owls.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)

    # The live board shows both teams' progress at its next poll.
    foxes_row = page.get_by_role("row", name=re.compile("Die Füchse"))
    expect(foxes_row).to_contain_text("prüfen", timeout=10_000)
    owls_row = page.get_by_role("row", name=re.compile("Die Eulen"))
    expect(owls_row).to_contain_text("erledigt", timeout=10_000)

    page.get_by_role("link", name="Ergebnisse und Bewertung").click()
    expect(page.get_by_role("heading", name="Rangliste")).to_be_visible()
    ranking = page.locator("table.ranking")
    expect(ranking.get_by_role("row", name=re.compile("Die Eulen"))).to_contain_text("15")
    expect(ranking.get_by_role("row", name=re.compile("Die Füchse"))).to_contain_text("10")
    expect(page.get_by_role("img", name=re.compile("Foto von Die Füchse"))).to_be_visible()
    page.get_by_label("Fotos von").select_option(label="Die Füchse")  # only those who sent one
    expect(page.get_by_role("heading", name=re.compile("Sucht in der Ausstellung"))).to_be_visible()

    grading = page.get_by_role("form", name="Die Füchse")
    grading.get_by_label("Annehmen").check()
    grading.get_by_label("Punkte (0–10)").fill("8")
    grading.get_by_label("Kommentar (optional)").fill("Gut getroffen!")
    grading.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Bewertung für Die Füchse gespeichert.")
    foxes_row = ranking.get_by_role("row", name=re.compile("Die Füchse"))
    expect(foxes_row.locator(".team-points")).to_have_text("18")
    expect(ranking.locator("tbody tr").first).to_contain_text("Die Füchse")  # now first
    expect(page.get_by_text("angenommen · 8/10")).to_be_visible()
    page.get_by_role("button", name="Verlauf").first.click()
    expect(page.get_by_role("heading", name=re.compile("Verlauf:"))).to_be_visible()
    assert accessibility_problems(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    teams = {row[1]: row for row in book["Teams"].iter_rows(min_row=2, values_only=True)}
    assert teams["Die Füchse"][:4] == (1, "Die Füchse", 3, 18)
    assert teams["Die Eulen"][:4] == (2, "Die Eulen", 3, 15)
    answers = list(book["Freitext-Antworten"].iter_rows(min_row=2, values_only=True))
    assert answers == [("3.1", "Grubengas", 1, "Die Eulen")]

    with page.expect_download() as download:
        page.get_by_role("link", name="Tabelle (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:4] == ["1", "Die Füchse", "3", "18"]
    assert rows[2][:4] == ["2", "Die Eulen", "3", "15"]

    # The phone learns its graded points at its next sync.
    foxes.reload()
    expect(foxes.get_by_text("18 Punkte")).to_be_visible(timeout=15_000)

    # The ranking at the end: on the phones once the teacher closes the visit, and on the
    # projector.
    foxes.goto("/play/finish")
    expect(foxes.get_by_text("sobald eure Lehrkraft den Besuch beendet")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^← 8a")).click()
    page.get_by_role("button", name="Schließen").click()
    page.get_by_role("link", name="Rangliste auf dem Beamer").click()
    projector = page.get_by_role("table")
    expect(projector.get_by_role("row").nth(1)).to_contain_text("1.Die Füchse18")
    expect(projector.get_by_role("row").nth(2)).to_contain_text("2.Die Eulen15")
    assert accessibility_problems(page) == []
    foxes.reload()
    own = foxes.get_by_role("row", name=re.compile("Die Füchse"))
    expect(own).to_contain_text("(ihr)")
    expect(own).to_have_attribute("aria-current", "true")
    assert accessibility_problems(foxes) == []
    foxes_context.close()
    owls_context.close()
    assert watch.console_errors == []
