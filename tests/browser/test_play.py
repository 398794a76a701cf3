"""A team plays on a phone: joins from the join link, checks in with the station code, answers,
goes offline, reloads, answers more; the server restarts; the phone comes back online: every
event arrives exactly once and the phone shows the server's score."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from openparcours.extensions import db
from openparcours.visits.models import Event, Team, Visit
from tests.browser.journeys import join_team


@pytest.fixture
def browser_context_args(browser_context_args, phone):
    return {**browser_context_args, **phone, "locale": "de-DE"}


def station_codes(live_server) -> dict[str, str]:
    with live_server.app.app_context():
        visit = db.session.get(Visit, live_server.demo["visit"]["id"])
        return {s["title"]: s["code"] for s in visit.version.content["stations"]}


def test_a_team_plays_online_and_offline(page, context, live_server, watch):
    codes = station_codes(live_server)
    page.goto(f"/j/{live_server.demo['join_code']}")
    expect(page.get_by_label("Beitrittscode")).to_have_value(live_server.demo["join_code"])
    page.get_by_label("Name eurer Gruppe").fill("Die Kohlenträger")
    page.get_by_role("button", name="Los geht's").click()
    expect(page.get_by_text("Bereit – funktioniert jetzt auch offline")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Willkommen unter Tage"))).to_be_visible()
    # The game's header is small: the language, no staff login.
    expect(page.get_by_role("banner").get_by_role("link", name="Anmelden")).to_have_count(0)
    expect(page.get_by_role("banner").get_by_label("Sprache")).to_be_visible()

    page.get_by_role("link", name=re.compile("Willkommen unter Tage")).click()
    page.get_by_label("Code der Station").fill(codes["Willkommen unter Tage"].lower())
    page.get_by_role("button", name="Einchecken").click()
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Antworten").click()
    expect(page.get_by_text("Danke! +5 Punkte")).to_be_visible()
    expect(page.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)

    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    context.set_offline(True)
    page.get_by_role("link", name="Zur Übersicht").click()
    page.get_by_role("link", name=re.compile("Der Förderturm")).click()
    page.get_by_label("Code der Station").fill(codes["Der Förderturm"])
    page.get_by_role("button", name="Einchecken").click()
    expect(page.get_by_role("img", name=re.compile("Förderturm"))).to_be_visible()
    page.get_by_label("Sie führten das Seil, an dem der Förderkorb hing.").check()
    page.locator(".task-view").nth(0).get_by_role("button", name="Antworten").click()
    expect(page.get_by_text("Richtig! +10 Punkte")).to_be_visible()
    expect(page.get_by_text("2 nicht gesendet")).to_be_visible()  # check-in and answer stored

    page.reload()  # offline: the service worker serves the app, IndexedDB keeps the game
    expect(page.get_by_text("Erledigt: 10 Punkte")).to_be_visible()
    page.get_by_label("Deine Antwort").fill("60")
    page.locator(".task-view").nth(1).get_by_role("button", name="Antworten").click()
    expect(page.get_by_text("Richtig! +10 Punkte")).to_be_visible()
    expect(page.get_by_text("3 nicht gesendet")).to_be_visible()

    # Still offline: free text, ordering and multiple choice at the next stations.
    page.get_by_role("link", name="Zur Übersicht").click()
    page.get_by_role("link", name=re.compile("Die Grubenlampe")).click()
    page.get_by_label("Code der Station").fill(codes["Die Grubenlampe"])
    page.get_by_role("button", name="Einchecken").click()
    page.get_by_label("Deine Antwort").fill("grubengas")
    # A typed answer not yet sent: leaving by the link asks first; the back button leaves,
    # and the answer waits for the team's return.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("link", name="Zur Übersicht").click()
    assert questions == [
        "Ihr habt eine Antwort angefangen, aber noch nicht auf „Antworten“ getippt. "
        "Trotzdem weitergehen?"
    ]
    expect(page.get_by_label("Deine Antwort")).to_have_value("grubengas")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/play/trail$"))
    page.go_forward()
    expect(page.get_by_label("Deine Antwort")).to_have_value("grubengas")
    page.get_by_role("button", name="Antworten").click()
    expect(page.get_by_text(re.compile("Richtig! \\+10 Punkte"))).to_be_visible()

    page.get_by_role("link", name="Zur Übersicht").click()
    page.get_by_role("link", name=re.compile("Kohle macht Dampf")).click()
    page.get_by_label("Code der Station").fill(codes["Kohle macht Dampf"])
    page.get_by_role("button", name="Einchecken").click()
    right_order = [
        "Kohle wird im Kessel verbrannt.",
        "Das Wasser wird heiß und verdampft.",
        "Der Dampf drückt den Kolben.",
        "Das Schwungrad dreht sich.",
    ]
    items = page.locator(".ordering li > span")
    expect(items).to_have_count(len(right_order))  # read the order only once it is shown
    for target, text in enumerate(right_order):
        current = items.all_inner_texts().index(text)
        for _ in range(current - target):
            page.get_by_role("button", name=f"{text}: nach oben").click()
    assert items.all_inner_texts() == right_order
    page.get_by_role("button", name="Antworten").click()
    expect(page.get_by_text(re.compile("Richtig! \\+10 Punkte"))).to_be_visible()

    page.get_by_role("link", name="Zur Übersicht").click()
    page.get_by_role("link", name=re.compile("Wohnen in der Zechensiedlung")).click()
    page.get_by_label("Code der Station").fill(codes["Wohnen in der Zechensiedlung"])
    page.get_by_role("button", name="Einchecken").click()
    page.get_by_label("ein Garten für Gemüse").check()
    page.get_by_label("ein Stall für Ziege oder Schwein").check()
    page.locator(".task-view").first.get_by_role("button", name="Antworten").click()
    expect(page.get_by_text(re.compile("Richtig! \\+10 Punkte"))).to_be_visible()
    expect(page.get_by_text("9 nicht gesendet")).to_be_visible()

    live_server.restart()
    context.set_offline(False)
    expect(page.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("55 Punkte")).to_be_visible()
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Die Kohlenträger"))
        events = db.session.scalar(select(func.count()).where(Event.team_id == team.id))
        points = db.session.scalar(select(func.sum(Event.points)).where(Event.team_id == team.id))
    assert events == 11  # 5 check-ins and 6 answers: each exactly once
    assert points == 55


def test_the_phone_keeps_its_outbox_while_the_database_is_down(page, live_server):
    """The server answers 503 while its database is unreachable: the phone plays on, keeps
    what it did, and delivers it once the database is back."""
    codes = station_codes(live_server)
    join_team(page, live_server.demo["join_code"], "Die Ausdauernden")

    with live_server.database_unreachable():
        health = page.request.get("/api/v1/health")
        assert (health.status, health.json()["code"]) == (503, "database_unavailable")
        page.get_by_role("link", name=re.compile("Willkommen unter Tage")).click()
        page.get_by_label("Code der Station").fill(codes["Willkommen unter Tage"])
        page.get_by_role("button", name="Einchecken").click()
        page.get_by_label("Ja").check()
        with page.expect_response("**/api/v1/play/sync") as answer:
            page.get_by_role("button", name="Antworten").click()
        assert answer.value.status == 503
        expect(page.get_by_text("Danke! +5 Punkte")).to_be_visible()
        expect(page.get_by_text("2 nicht gesendet")).to_be_visible()
        page.reload()  # the trail and the outbox are on the phone
        expect(page.get_by_text("2 nicht gesendet")).to_be_visible()

    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # as the network returns
    expect(page.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Die Ausdauernden"))
        types = db.session.scalars(select(Event.type).where(Event.team_id == team.id)).all()
    assert sorted(types) == ["answer", "checkin"]


def test_a_photo_taken_offline_is_uploaded_later(page, context, live_server, tmp_path):
    from PIL import Image

    from openparcours.media.models import Media

    codes = station_codes(live_server)
    photo = tmp_path / "foto.jpg"
    Image.new("RGB", (1200, 900), (120, 80, 40)).save(photo)
    join_team(page, live_server.demo["join_code"], "Die Fotografen")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)

    context.set_offline(True)
    page.get_by_role("link", name=re.compile("Wohnen in der Zechensiedlung")).click()
    page.get_by_label("Code der Station").fill(codes["Wohnen in der Zechensiedlung"])
    page.get_by_role("button", name="Einchecken").click()
    photo_task = page.locator(".task-view").nth(1)
    photo_task.get_by_label("Foto aufnehmen").set_input_files(str(photo))
    photo_task.get_by_role("button", name="Antworten").click()
    expect(
        photo_task.get_by_text("Foto gespeichert – deine Lehrkraft bewertet es.")
    ).to_be_visible()
    expect(page.get_by_text("2 nicht gesendet")).to_be_visible()

    context.set_offline(False)
    expect(page.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Die Fotografen"))
        answer = db.session.scalar(
            select(Event.answer).where(Event.team_id == team.id, Event.type == "answer")
        )
        assert db.session.get(Media, answer["media_id"]).kind == "image"


def test_the_phone_words_a_taken_name_and_what_the_server_refused(page, live_server):
    """The join screen suggests a free name in German; an event the server refuses for good
    (here a hint at a station the team never checked in at) leaves the outbox with a note."""
    code = live_server.demo["join_code"]
    taken = page.request.post("/api/v1/play/join", data={"code": code, "team_name": "Die Eulen"})
    assert taken.status == 201
    page.goto(f"/j/{code}")
    page.get_by_label("Name eurer Gruppe").fill("die eulen")
    page.get_by_role("button", name="Los geht's").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Den Namen hat schon eine andere Gruppe. Wie wäre es mit „die eulen 2“?"
    )
    page.get_by_label("Name eurer Gruppe").fill("die eulen 2")
    page.get_by_role("button", name="Los geht's").click()
    expect(page.get_by_text("Bereit – funktioniert jetzt auch offline")).to_be_visible()

    with live_server.app.app_context():
        visit = db.session.get(Visit, live_server.demo["visit"]["id"])
        station = next(s for s in visit.version.content["stations"] if s["checkin"] != "none")
    hint = {
        "id": "00000000-0000-4000-8000-0000000000aa",
        "type": "hint",
        "station_id": station["id"],
        "task_id": station["tasks"][0]["id"],
        "at": "2026-11-22T09:00:00.000Z",
    }
    page.evaluate(
        """(event) => new Promise((resolve, reject) => {
            const request = indexedDB.open("openparcours-play", 2);
            request.onsuccess = () => {
                const put = request.result.transaction("outbox", "readwrite")
                    .objectStore("outbox").put(event);
                put.onsuccess = () => resolve(null);
                put.onerror = () => reject(put.error);
            };
        })""",
        hint,
    )
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    note = page.locator(".refusals")
    expect(note).to_contain_text("Nicht gezählt", timeout=15_000)
    expect(note).to_contain_text("Tipp (1): Sie kam an, bevor du an der Station eingecheckt warst.")
    expect(page.get_by_text("Alles gesendet")).to_be_visible()
    note.get_by_role("button", name="Verstanden").click()
    expect(note).to_have_count(0)
    page.reload()
    expect(page.get_by_text("Alles gesendet")).to_be_visible()
    expect(page.locator(".refusals")).to_have_count(0)
