"""A souvenir page for home: the teacher turns souvenirs on, approves one photo and one answer,
and whoever opens the team's link in another browser sees exactly those, nothing else."""

import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import check_in, join_team, log_in
from tests.browser.test_play import station_codes


def wait_for_answers(live_server, code: str, team_name: str, count: int) -> None:
    """Until the server has the team's answers: the phone's "Alles gesendet" may still show
    from before the last answer was written to its outbox."""
    from sqlalchemy import func, select

    from openparcours.extensions import db
    from openparcours.visits.models import Event, Team, Visit

    for _ in range(100):
        with live_server.app.app_context():
            stored = db.session.scalar(
                select(func.count())
                .select_from(Event)
                .join(Team)
                .join(Visit, Visit.id == Team.visit_id)
                .where(Visit.join_code == code, Team.name == team_name, Event.type == "answer")
            )
        if stored >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{team_name} has {stored} answers on the server, not {count}")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE"}


def test_a_family_sees_only_what_the_teacher_approved(
    page, browser, phone, live_server, tmp_path, watch
):
    log_in(page, live_server.user("teacher"))
    trail = page.get_by_label("Parcours").locator("option", has_text="Zeche und Stadt")
    page.get_by_label("Parcours").select_option(trail.get_attribute("value"))
    page.get_by_label("Klasse oder Gruppe").fill("5c")
    souvenirs = page.get_by_label("Erinnerungsseite „Das haben wir entdeckt“ für jede Gruppe")
    expect(souvenirs).to_have_accessible_description(re.compile("^Was Eltern sehen"))
    souvenirs.check()
    page.get_by_role("button", name="Besuch anlegen").last.click()
    expect(page).to_have_url(re.compile(r"/teach/visits/\d+$"))
    expect(
        page.get_by_label("Erinnerungsseite „Das haben wir entdeckt“ für jede Gruppe")
    ).to_be_checked()
    code = page.locator(".big-code").inner_text()
    codes = station_codes(live_server)

    # Die Füchse send a photo and a text answer; Die Eulen a text answer.
    context = browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    foxes = context.new_page()
    join_team(foxes, code, "Die Füchse")
    check_in(foxes, "Wohnen in der Zechensiedlung", codes["Wohnen in der Zechensiedlung"])
    foxes.get_by_label("ein Garten für Gemüse").check()
    foxes.locator(".task-view").first.get_by_role("button", name="Antworten").click()
    photo = tmp_path / "garten.jpg"
    Image.new("RGB", (800, 600), (40, 120, 60)).save(photo)
    photo_task = foxes.locator(".task-view").nth(1)
    photo_task.get_by_label("Foto aufnehmen").set_input_files(str(photo))
    photo_task.get_by_role("button", name="Antworten").click()
    expect(photo_task.get_by_text("Foto gespeichert")).to_be_visible()
    foxes.goto("/play/trail")
    check_in(foxes, "Die Grubenlampe", codes["Die Grubenlampe"])
    foxes.get_by_label("Deine Antwort").fill("Schlagwetter")
    foxes.get_by_role("button", name="Antworten").click()
    wait_for_answers(live_server, code, "Die Füchse", 3)
    context.close()
    owls_context = browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    owls = owls_context.new_page()
    join_team(owls, code, "Die Eulen")
    check_in(owls, "Die Grubenlampe", codes["Die Grubenlampe"])
    owls.get_by_label("Deine Antwort").fill("Grubengas der Eulen")
    owls.get_by_role("button", name="Antworten").click()
    wait_for_answers(live_server, code, "Die Eulen", 1)
    owls_context.close()

    # The teacher approves the Füchse's photo and their answer, and nothing of the Eulen.
    page.get_by_role("link", name="Ergebnisse und Bewertung").click()
    expect(page.get_by_role("link", name="Erinnerungsseite (Die Füchse)")).to_be_visible()
    page.get_by_label("Für die Erinnerungsseite freigeben (Die Füchse)").first.check()
    expect(page.get_by_role("status")).to_contain_text("Auf der Erinnerungsseite von Die Füchse.")
    page.locator("summary", has_text="Schlagwetter").click()
    answer = page.locator("li", has_text="Die Füchse: Schlagwetter")
    answer.get_by_label("Für die Erinnerungsseite freigeben").check()
    expect(page.get_by_label("Für die Erinnerungsseite freigeben (Die Füchse)")).to_have_count(2)
    for box in page.get_by_label("Für die Erinnerungsseite freigeben (Die Füchse)").all():
        expect(box).to_be_checked()
    assert accessibility_problems(page) == []
    link = page.get_by_role("link", name="Erinnerungsseite (Die Füchse)").get_attribute("href")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/s/[\w-]{{22}}", link)
    with page.expect_download() as download:
        page.get_by_role("link", name="Elternbrief (Die Füchse)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # At home, in a browser that never logged in.
    home = browser.new_context(locale="de-DE", base_url=live_server.url)
    family = home.new_page()
    foreign = []
    family.on(
        "request",
        lambda r: r.url.startswith((live_server.url, "data:", "blob:")) or foreign.append(r.url),
    )
    with family.expect_response(lambda r: "/api/v1/souvenirs/" in r.url) as answer_page:
        response = family.goto(link)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert answer_page.value.headers["x-robots-tag"] == "noindex, nofollow"
    expect(family.get_by_role("heading", name="Das haben wir entdeckt", level=1)).to_be_visible()
    expect(family.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    expect(family.get_by_text(re.compile(r"Zeche und Stadt.*Stadtmuseum.*20\d\d"))).to_be_visible()
    photos = family.locator(".souvenir-photos img")
    expect(photos).to_have_count(1)
    photos.first.scroll_into_view_if_needed()
    family.wait_for_function(
        "() => document.querySelector('.souvenir-photos img').naturalWidth > 0"
    )
    answers = family.locator(".souvenir-answers dd")
    expect(answers).to_have_text(["Schlagwetter"])
    expect(family.get_by_role("heading", name="Komm wieder – mit deiner Familie")).to_be_visible()
    expect(family.get_by_text("Sa, So und feiertags 11–18 Uhr")).to_be_visible()
    body = family.locator("main").inner_text()
    for absent in ("Die Füchse", "Die Eulen", "der Eulen", "Abmelden", "Meine Besuche"):
        assert absent not in body, absent
    assert family.get_by_role("link", name="Meine Besuche").count() == 0
    assert accessibility_problems(family) == []
    family.get_by_label("Sprache").select_option("en")
    expect(family.get_by_role("heading", name="What we discovered", level=1)).to_be_visible()
    expect(family.get_by_role("heading", name="Come back – with your family")).to_be_visible()
    assert foreign == []
    home.close()
    assert watch.console_errors == []
