"""With Redis as the limit store, two app processes share one budget of failed logins."""

import os

import pytest
import redis

from server import create_app
from server.config import config_for_tests
from server.extensions import db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def test_failed_logins_count_across_app_processes(app, make_user, redis_url, tmp_path):
    user = make_user()
    apps = [
        create_app(
            config_for_tests(tmp_path / str(n), app.config["SQLALCHEMY_DATABASE_URI"])
            | {"RATELIMIT_STORAGE_URI": redis_url}
        )
        for n in range(2)
    ]
    clients = [a.test_client() for a in apps]
    statuses = [
        clients[n % 2]
        .post("/api/v1/auth/login", json={"email": user.email, "password": "wrong"})
        .status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    for a in apps:
        with a.app_context():
            db.engine.dispose()
