"""An educator builds a trail in the browser: a GPS station placed on the map, a QR station,
tasks of two types, an image with alt text; publishes it; the QR posters scan."""

import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "de-DE",
        "accept_downloads": True,
    }


def decode_pdf(pdf: bytes) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())]
    return found


def test_educator_builds_publishes_and_prints_a_trail(page, live_server, tmp_path, watch):
    log_in(page, live_server.user("educator"))
    expect(page.get_by_role("heading", name="Meine Parcours")).to_be_visible()
    expect(
        page.get_by_role("link", name="Zeche und Stadt – Leben im Ruhrgebiet um 1900")
    ).to_be_visible()

    page.get_by_label("Titel").fill("Rund um den Förderturm")
    page.get_by_role("button", name="Parcours anlegen").click()
    expect(page).to_have_url(re.compile(r"/author/trails/\d+$"))
    expect(page.get_by_role("heading", name="Rund um den Förderturm", level=1)).to_be_visible()

    # Station 1: GPS, placed by a click into the map (which works without any tile).
    page.get_by_role("button", name="Station hinzufügen").click()
    form = page.locator(".station-form")
    # The new station's form, not the one before it, once the server has made the station.
    expect(form.locator("#station-heading")).to_have_text("Station 1: Station 1")
    form.get_by_label("Titel").fill("Am Förderturm")
    form.get_by_label("Einchecken").select_option("gps")
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    page.locator(".trail-map").click(position={"x": 300, "y": 180})
    expect(page.locator(".map-pin")).to_have_count(1)
    expect(form.get_by_label("Breitengrad")).not_to_have_value("")

    form.get_by_label("Aufgabentyp").last.select_option("single_choice")
    form.get_by_role("button", name="Aufgabe hinzufügen").click()
    task = form.locator(".task-editor").first
    task.get_by_label("Frage oder Arbeitsauftrag").fill("Wozu dienten die Seilscheiben?")
    task.get_by_label("Antwortmöglichkeiten 1", exact=True).fill("Sie führten das Förderseil.")
    task.get_by_label("Antwortmöglichkeiten 2", exact=True).fill("Sie zeigten die Uhrzeit.")
    task.get_by_role("button", name="Aufgabe speichern").click()
    expect(task.get_by_role("status")).to_have_text("Gespeichert.")

    # Station 2: QR, with a number task and an image with its alt text.
    page.get_by_role("button", name="Station hinzufügen").click()
    expect(form.locator("#station-heading")).to_have_text("Station 2: Station 2")
    form.get_by_label("Titel").fill("Lampenstube")
    form.get_by_label("Einchecken").select_option("qr")
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    form.get_by_label("Aufgabentyp").last.select_option("number")
    form.get_by_role("button", name="Aufgabe hinzufügen").click()
    task = form.locator(".task-editor").first
    task.get_by_label("Frage oder Arbeitsauftrag").fill("Wie viele Lampen hängen an der Wand?")
    task.get_by_label("Richtige Zahl").fill("24")
    task.get_by_role("button", name="Aufgabe speichern").click()
    expect(task.get_by_role("status")).to_have_text("Gespeichert.")

    image = tmp_path / "lampe.jpg"
    Image.new("RGB", (800, 600), (200, 160, 40)).save(image)
    form.get_by_label("Datei (Bild oder Ton)").set_input_files(str(image))
    form.get_by_label("Alternativtext", exact=False).fill("Eine Grubenlampe aus Messing")
    form.get_by_role("button", name="Hochladen").click()
    expect(form.locator(".media-list")).to_contain_text("Eine Grubenlampe aus Messing")

    # The preview plays the draft as a student would, with instant feedback.
    page.get_by_role("button", name="Vorschau als Schüler:in").click()
    preview = page.get_by_role("dialog", name="Vorschau als Schüler:in")
    preview.get_by_label("Deine Antwort").fill("24")
    preview.get_by_role("button", name="Antworten").click()
    expect(preview.get_by_role("status")).to_have_text("Richtig! +10 Punkte")
    preview.get_by_role("button", name="Vorherige Station").click()
    preview.get_by_label("Sie zeigten die Uhrzeit.").check()
    preview.get_by_role("button", name="Antworten").click()
    expect(preview.get_by_role("status")).to_have_text(
        "Noch nicht ganz – probiert es noch einmal! Noch 1 Versuch."
    )
    preview.get_by_label("Sie führten das Förderseil.").check()
    preview.get_by_role("button", name="Antworten").click()
    expect(preview.get_by_role("status")).to_have_text("Richtig! +5 Punkte")
    preview.get_by_role("button", name="Schließen").click()
    expect(preview).to_be_hidden()

    page.get_by_role("button", name="Prüfen").click()
    expect(page.get_by_role("status").filter(has_text="Bereit zum Veröffentlichen")).to_have_text(
        "Bereit zum Veröffentlichen: Nichts verhindert Version 1."
    )
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text="Version 1 ist veröffentlicht.")
    ).to_be_visible()
    assert asked
    assert asked[0].startswith("Version 1 veröffentlichen?")
    expect(page.locator(".hint").first).to_contain_text("veröffentlicht v1")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("QR-Plakate")).click()
    pdf = download.value.path().read_bytes()
    codes = decode_pdf(pdf)
    assert len(codes) == 1
    assert re.fullmatch(rf"{live_server.url}/q/[A-Z2-9]{{8}}", codes[0])
    code = codes[0].rsplit("/", 1)[1]
    expect(page.locator(".station-form .code")).to_have_text(code)

    assert watch.problems_besides_map_tiles() == []


