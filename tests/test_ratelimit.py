"""Limits on failures: a class or a staff room behind one school address gets in, a guesser
does not; IPv6 clients count per /64; the workers of `make run` share one budget."""

import http.client
import json
import logging
import os
import sys
import time

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from openparcours.config import FIXED
from openparcours.ratelimit import SQLiteStorage, client_key
from openparcours.trails.service import CODE_ALPHABET
from openparcours.visits.service import JOIN_CODE_LENGTH
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import error_code
from tests.servers import Server, free_port

JOIN_LIMIT = parse(FIXED["RATELIMITS"]["join"])
SCHOOL = "192.0.2.10"
CLASS_TYPOS = 25  # in 5 minutes, by 30 phones behind one school Wi-Fi address


def join(client, code: str, name: str = "Raten", address: str = SCHOOL):
    return factories.join(client, code, name, address=address)


def typo(n: int) -> str:
    """A mistyped code: 0 and 1 are in no code."""
    return f"{n:0{JOIN_CODE_LENGTH}d}"


def test_a_class_with_25_typos_in_5_minutes_joins_with_every_right_code(client, make_visit):
    code = make_visit().join_code
    assert parse(FIXED["RATELIMITS"]["join"]).get_expiry() >= 5 * 60
    assert [join(client, typo(n)).status_code for n in range(CLASS_TYPOS)] == [404] * CLASS_TYPOS
    statuses = [join(client, code, f"Team {n}").status_code for n in range(30)]
    assert statuses == [201] * 30


def test_a_guesser_is_stopped_and_then_refused_the_right_code_too(client, make_visit):
    code = make_visit().join_code
    assert {join(client, typo(n)).status_code for n in range(JOIN_LIMIT.amount)} == {404}
    refused = join(client, code)
    assert (refused.status_code, error_code(refused)) == (429, "rate_limited")
    assert 0 < int(refused.headers["Retry-After"]) <= JOIN_LIMIT.get_expiry()
    assert join(client, code, address="192.0.2.11").status_code == 201


def test_guessing_a_code_stays_hopeless():
    """A statewide morning: 5,000 visits open, one address guessing for 5 hours at the limit.
    The figure is the one written by the setting and in the README."""
    open_visits, hours = 5_000, 5
    guesses = JOIN_LIMIT.amount * hours * 3600 / JOIN_LIMIT.get_expiry()
    odds = guesses * open_visits / len(CODE_ALPHABET) ** JOIN_CODE_LENGTH
    assert odds < 1 / 50_000


def test_ipv6_clients_count_per_64_and_ipv4_per_address(client, make_visit):
    code = make_visit().join_code
    for n in range(JOIN_LIMIT.amount):  # every failure from a new address of one /64
        assert join(client, typo(n), address=f"2001:db8:0:7::{n + 1:x}").status_code == 404
    assert join(client, code, address="2001:db8:0:7:ffff::1").status_code == 429
    assert join(client, code, address="2001:db8:0:8::1").status_code == 201  # the next /64
    assert client_key("::ffff:192.0.2.10") == client_key("192.0.2.10") == "192.0.2.10"
    assert client_key("192.0.2.10") != client_key("192.0.2.11")


def test_a_staff_room_with_25_typos_logs_in(client, make_user):
    """Teachers behind one school address: each mistypes, and every right password gets in."""
    teachers = [make_user() for _ in range(CLASS_TYPOS)]

    def login(user, password):
        return client.attempt_login(user, password, SCHOOL).status_code

    assert [login(user, "falsch") for user in teachers] == [401] * CLASS_TYPOS
    assert [login(user, PASSWORD) for user in teachers] == [200] * CLASS_TYPOS


def test_an_untrusted_forwarded_for_is_ignored_and_logged_once(client, make_visit, caplog):
    code = make_visit().join_code
    with caplog.at_level(logging.WARNING, logger="openparcours"):
        for n in range(JOIN_LIMIT.amount):
            headers = {"X-Forwarded-For": f"198.51.100.{n}"}
            client.post(
                "/api/v1/play/join",
                json={"code": typo(n), "team_name": "Raten"},
                headers=headers,
                environ_base={"REMOTE_ADDR": SCHOOL},
            )
    assert join(client, code).status_code == 429  # the made-up addresses counted as one
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "TRUSTED_PROXIES" in warnings[0].getMessage()


def test_no_warning_without_forwarded_for(client, caplog):
    with caplog.at_level(logging.WARNING, logger="openparcours"):
        client.get("/api/v1/health")
    assert not [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]


def test_the_sqlite_store_is_one_budget_for_every_process(tmp_path):
    """Two storages on one file stand for two workers: what one counts, the other sees."""
    uri = f"sqlite:///{tmp_path / 'ratelimits.sqlite3'}"
    first, second = (MovingWindowRateLimiter(SQLiteStorage(uri)) for _ in range(2))
    limit = parse("3 per 5 minutes")
    assert [first.hit(limit, "join", SCHOOL) for _ in range(2)] == [True, True]
    assert second.hit(limit, "join", SCHOOL)
    assert not first.test(limit, "join", SCHOOL)
    assert not second.hit(limit, "join", SCHOOL)
    assert second.test(limit, "join", "192.0.2.11")
    start, remaining = second.get_window_stats(limit, "join", SCHOOL)
    assert remaining == 0
    assert start > 0
    fixed, per_minute = FixedWindowRateLimiter(first.storage), parse("2 per minute")
    assert [fixed.hit(per_minute, "x") for _ in range(3)] == [True, True, False]
    fixed_key = per_minute.key_for("x")
    assert second.storage.get_expiry(fixed_key) > time.time()
    assert second.storage.get(fixed_key) == 3  # the refused hit counted, as in Redis
    second.storage.clear(fixed_key)
    assert second.storage.get(fixed_key) == 0
    assert first.storage.check()
    assert first.storage.reset() == 3  # the moving window's entries
    assert first.test(limit, "join", SCHOOL)


@pytest.mark.skipif(sys.platform == "win32", reason="process groups")
def test_the_workers_of_one_server_share_one_budget(app, database_url, make_visit, tmp_path):
    """gunicorn with several workers as `make run` starts it, no RATELIMIT_STORAGE_URI: the
    failures count in the instance folder's file, whichever worker answers."""
    code = make_visit().join_code
    from openparcours.extensions import db

    db.session.remove()
    db.engine.dispose()
    env = {k: v for k, v in os.environ.items() if k != "RATELIMIT_STORAGE_URI"} | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "ratelimit",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MEDIA_DIR": str(tmp_path / "media"),
    }
    server = Server(env, free_port())
    server.start()
    try:

        def post(body: dict) -> int:
            # A new connection each time, so the workers take turns.
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            try:
                connection.request(
                    "POST",
                    "/api/v1/play/join",
                    json.dumps(body),
                    {"Content-Type": "application/json"},
                )
                with connection.getresponse() as response:
                    response.read()
                    return response.status
            finally:
                connection.close()

        statuses = [post({"code": typo(n), "team_name": "Raten"}) for n in range(JOIN_LIMIT.amount)]
        assert statuses == [404] * JOIN_LIMIT.amount
        assert post({"code": code, "team_name": "Echt"}) == 429
    finally:
        server.stop()
    assert (tmp_path / "instance" / "ratelimits.sqlite3").exists()
