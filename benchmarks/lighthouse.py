"""Benchmark: Lighthouse (mobile) on the play, author and teach pages, against gunicorn (sync
workers × 4) on a fresh SQLite database with the demo loaded.

Each role has its own Chromium profile: the student's measures the join screen first (each run
a first visit, Lighthouse clears the origin's storage), then joins as a team in the browser and
measures the trail overview with that team's session; the educator and the teacher log in
through the login page, and their pages are measured in the logged-in profile, the service
worker installed. A few more teams join and answer through the API, so the teacher's pages have
something to show. Map tiles come from a local tile server (one blank tile).

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--reports DIR]

Lighthouse is installed into benchmarks/lighthouse/node_modules on the first run (npm);
Chromium from CHROMIUM_PATH, else /usr/bin/chromium (apt-get install chromium).
"""

import argparse
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from class_load import Client, serve
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach the internet.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = {
    "performance": "perf",
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "seo",
}
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}
EXTRA_TEAMS = 5


def install_lighthouse() -> Path:
    """`npm install` from the lock file, again whenever package.json or the lock file change."""
    stamp = LIGHTHOUSE / "node_modules" / ".installed"
    sources = [LIGHTHOUSE / "package.json", LIGHTHOUSE / "package-lock.json"]
    if not stamp.exists() or any(s.stat().st_mtime > stamp.stat().st_mtime for s in sources):
        npm = ["npm", "install", "--prefix", str(LIGHTHOUSE), "--no-audit", "--no-fund"]
        subprocess.run([*npm, "--loglevel=error"], check=True, stdout=subprocess.DEVNULL)
        stamp.touch()
    return LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tile_server() -> int:
    """A map tile server on a free port that answers every request with one blank tile."""
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 229, 220)).save(buffer, "PNG")
    tile = buffer.getvalue()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.send_header("Cache-Control", "max-age=86400")
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def demo_instance(folder: str, port: int, tiles: int) -> tuple[dict, dict]:
    """The environment of a fresh instance in `folder` with the demo loaded, and the demo. The
    instance serves a copy of pwa/dist, so a build during the runs changes nothing."""
    shutil.copytree(ROOT / "pwa" / "dist", f"{folder}/dist")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        "MEDIA_DIR": f"{folder}/media",
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": folder,
        "PORT": str(port),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TILE_URL": f"http://127.0.0.1:{tiles}/{{z}}/{{x}}/{{y}}.png",
        "TILE_ATTRIBUTION": "Benchmark",
        "PWA_DIST": f"{folder}/dist",
    }
    flask = [str(BIN / "flask"), "--app", "openparcours"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [*flask, "demo", "--json"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env, json.loads(demo.stdout)


def play_teams(port: int, demo: dict) -> None:
    """Teams that join the demo visit and send their answers, as phones do."""
    client = Client(port)
    for n in range(EXTRA_TEAMS):
        body = {"code": demo["join_code"], "team_name": f"Gruppe {n + 1}", "players": 3}
        status, payload, _ = client.request("POST", "/api/v1/play/join", body)
        assert status == 201, payload
        token = {"Authorization": f"Bearer {json.loads(payload)['token']}"}
        events = [
            {"id": str(uuid.uuid4()), "type": "answer", "at": "2026-11-22T09:00:00Z", **answer}
            for answer in [*demo["checkins"], *demo["answers"][: n + 1]]
        ]
        status, payload, _ = client.request(
            "POST", "/api/v1/play/sync", {"events": events}, headers=token
        )
        assert status == 200, payload


@contextmanager
def chromium(folder: str):
    """Headless Chromium with its own profile in `folder`, in German as the app's users mostly
    are (headless Chromium ignores --lang; the profile's preference counts); yields its
    debugging port."""
    Path(folder, "Default").mkdir(parents=True)
    Path(folder, "Default", "Preferences").write_text('{"intl": {"accept_languages": "de-DE,de"}}')
    port = free_port()
    process = subprocess.Popen(
        [
            CHROMIUM,
            *CHROMIUM_ARGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={folder}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Chromium did not start")
        yield port
    finally:
        process.terminate()
        process.wait()


def in_browser(playwright, port: int, url: str, steps) -> None:
    """Open `url` in the browser on `port` (its own profile), run `steps(page)`, wait for the
    service worker, and leave the profile as a user would: logged in or joined."""
    browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
    page = browser.contexts[0].new_page()
    page.goto(url)
    steps(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    page.close()
    browser.close()


def login(email: str, password: str):
    def steps(page):
        page.fill("#login-email", email)
        page.fill("#login-password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)

    return steps


def join(team: str):
    def steps(page):
        page.fill("#join-team", team)
        page.click("button[type=submit]")
        page.wait_for_url("**/play/trail")

    return steps


def audit(lighthouse: Path, port: int, url: str, reset: bool, output: Path) -> dict:
    subprocess.run(
        [
            str(lighthouse),
            url,
            f"--port={port}",
            "--form-factor=mobile",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={output}",
            "--quiet",
            *([] if reset else ["--disable-storage-reset"]),
        ],
        check=True,
    )
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    if report["finalDisplayedUrl"] != url:  # sent elsewhere, e.g. to the login page
        raise RuntimeError(f"{url} ended at {report['finalDisplayedUrl']}")
    return report


def failing(report: dict) -> list[str]:
    """The weighted audits that failed, outside performance (its metrics are in the table)."""
    found = []
    for key, category in report["categories"].items():
        if key == "performance":
            continue
        for ref in category["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] and result["score"] is not None and result["score"] < 0.9:
                found.append(f"{CATEGORIES[key]} {ref['id']}: {result['title']}")
    return found


def medians(runs: list[dict]) -> tuple[dict, dict]:
    scores = {
        key: statistics.median(r["categories"][key]["score"] * 100 for r in runs)
        for key in CATEGORIES
    }
    metrics = {
        name: statistics.median(r["audits"][audit_id]["numericValue"] for r in runs)
        for name, audit_id in METRICS.items()
    }
    return scores, metrics


def table_cells(runs: list[dict]) -> list[str]:
    scores, metrics = medians(runs)
    return [f"{scores[key]:.0f}" for key in CATEGORIES] + [
        f"{metrics['FCP'] / 1000:.1f} s",
        f"{metrics['LCP'] / 1000:.1f} s",
        f"{metrics['TBT']:.0f} ms",
        f"{metrics['CLS']:.3f}",
    ]


def row_figures(runs: list[dict]) -> str:
    cells = table_cells(runs)
    names = [*CATEGORIES.values(), *METRICS]
    return "  ".join(f"{name} {cell}" for name, cell in zip(names, cells, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", help="keep the JSON reports here (default: a temp folder)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    if not (ROOT / "pwa" / "dist" / "index.html").exists():
        sys.exit("no pwa/dist: make setup builds it")
    lighthouse = install_lighthouse()
    folder = tempfile.mkdtemp()
    reports = Path(args.reports or f"{folder}/reports")
    reports.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env, demo = demo_instance(folder, port, tile_server())
    base = f"http://127.0.0.1:{port}"
    visit, trail = demo["visit"]["id"], demo["visit"]["trail_id"]
    user = {u["role"]: u for u in demo["users"]}
    journeys = [  # (profile, how it gets there, [(page, path, reset storage before each run)])
        ("student", None, [("join screen", f"/j/{demo['join_code']}", True)]),
        (
            "student",
            ("/j/" + demo["join_code"], join("Die Füchse")),
            [("trail overview", "/play/trail", False)],
        ),
        (
            "educator",
            ("/login", login(user["educator"]["email"], user["educator"]["password"])),
            [("trail list", "/author", False), ("trail editor", f"/author/trails/{trail}", False)],
        ),
        (
            "teacher",
            ("/login", login(user["teacher"]["email"], user["teacher"]["password"])),
            [
                ("visits", "/teach", False),
                ("live board", f"/teach/visits/{visit}", False),
                ("results", f"/teach/visits/{visit}/results", False),
            ],
        ),
    ]
    print(f"Lighthouse (mobile), median of {args.runs} runs a page; reports in {reports}")
    server = serve("openparcours:create_app()", port, env)
    rows = []
    try:
        play_teams(port, demo)
        with sync_playwright() as playwright, ExitStack() as browsers:
            profiles = {}
            for profile, arrival, pages in journeys:
                if profile not in profiles:
                    profiles[profile] = browsers.enter_context(chromium(f"{folder}/{profile}"))
                debug = profiles[profile]
                if arrival:
                    in_browser(playwright, debug, base + arrival[0], arrival[1])
                for label, path, reset in pages:
                    runs = [
                        audit(
                            lighthouse,
                            debug,
                            base + path,
                            reset,
                            reports / f"{label.replace(' ', '-')}-{n + 1}.json",
                        )
                        for n in range(args.runs)
                    ]
                    rows.append((label, path, runs))
                    print(f"  {label:<15} {path:<25} {row_figures(runs)}", flush=True)
    finally:
        server.terminate()
        server.wait()
    first = rows[0][2][0]
    browser = first["environment"]["hostUserAgent"].split()[-2]
    print(
        f"\nLighthouse {first['lighthouseVersion']}, {browser}, "
        f"CPU benchmark index {first['environment']['benchmarkIndex']:.0f}\n"
    )
    print("| page | path | perf | a11y | best | seo | FCP | LCP | TBT | CLS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, path, runs in rows:
        print(f"| {label} | `{path}` | " + " | ".join(table_cells(runs)) + " |")
    failed = [
        f"  {label}: {line}"
        for label, _, runs in rows
        for line in sorted({line for report in runs for line in failing(report)})
    ]
    print(
        "\nFailed audits:" if failed else "\nNo failed audit in accessibility, best practices, seo"
    )
    print("\n".join(failed))


if __name__ == "__main__":
    main()