def test_the_check_words_problems_and_leads_to_their_fields(page, live_server, tmp_path, watch):
    log_in(page, live_server.user("educator"))
    # The list of trails comes in above the forms and moves them down: wait for it first.
    expect(page.get_by_role("table")).to_be_visible()
    # geojson.io writes points without names: they import as "Station 1", "Station 2".
    page.get_by_label("Datei (.zip oder .geojson)").set_input_files(
        str(Path(__file__).parent.parent / "gis" / "geojson-io.geojson")
    )
    page.get_by_role("button", name="Importieren").click()
    notes = page.get_by_role("status").filter(has_text="wurde importiert")
    expect(notes).to_contain_text("Station 2 hatte keinen Namen und heißt jetzt „Station 2“.")
    notes.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/author/trails/\d+$"))

    form = page.locator(".station-form")
    page.get_by_role("button", name=re.compile("Station 2")).first.click()
    expect(form.locator("#station-heading")).to_have_text("Station 2: Station 2")
    form.get_by_label("Aufgabentyp").last.select_option("single_choice")
    form.get_by_role("button", name="Aufgabe hinzufügen").click()
    task = form.locator(".task-editor").first
    task.get_by_label("Frage oder Arbeitsauftrag").fill("Wie hoch ist die Halde?")
    task.get_by_label("Antwortmöglichkeiten 1", exact=True).fill("50 m")
    task.get_by_role("button", name="Aufgabe speichern").click()
    expect(task.get_by_role("status")).to_have_text("Gespeichert.")

    page.get_by_role("button", name="Prüfen").click()
    problems = page.locator("ul.problems li")
    expect(problems).to_have_text(
        [
            "Station 1 ist leer: Geben Sie ihr einen Text, ein Bild oder eine Aufgabe.",
            "Station 2, Aufgabe 1: Eintrag 2 bei „Antwortmöglichkeiten“ hat noch keinen Text.",
        ]
    )
    expect(page.locator(".problems")).not_to_contain_text("stations/")
    problems.nth(1).get_by_role("button").click()
    expect(task.get_by_label("Antwortmöglichkeiten 2", exact=True)).to_be_focused()
    problems.nth(0).get_by_role("button").click()
    expect(form.locator("#station-heading")).to_have_text("Station 1: Station 1")
    expect(form.get_by_label(re.compile("Text der Station"))).to_be_focused()

    # Nothing to confirm while problems block publishing.
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="2 Punkte verhindern")).to_be_visible()
    assert watch.problems_besides_map_tiles() == []
