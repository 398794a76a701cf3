"""Two app hosts behind nginx, with docs/deploy/nginx.conf as it stands but for its ports,
paths and certificate: a class plays over HTTPS, the headers arrive as the app and the proxy
mean them, and an app server killed in the middle of the morning loses no acknowledged event,
the syncs going on to the other host. Two gunicorn servers with their own instance folders
share PostgreSQL, Redis and an S3 bucket for the media files (SeaweedFS)."""

import contextlib
import getpass
import gzip
import http.client
import json
import os
import re
import socket
import ssl
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis
from limits import parse
from sqlalchemy import select

from openparcours.config import FIXED, PROJECT_ROOT
from openparcours.extensions import db
from openparcours.visits.models import Event
from tests.factories import PASSWORD, event, png
from tests.mail_server import make_certificate
from tests.s3_server import s3_env
from tests.servers import NGINX, Nginx, Phone, Server, free_port, post

DEPLOY_CONFIG = PROJECT_ROOT / "docs" / "deploy" / "nginx.conf"
DIST = PROJECT_ROOT / "pwa" / "dist"
TEAMS, BATCHES, PER_BATCH = 16, 8, 5
JSON = {"Content-Type": "application/json"}


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (the two-host test must run in CI)")
    pytest.skip(reason)


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups")


def shared_media(s3_server) -> dict:
    """What the app servers need in their environment to share one store of media files: a
    bucket of the tests' S3 server, as a deployment of several hosts has."""
    return s3_env(s3_server, s3_server.new_bucket())


def empty_counters(redis_url: str) -> None:
    """Every budget of failures whole again."""
    with contextlib.closing(redis.Redis.from_url(redis_url)) as client:
        client.flushdb()


def nginx_config(folder: Path, port: int, plain_port: int, upstreams, certificate) -> str:
    """The deployment's file with this test's ports, folders and certificate."""
    text = DEPLOY_CONFIG.read_text()
    cert, key = certificate
    for old, new in {
        "user www-data;": f"user {getpass.getuser()};",
        "pid /run/nginx.pid;": f"pid {folder}/nginx.pid;",
        "/var/log/nginx/": f"{folder}/",
        "/var/lib/nginx/": f"{folder}/",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{plain_port};",
        "listen [::]:80;": "",
        "10.0.0.11:8000": f"127.0.0.1:{upstreams[0].port}",
        "10.0.0.12:8000": f"127.0.0.1:{upstreams[1].port}",
        "/etc/ssl/certs/parcours.example.org.pem": str(cert),
        "/etc/ssl/private/parcours.example.org.key": str(key),
    }.items():
        assert old in text, f"{DEPLOY_CONFIG.name} no longer has {old!r}"
        text = text.replace(old, new)
    return text


