"""A school tablet shared by classes: it keeps the media of the trail being played only, none
once the team leaves, and the next class's trail still plays offline."""

import pytest
from playwright.sync_api import expect

from openparcours.extensions import db
from openparcours.trails.publishing import bundle
from openparcours.visits.models import Visit
from tests.browser.journeys import check_in, join_team

CACHED_MEDIA = """async () => {
    const cache = await caches.open("media");
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
}"""


@pytest.fixture
def browser_context_args(browser_context_args, phone):
    return {**browser_context_args, **phone, "locale": "de-DE"}


def media_of(live_server, join_code: str) -> set[str]:
    with live_server.app.test_request_context():  # media addresses are built for a request
        visit = db.session.scalar(db.select(Visit).where(Visit.join_code == join_code))
        stations = bundle(visit.version.content, visit.starts_at, visit.starts_at)["stations"]
        return {item["url"] for station in stations for item in station["media"]}


def test_a_tablet_keeps_the_media_of_the_current_trail_only(
    page, context, live_server, gps_trail_visit
):
    museum_code = live_server.demo["join_code"]
    town_code, town_station = gps_trail_visit
    museum_media, town_media = media_of(live_server, museum_code), media_of(live_server, town_code)
    assert museum_media
    assert town_media
    assert museum_media.isdisjoint(town_media)

    join_team(page, museum_code, "Die Frühaufsteher")
    assert set(page.evaluate(CACHED_MEDIA)) == museum_media
    page.goto("/play/finish")  # the class stops early: leaving needs no finished trail
    page.get_by_role("button", name="Besuch auf diesem Handy beenden").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert page.evaluate(CACHED_MEDIA) == []

    join_team(page, town_code, "Die Nachmittagsgruppe")
    assert set(page.evaluate(CACHED_MEDIA)) == town_media
    # Joining another visit without leaving keeps the new trail's media only, too.
    join_team(page, museum_code, "Die Spätschicht")
    assert set(page.evaluate(CACHED_MEDIA)) == museum_media
    join_team(page, town_code, "Die Abendgruppe")
    assert set(page.evaluate(CACHED_MEDIA)) == town_media

    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    context.set_offline(True)
    page.reload()  # offline: the service worker serves the app and the media
    for url in town_media:
        status = page.evaluate("async (url) => (await fetch(url)).status", url)
        assert status == 200, url
    check_in(page, town_station["title"], town_station["code"])
    expect(page.locator(".task-view").first).to_be_visible()
    page.locator(".task-view").first.get_by_role("radio").first.check()
    page.locator(".task-view").first.get_by_role("button", name="Antworten").click()
    expect(page.get_by_text("2 nicht gesendet")).to_be_visible()  # the check-in and the answer
