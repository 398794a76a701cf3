"""Two gunicorn servers (separate processes, two workers each) on one database and one Redis:
failed logins and unknown join codes from one client address share one budget across all of
them, over real HTTP; successes cost nothing, so a whole class behind one address gets in."""

import http.client
import json
import os
import sys

import pytest
import redis
from limits import parse
from sqlalchemy import func, select

from openparcours.config import FIXED
from openparcours.extensions import db
from openparcours.visits.models import Team
from tests.factories import PASSWORD
from tests.servers import Server, free_port

LOGIN_LIMIT = parse(FIXED["RATELIMITS"]["login"])
JOIN_LIMIT = parse(FIXED["RATELIMITS"]["join"])
CLASS_SIZE = 30

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups")


@pytest.fixture(autouse=True)
def empty_redis(redis_url):
    """Every test starts with the whole budget."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def servers(database_url, redis_url, tmp_path_factory):
    """Two servers on the `app` fixture's database (once per backend) and the test Redis."""
    running = []
    try:
        for n in range(2):
            instance = tmp_path_factory.mktemp(f"server{n}")
            env = os.environ | {
                "DATABASE_URL": database_url,
                "RATELIMIT_STORAGE_URI": redis_url,
                "SECRET_KEY": "ratelimit",
                "INSTANCE_PATH": str(instance),
                "MEDIA_DIR": str(instance / "media"),
                "TRUSTED_PROXIES": "0",  # the default: X-Forwarded-For is not believed
            }
            running.append(Server(env, free_port()))
            running[-1].start()
        yield running
    finally:
        for server in running:
            server.stop()


def seeded() -> None:
    """What the factories made is committed; let go of the database so the servers have it."""
    db.session.remove()
    db.engine.dispose()


def post(server: Server, path: str, body: dict, source: str = "127.0.0.1", headers=None):
    """POST JSON from the address `source` (any 127.x.y.z on Linux): (status, body, headers)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            f"/api/v1{path}",
            json.dumps(body),
            {"Content-Type": "application/json"} | (headers or {}),
        )
        with connection.getresponse() as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    finally:
        connection.close()


def assert_limited(answer, window_seconds: int) -> None:
    status, body, headers = answer
    assert (status, body["code"]) == (429, "rate_limited")
    assert 0 < int(headers["Retry-After"]) <= window_seconds


def test_failed_logins_share_one_budget_across_servers(app, servers, make_user):
    email = make_user().email
    seeded()
    window = LOGIN_LIMIT.get_expiry()
    # Alternating servers, and a different X-Forwarded-For each time: without a trusted proxy
    # the header is ignored, so a guesser cannot make up addresses.
    answers = [
        post(
            servers[n % 2],
            "/auth/login",
            {"email": email, "password": f"guess {n}"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        for n in range(LOGIN_LIMIT.amount)
    ]
    assert [status for status, _, _ in answers] == [401] * LOGIN_LIMIT.amount
    assert {body["code"] for _, body, _ in answers} == {"invalid_credentials"}
    assert_limited(
        post(servers[0], "/auth/login", {"email": email, "password": "one more"}), window
    )
    # Once limited, the right password is refused as well, on either server.
    for server in servers:
        assert_limited(post(server, "/auth/login", {"email": email, "password": PASSWORD}), window)
    # The budget belongs to the address, not to the account: elsewhere the person logs in.
    status, body, _ = post(
        servers[1], "/auth/login", {"email": email, "password": PASSWORD}, "127.0.0.2"
    )
    assert (status, body["email"]) == (200, email)


def test_unknown_join_codes_share_one_budget_across_servers(app, servers, make_visit):
    code = make_visit().join_code
    seeded()
    window = JOIN_LIMIT.get_expiry()
    guesses = [f"{n:06d}" for n in range(JOIN_LIMIT.amount + 1)]  # 0 and 1 are in no code
    assert code not in guesses
    answers = [
        post(servers[n % 2], "/play/join", {"code": guess, "team_name": "Raten"})
        for n, guess in enumerate(guesses)
    ]
    assert [status for status, _, _ in answers[:-1]] == [404] * JOIN_LIMIT.amount
    assert {body["code"] for _, body, _ in answers[:-1]} == {"unknown_code"}
    assert_limited(answers[-1], window)
    for server in servers:  # the right code too, now
        assert_limited(post(server, "/play/join", {"code": code, "team_name": "Echt"}), window)
    status, _, _ = post(servers[0], "/play/join", {"code": code, "team_name": "Echt"}, "127.0.0.2")
    assert status == 201


def test_a_class_behind_one_address_is_not_limited(app, servers, make_visit):
    visit = make_visit()
    code, visit_id = visit.join_code, visit.id
    seeded()
    statuses = [
        post(servers[n % 2], "/play/join", {"code": code, "team_name": f"Team {n + 1}"})[0]
        for n in range(CLASS_SIZE)
    ]
    assert statuses == [201] * CLASS_SIZE  # more than the join limit, all from 127.0.0.1
    assert (
        db.session.scalar(select(func.count()).select_from(Team).where(Team.visit_id == visit_id))
        == CLASS_SIZE
    )
    # The joins cost nothing: the whole budget of failures is still there.
    statuses = [
        post(servers[n % 2], "/play/join", {"code": f"{n:06d}", "team_name": "Raten"})[0]
        for n in range(JOIN_LIMIT.amount + 1)
    ]
    assert statuses == [404] * JOIN_LIMIT.amount + [429]
