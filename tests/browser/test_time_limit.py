"""The game's end: the teacher sets it on the visit's page, a phone whose clock is 10 minutes
fast counts down by the server's clock, and when the time is up it sends the team to the
meeting point and takes no more answers."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from openparcours.extensions import db
from tests.browser.journeys import join_team, log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE"}


@pytest.fixture
def teachers_visit(live_server):
    """A visit of the demo's museum trail that the demo teacher opened for 7d, running now."""
    from openparcours.accounts.models import User
    from openparcours.database import utcnow
    from openparcours.trails.models import Trail
    from openparcours.visits.models import Visit
    from openparcours.visits.service import new_join_code

    with live_server.app.app_context():
        teacher = db.session.scalar(
            select(User).where(User.email == live_server.user("teacher")["email"])
        )
        trail = db.session.get(Trail, live_server.demo["visit"]["trail_id"])
        now = utcnow()
        visit = Visit(
            trail=trail,
            version=trail.latest_version,
            school_id=teacher.memberships[0].organisation_id,
            opened_by_id=teacher.id,
            class_label="7d",
            join_code=new_join_code(now),
            starts_at=now - timedelta(minutes=30),
            ends_at=now + timedelta(hours=2),
        )
        db.session.add(visit)
        db.session.commit()
        return visit.id, visit.join_code, visit.version.content["stations"][0]["id"]


def test_the_time_runs_out_on_a_phone_whose_clock_is_wrong(
    page, live_server, phone, teachers_visit
):
    visit_id, code, first_station = teachers_visit
    log_in(page, live_server.user("teacher"))
    page.goto(f"/teach/visits/{visit_id}")
    page.get_by_role("button", name="Ende in 10 Minuten").click()
    expect(page.get_by_role("status").filter(has_text="Das Spiel endet um")).to_contain_text(
        re.compile(r"noch (9|10) Minuten")
    )

    device = page.context.browser.new_context(**phone, locale="de-DE", base_url=live_server.url)
    fast = datetime.now(UTC) + timedelta(minutes=10)
    device.clock.install(time=fast)  # the phone's clock is 10 minutes ahead
    student = device.new_page()
    join_team(student, code, "Die Uhrlosen")
    timer = student.get_by_role("timer", name="Verbleibende Spielzeit")
    expect(timer).to_contain_text(re.compile(r"Noch (9|10) Min\."))

    # The teacher ends the game now; the phone learns it with its next sync.
    page.get_by_role("button", name="Spiel jetzt beenden").click()
    expect(page.get_by_role("status").filter(has_text="zu Ende gegangen")).to_be_visible()
    student.reload()
    expect(student.get_by_role("alert")).to_contain_text("Zeit ist um – kommt zum Treffpunkt!")
    expect(student.get_by_role("heading", name="Zeit ist um")).to_be_visible()
    expect(student.get_by_role("link", name=re.compile("Willkommen unter Tage"))).to_have_count(0)
    student.goto(f"/play/station/{first_station}")  # no way round it
    expect(student.get_by_role("alert")).to_contain_text("Zeit ist um")
    expect(student.get_by_role("button", name="Antworten")).to_have_count(0)
    student.get_by_role("link", name="Zu eurem Ergebnis").click()
    expect(student.get_by_role("heading", name="Ziel erreicht!")).to_be_visible()
    device.close()