class Site:
    """nginx on `port` (and `plain_port` for http://) in front of the app servers `hosts`."""

    def __init__(self, nginx: Nginx, port: int, plain_port: int, hosts: list[Server], cafile):
        self.nginx, self.port, self.plain_port, self.hosts = nginx, port, plain_port, hosts
        self.cafile = str(cafile)
        self.tls = ssl.create_default_context(cafile=self.cafile)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body=None, headers=None, source="127.0.0.1"):
        """One request on a new connection from `source` (any 127.x.y.z): status, headers
        and the body as it came over the wire."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=10, context=self.tls, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body, headers or {})
            with connection.getresponse() as response:
                return response.status, response.headers, response.read()
        finally:
            connection.close()

    def served_by(self, path: str) -> list[list[str]]:
        """For each logged request of `path`, the app servers nginx tried, in order."""
        lines = (self.nginx.folder / "access.log").read_text().splitlines()
        return [
            re.search(r" upstream=(.+) status=", line)[1].split(", ")
            for line in lines
            if f" {path} HTTP/" in line
        ]


@pytest.fixture(scope="module")
def postgres_url(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("app hosts share PostgreSQL")
    return database_url


@pytest.fixture(scope="module")
def site(postgres_url, redis_url, s3_server, tmp_path_factory):
    _require(Path(NGINX).exists(), "nginx is not installed")
    _require((DIST / "index.html").is_file(), "the PWA is not built: run `make setup`")
    empty_counters(redis_url)
    folder = tmp_path_factory.mktemp("two-hosts")
    port, plain_port = free_port(), free_port()
    certificate = make_certificate(folder)
    hosts = []
    nginx = None
    media = shared_media(s3_server)
    try:
        for n in range(2):
            instance = folder / f"host{n}"
            env = os.environ | {
                "DATABASE_URL": postgres_url,
                "RATELIMIT_STORAGE_URI": redis_url,
                "SECRET_KEY": "two-hosts",  # the same on every host: one login works on all
                "INSTANCE_PATH": str(instance),
                "PUBLIC_URL": f"https://127.0.0.1:{port}",
                "TRUSTED_PROXIES": "1",
                "PWA_DIST": str(DIST),
                **media,
            }
            hosts.append(Server(env, free_port()))
            hosts[-1].start()
        nginx = Nginx(nginx_config(folder, port, plain_port, hosts, certificate), folder)
        nginx.start(port)
        yield Site(nginx, port, plain_port, hosts, certificate[0])
    finally:
        if nginx is not None:
            nginx.stop()
        for host in hosts:
            host.stop()


def seeded() -> None:
    """What the factories made is committed; let go of the database so the servers have it."""
    db.session.remove()
    db.engine.dispose()


def multipart(data: bytes, filename: str) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def login(site: Site, email: str) -> dict:
    """A staff login through nginx: the headers that carry it (session cookie, CSRF token)."""
    body = json.dumps({"email": email, "password": PASSWORD})
    status, headers, answer = site.request("POST", "/api/v1/auth/login", body, JSON)
    assert status == 200, answer
    cookie = SimpleCookie(headers["Set-Cookie"])
    (name, morsel), *_ = cookie.items()
    assert morsel["secure"], "PUBLIC_URL is https: the cookie travels over TLS only"
    return {"Cookie": f"{name}={morsel.value}", "X-CSRF-Token": json.loads(answer)["csrf_token"]}


def team_headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_tls_offers_http2_and_plain_http_goes_to_https(site):
    alpn = ssl.create_default_context(cafile=site.cafile)
    alpn.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", site.port)) as raw,
        alpn.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")

    connection = http.client.HTTPConnection("127.0.0.1", site.plain_port, timeout=5)
    connection.request("GET", "/play?code=ABC")
    with connection.getresponse() as response:
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/play?code=ABC"
    connection.close()


def test_the_build_and_the_api_carry_their_headers_through_nginx(site):
    status, headers, page = site.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-cache"  # a deploy reaches the phone at once
    assert headers["Server"] == "nginx"  # no version told, nor the app server
    page = gzip.decompress(page) if headers["Content-Encoding"] == "gzip" else page
    entry = re.search(r'src="(/assets/[^"]+\.js)"', page.decode())[1]

    status, headers, script = site.request("GET", entry, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(script) < len(gzip.decompress(script))
    _, plain, _ = site.request("GET", entry)
    assert "Content-Encoding" not in plain  # a client that cannot unpack gets it as it is

    status, headers, _ = site.request("GET", "/sw.js")
    assert (status, headers["Cache-Control"]) == (200, "no-cache")

    # Bodies up to the largest upload reach the app, which answers its own limits in JSON.
    too_much_json = json.dumps({"events": [], "padding": "x" * 2 * 2**20})
    status, headers, answer = site.request("POST", "/api/v1/play/sync", too_much_json, JSON)
    assert (status, json.loads(answer)["code"]) == (413, "payload_too_large")

    # The scheme and host of the app's own redirects are the proxy's, whatever a client
    # claims in the forwarding headers.
    forged = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example"}
    status, headers, _ = site.request("GET", "/api/v1//settings", headers=forged)
    assert (status, headers["Location"]) == (308, "https://127.0.0.1/api/v1/settings")


def test_each_client_address_has_its_own_budget_behind_the_proxy(site):
    """X-Forwarded-For: the app counts unknown join codes per phone's address, not per proxy;
    an address a client makes up itself changes nothing."""
    limit = parse(FIXED["RATELIMITS"]["join"]).amount
    empty_counters(site.hosts[0].env["RATELIMIT_STORAGE_URI"])

    def guess(source: str, n: int) -> int:
        body = json.dumps({"code": f"GUESS{n:03d}", "team_name": "Rater"})
        headers = JSON | {"X-Forwarded-For": f"203.0.113.{n % 250}"}
        return site.request("POST", "/api/v1/play/join", body, headers, source)[0]

    assert {guess("127.0.0.2", n) for n in range(limit)} == {404}
    assert guess("127.0.0.2", limit) == 429
    assert guess("127.0.0.3", limit) == 404


def test_a_class_plays_on_two_hosts(site, make_organisation, make_user, make_trail, make_visit):
    museum = make_organisation("museum")
    staff = make_user(roles={museum: ["admin"]})
    visit = make_visit(make_trail(museum, stations=2, published=True))
    museum_id, email, code = museum.id, staff.email, visit.join_code
    stations = visit.version.content["stations"]
    station, task = stations[0], stations[0]["tasks"][0]
    seeded()

    # The museum's image, uploaded on one host, is there on both.
    body, headers = multipart(png(size=(800, 600)), "schacht.png")
    status, _, answer = site.request(
        "POST", f"/api/v1/organisations/{museum_id}/media", body, headers | login(site, email)
    )
    assert status == 201, answer
    image_url = json.loads(answer)["url"]
    images = [site.request("GET", image_url) for _ in range(4)]
    assert {status for status, _, _ in images} == {200}
    assert len({image for _, _, image in images}) == 1
    assert set(images[0][1]["Cache-Control"].split(", ")) == {
        "public",
        "max-age=31536000",
        "immutable",
    }
    assert {tuple(tried) for tried in site.served_by(image_url)} == {
        (f"127.0.0.1:{host.port}",) for host in site.hosts
    }

    tokens = []
    for n in range(6):
        body = json.dumps({"code": code, "team_name": f"Team {n}"})
        status, _, answer = site.request("POST", "/api/v1/play/join", body, JSON)
        assert status == 201, answer
        tokens.append(json.loads(answer)["token"])

    for token in tokens:
        headers = team_headers(token) | {"Accept-Encoding": "gzip"}
        status, answered, bundle = site.request("GET", "/api/v1/play/bundle", headers=headers)
        assert (status, answered["Content-Encoding"]) == (200, "gzip")
        assert [s["id"] for s in json.loads(gzip.decompress(bundle))["stations"]] == [
            s["id"] for s in stations
        ]
        # The phone asks again with the ETag it got (nginx made it weak, as it compressed the
        # body): unchanged, whichever host answers.
        assert answered["ETag"].startswith('W/"')
        again = headers | {"If-None-Match": answered["ETag"]}
        assert site.request("GET", "/api/v1/play/bundle", headers=again)[0] == 304

        events = [
            event("checkin", station, code=station["code"]),
            event("answer", station, task, answer="b"),
        ]
        status, _, answer = site.request(
            "POST", "/api/v1/play/sync", json.dumps({"events": events}), JSON | team_headers(token)
        )
        assert status == 200, answer
        assert sorted(json.loads(answer)["acked"]) == sorted(e["id"] for e in events)

    # A team's photo, uploaded on the first host, read back from the second and through nginx.
    first, second = site.hosts
    body, headers = multipart(png((200, 30, 30), (320, 240)), "foto.png")
    photo = http.client.HTTPConnection("127.0.0.1", first.port, timeout=10)
    photo.request("POST", "/api/v1/play/media", body, headers | team_headers(tokens[0]))
    with photo.getresponse() as response:
        assert response.status == 201
        media_id = json.loads(response.read())["id"]
    photo.close()
    read = http.client.HTTPConnection("127.0.0.1", second.port, timeout=10)
    read.request("GET", f"/api/v1/photos/{media_id}", headers=team_headers(tokens[0]))
    with read.getresponse() as response:
        assert (response.status, response.headers["Content-Type"]) == (200, "image/webp")
        stored = response.read()
    read.close()
    status, headers, proxied = site.request(
        "GET", f"/api/v1/photos/{media_id}", headers=team_headers(tokens[0])
    )
    assert (status, proxied) == (200, stored)
    assert {"private", "no-store"} <= set(headers["Cache-Control"].split(", "))
    other = site.request("GET", f"/api/v1/photos/{media_id}", headers=team_headers(tokens[1]))
    assert other[0] == 403  # another team's phone


def test_a_host_killed_in_the_morning_loses_no_acknowledged_event(site, make_trail, make_visit):
    visit = make_visit(make_trail(stations=1, published=True))
    code, station = visit.join_code, visit.version.content["stations"][0]
    seeded()
    killed, other = site.hosts
    phones = [
        Phone(
            site.url,
            post(site.url, "/play/join", {"code": code, "team_name": f"T{n}"}, context=site.tls)[
                "token"
            ],
            station,
            BATCHES * PER_BATCH,
            PER_BATCH,
            site.tls,
        )
        for n in range(TEAMS)
    ]
    for phone in phones:
        phone.start()
    total = TEAMS * BATCHES * PER_BATCH
    deadline = time.monotonic() + 30
    while sum(len(phone.acked) for phone in phones) < total // 5:
        assert time.monotonic() < deadline, "the morning did not get going"
        time.sleep(0.01)
    killed.kill()  # SIGKILL: master and workers, requests in flight and all
    acked_before = sum(len(phone.acked) for phone in phones)
    for phone in phones:
        phone.join(timeout=120)
    killed.start()  # the next test finds two hosts again

    assert all(not phone.outbox for phone in phones), "every event was delivered"
    assert 0 < acked_before < total
    # nginx sent syncs the killed host did not answer to the other host.
    sync_path = "/api/v1/play/sync"
    retried = [tried for tried in site.served_by(sync_path) if len(tried) > 1]
    assert (f"127.0.0.1:{killed.port}", f"127.0.0.1:{other.port}") in map(tuple, retried)
    with db.engine.connect() as connection:
        ids = [row.event_id for row in connection.execute(select(Event.event_id))]
    db.engine.dispose()
    assert len(ids) == len(set(ids)) == total  # each exactly once
    assert set(ids) == {event_id for phone in phones for event_id in phone.sent}
