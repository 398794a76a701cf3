"""Release rules on the phone: a station opens only after another is done, and says so while
it waits; also offline, and the server agrees."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from openparcours.extensions import db
from tests.browser.journeys import join_team


@pytest.fixture
def browser_context_args(browser_context_args, phone):
    return {**browser_context_args, **phone, "locale": "de-DE"}


@pytest.fixture
def ruled_visit(live_server):
    """A copy of the demo's museum trail whose second station opens after the first and whose
    third after two of the first, second and fourth; as an open visit."""
    from openparcours.accounts.models import User
    from openparcours.database import utcnow
    from openparcours.trails import publishing
    from openparcours.trails import service as trails
    from openparcours.trails.models import Trail
    from openparcours.visits.models import Visit
    from openparcours.visits.service import new_join_code

    with live_server.app.app_context():
        museum = next(t for t in live_server.demo["trails"] if "Zeche" in t["title"])
        educator = db.session.scalar(
            select(User).where(User.email == live_server.user("educator")["email"])
        )
        copy = trails.duplicate_trail(educator, db.session.get(Trail, museum["id"]))
        copy.title = "Probe der Freigaben"  # other journeys look for the demo's title
        first, second, third, fourth = copy.stations[:4]
        second.release = {"kind": "after", "station_ids": [first.id], "count": 1}
        third.release = {
            "kind": "after",
            "station_ids": [first.id, second.id, fourth.id],
            "count": 2,
        }
        db.session.commit()
        version = publishing.publish(educator, copy)
        now = utcnow()
        visit = Visit(
            trail=copy,
            version=version,
            class_label="8a",
            join_code=new_join_code(now),
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=3),
        )
        db.session.add(visit)
        db.session.commit()
        return visit.join_code, version.content["stations"], visit.id


def test_a_station_opens_only_after_another_is_done(page, context, live_server, ruled_visit):
    code, stations, visit_id = ruled_visit
    first, second = (s["title"] for s in stations[:2])
    join_team(page, code, "Die Wartenden")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    context.set_offline(True)  # the phone decides by itself

    rows = page.locator("ol.station-overview > li")
    expect(rows.nth(1)).to_have_class("locked")
    expect(rows.nth(1)).to_contain_text(f"Öffnet nach Station 1 ({first}).")
    expect(page.get_by_role("link", name=re.compile(second))).to_have_count(0)
    expect(rows.nth(2)).to_contain_text(
        f"Öffnet, wenn ihr noch 2 dieser Stationen erledigt habt: 1 ({first}), 2 ({second}), 4"
    )
    # Straight to its address (a shared link, an old QR code): it says it is closed.
    page.goto(f"/play/station/{stations[1]['id']}")
    expect(page.get_by_role("status").filter(has_text="noch nicht offen")).to_contain_text(
        f"Öffnet nach Station 1 ({first})."
    )
    expect(page.get_by_label("Code der Station")).to_have_count(0)

    page.get_by_role("link", name="Zur Übersicht").click()
    page.get_by_role("link", name=re.compile(first)).click()
    page.get_by_label("Code der Station").fill(stations[0]["code"])
    page.get_by_role("button", name="Einchecken").click()
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Antworten").click()
    page.get_by_role("link", name="Zur Übersicht").click()
    expect(page.get_by_role("link", name=re.compile(second))).to_be_visible()
    expect(rows.nth(2)).to_contain_text(
        f"Öffnet, wenn ihr noch eine dieser Stationen erledigt habt: 2 ({second}), 4"
    )
    page.get_by_role("link", name=re.compile(second)).click()
    page.get_by_label("Code der Station").fill(stations[1]["code"])
    page.get_by_role("button", name="Einchecken").click()
    expect(page.locator(".task-view").first).to_be_visible()

    # Back online: the server takes all of it, the station's check-in after the first's work.
    context.set_offline(False)
    expect(page.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)
    from openparcours.visits.models import Event, Team

    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.visit_id == visit_id))
        stored = db.session.scalar(select(func.count()).where(Event.team_id == team.id))
    assert stored == 3  # two check-ins and an answer
    expect(page.get_by_role("alert").filter(has_text="Nicht gezählt")).to_have_count(0)
