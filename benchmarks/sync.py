"""Benchmark: the cost of one sync inside the app, without gunicorn, sockets or a load
generator on the same two cores, whose noise hides changes of a few per cent.

60 teams join the demo visit and each sends 12 batches of the demo's check-ins and 4 right
answers through the Flask test client, on SQLite in a temporary folder:

    .venv/bin/python benchmarks/sync.py [--rounds 5] [--profile]

Prints the milliseconds per sync of each round (a fresh database each) and the best of them;
with --profile, one round under cProfile and its functions by their own time and in all.
"""

import argparse
import cProfile
import pstats
import tempfile
import time
import uuid
from datetime import UTC, datetime

from flask_migrate import upgrade

from openparcours import create_app
from openparcours.demo import load_demo

TEAMS, BATCHES = 60, 12


def one_round(profile: cProfile.Profile | None = None) -> float:
    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/sync.sqlite3",
            "MEDIA_DIR": f"{folder}/media",
            "PUBLIC_URL": "http://127.0.0.1:5000",
            "JOB_CHECK_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
        demo = load_demo()
    client = app.test_client()
    tokens = [
        client.post(
            "/api/v1/play/join", json={"code": demo["join_code"], "team_name": f"Team {n}"}
        ).json["token"]
        for n in range(TEAMS)
    ]
    now = datetime.now(UTC).isoformat()

    def batch() -> dict:
        events = [*demo["checkins"], *demo["answers"][:4]]
        return {
            "events": [{"id": str(uuid.uuid4()), "type": "answer", "at": now} | e for e in events]
        }

    syncs = [
        ({"Authorization": f"Bearer {token}"}, batch()) for token in tokens for _ in range(BATCHES)
    ]
    started = time.perf_counter()
    if profile:
        profile.enable()
    for headers, body in syncs:
        response = client.post("/api/v1/play/sync", json=body, headers=headers)
        assert response.status_code == 200, response.json
        assert not response.json["refused"], response.json
    if profile:
        profile.disable()
    return (time.perf_counter() - started) / len(syncs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profile = cProfile.Profile()
        print(f"{one_round(profile):.2f} ms per sync under the profiler")
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(60)
        return
    times = [one_round() for _ in range(args.rounds)]
    print("ms per sync:", " ".join(f"{t:.2f}" for t in times))
    print(
        f"best of {args.rounds}: {min(times):.2f} ms per sync ({TEAMS} teams × {BATCHES} batches)"
    )


if __name__ == "__main__":
    main()
