"""Benchmark: a morning peak of school classes against gunicorn (sync workers × 4).

Teams join, download the bundle and sync batches of answers, concurrently; the same sync
requests against a bare Flask endpoint on the same setup give the ceiling. Run on SQLite and,
with --postgres, on the local PostgreSQL (database openparcours_bench, created if missing):

    .venv/bin/python benchmarks/class_load.py [--teams 300] [--concurrency 32] [--postgres]
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/openparcours_bench"


class Client:
    """One keep-alive connection per thread, as a phone keeps one to the server."""

    local = threading.local()

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body=None, headers=None):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port)
        data = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        connection.request(
            method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})}
        )
        response = connection.getresponse()
        payload = response.read()
        return response.status, payload, time.perf_counter() - started


def run(label: str, jobs, concurrency: int) -> list:
    latencies, errors, results = [], 0, []
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for status, payload, seconds in pool.map(lambda job: job(), jobs):
            latencies.append(seconds)
            errors += status >= 400
            results.append(payload)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"  {label:<34} {len(latencies) / elapsed:8.0f} req/s   p50 "
        f"{statistics.median(latencies) * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms   "
        f"errors {errors}"
    )
    return results


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    database = POSTGRES if args.postgres else f"sqlite:///{folder}/bench.sqlite3"
    if args.postgres:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "DROP DATABASE IF EXISTS openparcours_bench",
            ],
            check=True,
        )
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE openparcours_bench",
            ],
            check=True,
        )
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "MEDIA_DIR": f"{folder}/media",
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": folder,
    }
    subprocess.run(
        [str(BIN / "flask"), "--app", "openparcours", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    demo = json.loads(
        subprocess.run(
            [str(BIN / "flask"), "--app", "openparcours", "demo", "--json"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        ).stdout
    )
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{args.teams} teams, {args.batches} sync batches of {len(demo['answers'])} answers "
        f"each, {args.concurrency} concurrent clients, on {backend}"
    )
    server = serve("openparcours:create_app()", 5091, env)
    try:
        client = Client(5091)
        joined = run(
            "join",
            [
                lambda n=n: client.request(
                    "POST",
                    "/api/v1/play/join",
                    {"code": demo["join_code"], "team_name": f"Team {n}"},
                )
                for n in range(args.teams)
            ],
            args.concurrency,
        )
        tokens = [{"Authorization": f"Bearer {json.loads(p)['token']}"} for p in joined]
        run(
            "bundle",
            [lambda t=t: client.request("GET", "/api/v1/play/bundle", headers=t) for t in tokens],
            args.concurrency,
        )

        def batch(token):
            events = [
                {"id": str(uuid.uuid4()), "type": "answer", "at": "2026-11-22T09:00:00Z", **answer}
                for answer in [*demo["checkins"], *demo["answers"]]
            ]
            return lambda: client.request(
                "POST", "/api/v1/play/sync", {"events": events}, headers=token
            )

        run(
            "sync (server-scored, idempotent)",
            [batch(t) for t in tokens for _ in range(args.batches)],
            args.concurrency,
        )
    finally:
        server.terminate()
        server.wait()
    bare = serve("benchmarks.bare_app:app", 5092, env)
    try:
        client = Client(5092)
        run(
            "sync on a bare Flask endpoint",
            [batch({}) for _ in range(args.teams * args.batches)],
            args.concurrency,
        )
    finally:
        bare.terminate()
        bare.wait()


if __name__ == "__main__":
    main()
