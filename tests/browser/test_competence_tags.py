"""An educator tags a trail and a station with NRW's subjects, year groups, competences of the
Medienkompetenzrahmen and a reference to the Kernlehrplan; the tags are kept and shown in the
list of trails."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def open_details(page):
    page.locator("summary", has_text="Angaben zum Parcours").click()
    return page.locator("details.card form").filter(
        has=page.get_by_role("button", name="Angaben speichern")
    )


def test_educator_tags_a_trail_and_a_station(page, live_server, watch):
    log_in(page, live_server.user("educator"))
    expect(page.get_by_role("table")).to_be_visible()
    page.get_by_label("Titel").fill("Kohle und Klima")
    page.get_by_role("button", name="Parcours anlegen").click()
    expect(page).to_have_url(re.compile(r"/author/trails/\d+$"))
    editor = page.url

    details = open_details(page)
    subjects = details.locator("details.tag-picker", has_text="Fächer")
    expect(subjects.locator("summary")).to_have_text("Fächer 0 gewählt")
    subjects.locator("summary").click()
    subjects.get_by_label("Geschichte", exact=True).check()
    subjects.get_by_label("Erdkunde", exact=True).check()
    expect(subjects.locator("summary")).to_have_text("Fächer 2 gewählt")
    grades = details.get_by_role("group", name="Jahrgangsstufen")
    for grade in ("5", "6", "7"):
        grades.get_by_label(grade, exact=True).check()

    competences = details.locator("details.tag-picker", has_text="Medienkompetenzen")
    expect(competences.get_by_role("group")).to_have_count(0)  # collapsed: the form stays short
    competences.locator("summary").click()
    expect(competences.get_by_role("group")).to_have_count(6)
    research = competences.get_by_role("group", name="Informieren und Recherchieren")
    research.get_by_label("2.1 Informationsrecherche").check()
    competences.get_by_label(re.compile(r"^5\.1 ")).check()
    expect(competences.locator("summary")).to_contain_text("2 gewählt")

    reference = details.get_by_role("group", name="Bezug zum Kernlehrplan")
    reference.get_by_label("Bezug").fill("Inhaltsfeld 6: Industrialisierung im Ruhrgebiet")
    url = reference.get_by_label("Link zum Kernlehrplan (optional)")
    # Web addresses only, as the server takes them: the refusal stands beside the field.
    url.fill("ftp://www.schulentwicklung.nrw.de/lehrplaene")
    assert accessibility_problems(page) == []
    details.get_by_role("button", name="Angaben speichern").click()
    expect(url).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#trail-error-curriculum_reference\\.url")).to_have_text(
        "Bitte eine gültige Adresse (URL) eingeben."
    )
    url.fill("https://www.schulentwicklung.nrw.de/lehrplaene/")
    # A link needs its words: the server's field error stands beside the text, nothing is lost.
    text = reference.get_by_label("Bezug")
    text.fill("")
    details.get_by_role("button", name="Angaben speichern").click()
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#trail-error-curriculum_reference\\.text")).to_have_text(
        "1 bis 500 Zeichen."
    )
    expect(url).not_to_have_attribute("aria-invalid", "true")
    expect(subjects.get_by_label("Geschichte", exact=True)).to_be_checked()
    expect(url).to_have_value("https://www.schulentwicklung.nrw.de/lehrplaene/")
    text.fill("Inhaltsfeld 6: Industrialisierung im Ruhrgebiet")
    details.get_by_role("button", name="Angaben speichern").click()
    expect(details.get_by_role("status")).to_have_text("Gespeichert.")
    expect(url).not_to_have_attribute("aria-invalid", "true")

    # A station adds a competence of its own.
    page.get_by_role("button", name="Station hinzufügen").click()
    form = page.locator(".station-form")
    expect(form.locator("#station-heading")).to_have_text("Station 1: Station 1")
    station_tags = form.get_by_role("group", name=re.compile("Fächer und Medienkompetenzen"))
    station_competences = station_tags.locator("details.tag-picker", has_text="Medienkompetenzen")
    station_competences.locator("summary").click()
    station_competences.get_by_label("4.1 Medienproduktion und Präsentation").check()
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    assert accessibility_problems(page) == []

    asked = []
    page.on("request", lambda r: "/curriculum/tables" in r.url and asked.append(r.url))
    page.goto(editor)
    details = open_details(page)
    subjects = details.locator("details.tag-picker", has_text="Fächer")
    subjects.locator("summary").click()
    expect(subjects.locator("summary")).to_have_text("Fächer 2 gewählt")
    expect(subjects.get_by_label("Geschichte", exact=True)).to_be_checked()
    expect(subjects.get_by_label("Erdkunde", exact=True)).to_be_checked()
    expect(subjects.get_by_label("Deutsch", exact=True)).not_to_be_checked()
    grades = details.get_by_role("group", name="Jahrgangsstufen")
    expect(grades.locator("input:checked")).to_have_count(3)
    competences = details.locator("details.tag-picker", has_text="Medienkompetenzen")
    expect(competences.locator("summary")).to_contain_text("2 gewählt")
    competences.locator("summary").click()
    expect(competences.locator("input:checked")).to_have_count(2)
    expect(competences.get_by_label("2.1 Informationsrecherche")).to_be_checked()
    reference = details.get_by_role("group", name="Bezug zum Kernlehrplan")
    expect(reference.get_by_label("Link zum Kernlehrplan (optional)")).to_have_value(
        "https://www.schulentwicklung.nrw.de/lehrplaene/"
    )
    station_competences = page.locator(".station-form details.tag-picker").filter(
        has_text="Medienkompetenzen"
    )
    expect(station_competences.locator("summary")).to_contain_text("1 gewählt")
    station_competences.locator("summary").click()
    expect(station_competences.locator("input:checked")).to_have_count(1)
    expect(
        station_competences.get_by_label("4.1 Medienproduktion und Präsentation")
    ).to_be_checked()

    assert len(asked) == 1  # one request for the four pickers, and none for the list
    page.get_by_role("link", name=re.compile("zurück zu")).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Kohle und Klima"))
    tags = row.locator(".tag-line li")
    expect(tags).to_have_text(
        [
            "Geschichte, Erdkunde",
            "Jahrgang 5–7",
            "2.1Medienkompetenz 2.1 Informationsrecherche",
            re.compile(r"^5\.1Medienkompetenz 5\.1 "),
        ]
    )
    expect(tags.nth(2)).to_have_attribute("title", "Medienkompetenz 2.1 Informationsrecherche")
    assert len(asked) == 1
    assert accessibility_problems(page) == []
    assert watch.problems_besides_map_tiles() == []


def test_a_subject_written_freely_before_the_table_stays_until_unticked(page, live_server, watch):
    from openparcours.extensions import db
    from openparcours.trails.models import Trail

    with live_server.app.app_context():
        demo = db.session.get(Trail, live_server.demo["trails"][0]["id"])
        trail = Trail(
            organisation_id=demo.organisation_id,
            created_by_id=demo.created_by_id,
            title="Heimat früher",
            subjects=["Heimatkunde", "Geschichte"],
        )
        db.session.add(trail)
        db.session.commit()
        editor = f"/author/trails/{trail.id}"

    log_in(page, live_server.user("educator"))
    page.goto(editor)
    details = open_details(page)
    subjects = details.locator("details.tag-picker", has_text="Fächer")
    subjects.locator("summary").click()
    free = subjects.get_by_label("Heimatkunde (frei eingetragen, nicht im Fächerverzeichnis NRW)")
    expect(free).to_be_checked()
    # Saving other changes keeps it.
    details.get_by_label("Beschreibung", exact=True).fill("Wie man vor hundert Jahren lebte.")
    details.get_by_role("button", name="Angaben speichern").click()
    expect(details.get_by_role("status")).to_have_text("Gespeichert.")
    expect(free).to_be_checked()

    # Unticked, it stays in sight until saved, so it can be ticked again.
    free.uncheck()
    expect(subjects.locator("summary")).to_have_text("Fächer 1 gewählt")
    expect(free).not_to_be_checked()
    details.get_by_role("button", name="Angaben speichern").click()
    expect(details.get_by_role("status")).to_have_text("Gespeichert.")

    page.goto(editor)
    details = open_details(page)
    subjects = details.locator("details.tag-picker", has_text="Fächer")
    subjects.locator("summary").click()
    expect(subjects.get_by_label("Geschichte", exact=True)).to_be_checked()
    expect(subjects.get_by_text("Heimatkunde")).to_have_count(0)
    expect(details.get_by_label("Beschreibung", exact=True)).to_have_value(
        "Wie man vor hundert Jahren lebte."
    )
    assert watch.problems_besides_map_tiles() == []
