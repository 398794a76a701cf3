"""Benchmark: does the time of `POST /api/v1/auth/password-reset` tell whether an address has an
account? Requests for a known and an unknown address alternate, each on a new connection, to
the app served by werkzeug in a thread on a fresh SQLite database.

Run:
    .venv/bin/python benchmarks/password_reset.py [--rounds 500]

Prints the median, 10th and 90th percentile of each, and that no mail went out before the
schedule's round.
"""

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.serving import make_server

from openparcours import create_app
from openparcours.accounts.service import create_user
from openparcours.config import FIXED, config_for_tests
from openparcours.extensions import db
from openparcours.mail.models import OutboxMail

KNOWN, UNKNOWN = "anna@example.org", "niemand@example.org"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=500)
    rounds = parser.parse_args().rounds
    folder = Path(tempfile.mkdtemp())
    config = config_for_tests(folder, f"sqlite:///{folder / 'bench.sqlite3'}")
    # Room for every request: the limits are counted either way, and are not what is measured.
    config["RATELIMITS"] = {**FIXED["RATELIMITS"], "password_reset": "1000000 per hour"}
    config["RATELIMITS"]["password_reset_address"] = "1000000 per hour"
    app = create_app(config)
    with app.app_context():
        upgrade()
        create_user(KNOWN, "Anna", "x" * 12)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def ask(email: str) -> float:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
        started = time.perf_counter()
        connection.request(
            "POST",
            "/api/v1/auth/password-reset",
            json.dumps({"email": email}),
            {"Content-Type": "application/json"},
        )
        answer = connection.getresponse()
        answer.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        assert answer.status == 202, answer.status
        return elapsed

    for _ in range(30):  # warm up
        ask(KNOWN), ask(UNKNOWN)
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for _ in range(rounds):
        for email in (KNOWN, UNKNOWN):
            times[email].append(ask(email))
    server.shutdown()
    for email, label in ((KNOWN, "an account's address"), (UNKNOWN, "an unknown address")):
        deciles = statistics.quantiles(times[email], n=10)
        print(
            f"{label:22} median {statistics.median(times[email]):.2f} ms, "
            f"p10 {deciles[0]:.2f} ms, p90 {deciles[-1]:.2f} ms"
        )
    with app.app_context():
        print(f"mails queued before the schedule's round: {db.session.query(OutboxMail).count()}")


if __name__ == "__main__":
    main()
