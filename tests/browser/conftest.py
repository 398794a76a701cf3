"""Browser journeys: the built PWA, served by the real app from a server thread on a fresh
SQLite database with the demo loaded, driven in Debian's Chromium through pytest-playwright."""

import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import event
from werkzeug.serving import make_server

from openparcours import create_app
from openparcours.config import DEFAULT_TILE_URL, PROJECT_ROOT
from openparcours.core.security import tile_origin
from openparcours.demo import load_demo
from openparcours.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach the internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            # The development server leaves a file open when the browser drops a download
            # (a service worker cancelling its precache at the end of a test); gunicorn does not.
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require(
        Path(CHROMIUM).exists(),
        f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests",
    )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@dataclass
class LiveServer:
    url: str
    demo: dict
    app: object
    server: object = None
    thread: object = None

    def user(self, role: str) -> dict:
        return next(u for u in self.demo["users"] if u["role"] == role)

    def start(self, port: int = 0) -> None:
        self.server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @contextmanager
    def database_unreachable(self):
        """Every new connection to the database fails, as when its server is down, until the
        block ends; the connections there were are closed first."""

        def refuse(dialect, record, cargs, cparams):
            raise sqlite3.OperationalError("unable to open database file")

        with self.app.app_context():
            engine = db.engine
        engine.dispose()
        event.listen(engine, "do_connect", refuse)
        try:
            yield
        finally:
            event.remove(engine, "do_connect", refuse)

    def restart(self) -> None:
        """Stop and start again on the same port, as after a crash or a deployment."""
        port = self.server.server_port
        self.stop()
        with self.app.app_context():
            db.engine.dispose()  # no connection survives the restart
        self.start(port)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    dist = PROJECT_ROOT / "pwa" / "dist"
    _require((dist / "index.html").is_file(), "the PWA is not built: run `make setup`")
    instance = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "JOB_CHECK_SECONDS": 0,  # the schedule has its own tests
            "LIVE_BOARD_POLL_SECONDS": 1,  # the tests see the board change without waiting
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'live.sqlite3'}",
            "MEDIA_DIR": str(instance / "media"),
            "MAIL_DIR": str(instance / "mail"),
            # Counters of this session only: a journey asks for a new password every run.
            "RATELIMIT_STORAGE_URI": f"sqlite:///{instance / 'ratelimits.sqlite3'}",
            "PWA_DIST": str(dist),
        }
    )
    live = LiveServer("", {}, app)
    live.start()
    app.config["PUBLIC_URL"] = live.url = f"http://127.0.0.1:{live.server.server_port}"
    with app.app_context():
        upgrade()
        live.demo = load_demo()
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def phone(playwright):
    """Context options of an Android phone (viewport, touch, user agent)."""
    device = dict(playwright.devices["Pixel 7"])
    device.pop("default_browser_type", None)
    return device


@pytest.fixture
def gps_trail_visit(live_server):
    """The demo's town trail (GPS stations) as an open visit: its join code and first station."""
    from openparcours.database import utcnow
    from openparcours.trails.models import Trail
    from openparcours.visits.models import Visit
    from openparcours.visits.service import new_join_code

    with live_server.app.app_context():
        town = next(t for t in live_server.demo["trails"] if "Altstadt" in t["title"])
        trail = db.session.get(Trail, town["id"])
        now = utcnow()
        visit = Visit(
            trail=trail,
            version=trail.latest_version,
            class_label="6c",
            join_code=new_join_code(now),
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=3),
        )
        db.session.add(visit)
        db.session.commit()
        return visit.join_code, visit.version.content["stations"][0]


AXE = PROJECT_ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now (WCAG 2.1 AA rules).

    axe runs through the DevTools protocol, so the page's strict CSP stays as it is."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@dataclass
class PageWatch:
    """What a page did that a user would not see: console errors and requests off this host."""

    console_errors: list
    foreign_requests: list

    def problems_besides_map_tiles(self) -> list[str]:
        """Everything but the map tiles, which cannot load here (no internet) and need not."""
        tiles = tile_origin(DEFAULT_TILE_URL)
        return [url for url in self.foreign_requests if not url.startswith(tiles)] + [
            error for error in self.console_errors if "Failed to load resource" not in error
        ]


@pytest.fixture
def watch(page, base_url):
    watch = PageWatch([], [])
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            r.url.startswith((base_url, "data:", "blob:")) or watch.foreign_requests.append(r.url)
        ),
    )
    return watch
