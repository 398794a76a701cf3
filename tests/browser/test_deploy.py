"""A deploy during a school morning breaks no phone: build B replaces build A on the running
server while teams play on A. A phone without a service worker still loads A's lazy chunks from
the server; a phone with one keeps playing on A (no reload by surprise, none at a station), is
offered "Neue Version – neu laden" between stations, and after it runs B with its outbox."""

import json
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from openparcours.config import PROJECT_ROOT
from openparcours.extensions import db
from openparcours.visits.models import Event, Team
from tests.browser.journeys import join_team, log_in
from tests.browser.test_play import station_codes

PWA = PROJECT_ROOT / "pwa"
SOURCES = ["index.html", "package.json", "tsconfig.json", "vite.config.ts", "build-plugins.ts"]
RELOAD = "Neue Version – neu laden"


class Deployment:
    """A copy of the PWA's sources whose dist holds build A (the one `make setup` built); the
    server serves that dist. `deploy()` builds B from changed sources into the same dist."""

    def __init__(self, root):
        self.root = root
        for name in SOURCES:
            shutil.copy(PWA / name, root / name)
        for folder in ("src", "public", "dist"):
            shutil.copytree(PWA / folder, root / folder)
        (root / "node_modules").symlink_to(PWA / "node_modules")
        self.dist = root / "dist"

    def builds(self) -> list[dict]:
        return json.loads((self.dist / "builds.json").read_text())

    def deploy(self) -> None:
        main = self.root / "src" / "main.tsx"
        main.write_text(main.read_text() + '\ndocument.documentElement.dataset.build = "B";\n')
        subprocess.run(
            [str(self.root / "node_modules" / ".bin" / "vite"), "build", "--logLevel", "warn"],
            cwd=self.root,
            check=True,
            timeout=300,
        )


@pytest.fixture
def deployment(live_server, tmp_path):
    if not (PWA / "dist" / "builds.json").is_file():
        pytest.skip("the PWA is not built: run `make setup`")
    deployment = Deployment(tmp_path)
    served = live_server.app.config["PWA_DIST"]
    live_server.app.config["PWA_DIST"] = str(deployment.dist)
    yield deployment
    live_server.app.config["PWA_DIST"] = served


def entry_script(page) -> str:
    return page.evaluate("() => document.querySelector('script[type=module]').src")


def test_a_deploy_during_a_visit_breaks_no_phone(
    browser, live_server, phone, gps_trail_visit, deployment
):
    codes = station_codes(live_server)
    options = {**phone, "locale": "de-DE", "base_url": live_server.url}
    player = browser.new_context(**options).new_page()
    join_team(player, live_server.demo["join_code"], "Die Frühschicht")
    player.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    # A phone whose browser runs no service worker, on a trail with a map.
    walker = browser.new_context(**options, service_workers="block").new_page()
    join_team(walker, gps_trail_visit[0], "Die Wanderer")
    build_a = entry_script(player)

    deployment.deploy()
    build_b, build_a_files = deployment.builds()[0]["files"], deployment.builds()[1]["files"]
    assert set(build_a_files) - set(build_b), "build B changed no file"

    # The walker's map is a lazy chunk of build A, loaded from the server after the deploy.
    with walker.expect_response(re.compile(r"/assets/trail-map-[^/]+\.js$")) as chunk:
        walker.get_by_role("button", name="Karte zeigen").click()
    assert chunk.value.status == 200
    assert chunk.value.url.split("/", 3)[3] in set(build_a_files) - set(build_b)
    expect(walker.locator(".map-pin")).to_have_count(6)

    # The browser looks for a new worker on loads and when the page becomes visible.
    player.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    reload = player.get_by_role("status").get_by_role("button", name=RELOAD)
    expect(reload).to_be_visible(timeout=20_000)  # on the overview, between stations

    with live_server.database_unreachable():
        player.get_by_role("link", name=re.compile("Willkommen unter Tage")).click()
        expect(player.get_by_label("Code der Station")).to_be_visible()
        expect(reload).to_be_hidden()  # never at a station
        player.get_by_role("button", name="QR-Code scannen").click()
        expect(player.get_by_text("Die Kamera ist nicht verfügbar")).to_be_visible()
        player.get_by_label("Code der Station").fill(codes["Willkommen unter Tage"])
        player.get_by_role("button", name="Einchecken").click()
        player.get_by_label("Ja").check()
        player.get_by_role("button", name="Antworten").click()
        expect(player.get_by_text("Danke! +5 Punkte")).to_be_visible()
        expect(player.get_by_text("2 nicht gesendet")).to_be_visible()
        assert entry_script(player) == build_a  # still build A, not reloaded by surprise

        player.get_by_role("link", name="Zur Übersicht").click()
        reload.click()
        expect(player.locator("html[data-build=B]")).to_be_attached(timeout=15_000)
        expect(player.get_by_text("2 nicht gesendet")).to_be_visible()
        assert entry_script(player) != build_a
        expect(reload).to_have_count(0)

    player.evaluate("() => window.dispatchEvent(new Event('online'))")  # as the network returns
    expect(player.get_by_text("Alles gesendet")).to_be_visible(timeout=15_000)
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Die Frühschicht"))
        types = db.session.scalars(select(Event.type).where(Event.team_id == team.id)).all()
    assert sorted(types) == ["answer", "checkin"]
    player.context.close()
    walker.context.close()


def test_staff_pages_offer_the_new_build_and_keep_the_old_ones_files(
    browser, live_server, deployment
):
    """Two tabs of a teacher's browser run build A. One reloads into B; the other runs A on
    under B's worker, which serves A's files from the cache it kept (here offline), until that
    tab reloads too: then the kept files are dropped."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    first = context.new_page()
    log_in(first, live_server.user("teacher"))
    first.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    second = context.new_page()
    second.goto("/teach")
    expect(second.get_by_role("link", name="Konto")).to_be_visible()

    deployment.deploy()
    first.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    for page in (first, second):
        expect(page.get_by_role("status").get_by_role("button", name=RELOAD)).to_be_visible(
            timeout=20_000
        )
    first.get_by_role("button", name=RELOAD).click()
    expect(first.locator("html[data-build=B]")).to_be_attached(timeout=15_000)
    kept = "() => caches.has('previous-builds')"
    assert first.evaluate(kept)

    context.set_offline(True)
    with second.expect_response(re.compile(r"/assets/account-[^/]+\.js$")) as chunk:
        second.get_by_role("link", name="Konto").click()
    assert chunk.value.ok
    assert chunk.value.from_service_worker  # the network is off
    assert chunk.value.url.split("/", 3)[3] not in deployment.builds()[0]["files"]
    expect(second.locator("html[data-build=B]")).to_have_count(0)

    second.get_by_role("button", name=RELOAD).click()
    expect(second.locator("html[data-build=B]")).to_be_attached(timeout=15_000)
    context.set_offline(False)
    first.wait_for_function(f"async () => !(await ({kept})())", timeout=10_000)
    context.close()
