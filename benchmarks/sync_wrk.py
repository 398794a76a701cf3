"""Benchmark: the sync endpoint under wrk, side by side with a bare endpoint in one run.

A visit of the demo trail with many teams (their tokens made here, not by joining), gunicorn
sync workers × 4 for the app and for `benchmarks/bare_app.py` (which parses the same batch and
answers the same shape), and wrk, a load generator in C, so the client is not the bottleneck.
wrk's Lua script sends fresh event ids with every request (the thread's number and a counter)
and takes the next team's token each time; the events are the demo's check-ins and right
answers, cycled to the batch's size. Every team has checked in at the trail's stations before
the run, so every event is accepted; `--history N` gives each team N check-ins more, to show
whether a sync costs more when a team has sent much already.

    .venv/bin/python benchmarks/sync_wrk.py [--teams 4000] [--history 0] [--seconds 20]
        [--connections 32] [--batches 1,10] [--postgres]

Each server gets 3 s of requests first, not measured: a worker's first requests load what it
loads once. `--postgres` runs on the local PostgreSQL (database openparcours_sync_bench, made
afresh). Afterwards the events in the database are counted against those acknowledged: each
exactly once (requests still in flight when wrk stops may add up to one batch per connection).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from flask_migrate import upgrade
from sqlalchemy import Table, func, insert, select

from openparcours import create_app
from openparcours.database import utcnow
from openparcours.demo import load_demo
from openparcours.extensions import db
from openparcours.play.service import team_name_key
from openparcours.tokens import new_token, token_hash
from openparcours.visits.models import Event, Team, Visit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/openparcours_sync_bench"

# Per wrk thread: its number (set in setup) and a counter make each event id new; the tokens
# rotate; `done` sums the acknowledged and refused events the responses name.
LUA = r"""
local tokens = {}
for line in io.lines(os.getenv("SYNC_TOKENS")) do tokens[#tokens + 1] = line end
local items = {}
for line in io.lines(os.getenv("SYNC_ITEMS")) do items[#items + 1] = line end
local batch = tonumber(os.getenv("SYNC_BATCH"))
local run = tonumber(os.getenv("SYNC_RUN"))
local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  acked = 0
  refused = 0
  failed = 0
  slot = number * 7919
end

function request()
  local events = {}
  for i = 1, batch do
    counter = counter + 1
    local id = string.format("%08x-%04x-4000-8000-%012x", run, number, counter)
    events[i] = '{"id":"' .. id .. '","at":"2026-12-07T09:00:00Z",'
      .. items[(counter % #items) + 1] .. '}'
  end
  slot = slot + 1
  local token = tokens[(slot % #tokens) + 1]
  return wrk.format("POST", "/api/v1/play/sync", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, '{"events":[' .. table.concat(events, ",") .. ']}')
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    return
  end
  local list = body:match('"acked":%[(.-)%]')
  if list then
    for _ in list:gmatch('"[^"]+"') do acked = acked + 1 end
  end
  local gone = body:match('"refused":%[(.-)%],')
  if gone and #gone > 0 then refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r, f = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("acked")
    r = r + thread:get("refused")
    f = f + thread:get("failed")
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%f,"p50":%f,"p99":%f,"socket_errors":%d,'
    .. '"acked":%d,"refused":%d,"failed":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    a, r, f))
end
"""


def prepare(database: str, folder: str, teams: int, history: int) -> tuple[list[str], list[dict]]:
    """The demo's visit with `teams` teams, each checked in at every station (and `history`
    check-ins more); their tokens and the events to cycle through."""
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": database,
            "MEDIA_DIR": f"{folder}/media",
            "JOB_CHECK_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
        demo = load_demo()
        visit = db.session.get(Visit, demo["visit"]["id"])
        stations = [s["id"] for s in visit.version.content["stations"]]
        tokens = [new_token() for _ in range(teams)]
        now = utcnow()
        checkins = len(stations) + history
        db.session.execute(
            insert(cast(Table, Team.__table__)),
            [
                {
                    "visit_id": visit.id,
                    "name": f"Team {n}",
                    "name_key": team_name_key(f"Team {n}"),
                    "players": 2,
                    "token_hash": token_hash(token),
                    "created_at": now,
                    "event_count": checkins,
                }
                for n, token in enumerate(tokens)
            ],
        )
        team_ids = db.session.scalars(select(Team.id).where(Team.visit_id == visit.id)).all()
        for team_id in team_ids:
            db.session.execute(
                insert(cast(Table, Event.__table__)),
                [
                    {
                        "event_id": f"00000000-0000-4000-8000-{n:012x}",
                        "visit_id": visit.id,
                        "team_id": team_id,
                        "type": "checkin",
                        "station_id": stations[n % len(stations)],
                        "client_at": now,
                        "received_at": now,
                        "correct": True,
                        "credit": 1.0,
                        "points": 0,
                    }
                    for n in range(checkins)
                ],
            )
        db.session.commit()
    items = [*demo["checkins"], *({"type": "answer", **a} for a in demo["answers"])]
    return tokens, items


def stored_events(database: str) -> int:
    app = create_app({"SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))


@dataclass
class Server:
    process: subprocess.Popen
    port: int


def serve(app: str, port: int, env: dict) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return Server(process, port)
        except urllib.error.HTTPError as error:  # up, only not this path
            error.close()
            return Server(process, port)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{app} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(port: int, batch: int, run: int, args, files: dict, seconds: int | None = None) -> dict:
    env = {**os.environ, **files, "SYNC_BATCH": str(batch), "SYNC_RUN": str(run)}
    output = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(args.connections),
            "--duration",
            f"{seconds or args.seconds}s",
            "--timeout",
            "10s",
            "--script",
            files["SYNC_SCRIPT"],
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=4000)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--batches", default="1,10")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    if args.postgres:
        for sql in (
            "DROP DATABASE IF EXISTS openparcours_sync_bench",
            "CREATE DATABASE openparcours_sync_bench",
        ):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        database = POSTGRES
    else:
        database = f"sqlite:///{folder}/sync.sqlite3"
    tokens, items = prepare(database, folder, args.teams, args.history)
    files = {
        "SYNC_TOKENS": f"{folder}/tokens.txt",
        "SYNC_ITEMS": f"{folder}/items.txt",
        "SYNC_SCRIPT": f"{folder}/sync.lua",
    }
    Path(files["SYNC_TOKENS"]).write_text("\n".join(tokens) + "\n")
    # One event's fields without its id and time, as JSON members, one per line.
    Path(files["SYNC_ITEMS"]).write_text(
        "".join(json.dumps(item, separators=(",", ":"))[1:-1] + "\n" for item in items)
    )
    Path(files["SYNC_SCRIPT"]).write_text(LUA)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "MEDIA_DIR": f"{folder}/media",
        "SECRET_KEY": "benchmark",
        "INSTANCE_PATH": folder,
        "PYTHONPATH": str(ROOT),
    }
    batches = [int(b) for b in args.batches.split(",")]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{backend}, {args.teams} teams with {args.history} events of history each, "
        f"{args.connections} connections, {args.seconds} s per run, gunicorn sync × 4"
    )
    before = stored_events(database)
    # The bare endpoint runs before and after the app, in turns, so a change in the machine's
    # other load shows as a difference between its two runs.
    order = ("bare", "app", "bare again")
    servers = {
        "bare": serve("benchmarks.bare_app:app", free_port(), env),
        "app": serve("openparcours:create_app()", free_port(), env),
    }
    rows: dict[int, dict] = {}
    try:
        # Each worker's first requests load what a worker loads once (not measured here).
        warm = {
            name: wrk(server.port, 1, 0, args, files, seconds=3) for name, server in servers.items()
        }
        for run, batch in enumerate(batches, start=1):
            for endpoint in order:
                port = servers[endpoint.removesuffix(" again")].port
                rows.setdefault(batch, {})[endpoint] = wrk(port, batch, run, args, files)
    finally:
        for server in servers.values():
            stop(server.process)
    acked = warm["app"]["acked"] + sum(row["app"]["acked"] for row in rows.values())
    stored = stored_events(database) - before
    print("| batch | endpoint | req/s | events/s | p50 | p99 | errors | refused |")
    print("|---|---|---|---|---|---|---|---|")
    rate = {}
    for batch, row in rows.items():
        for endpoint in order:
            result = row[endpoint]
            rate[endpoint] = result["requests"] / result["seconds"]
            print(
                f"| {batch} | {endpoint} | {rate[endpoint]:.0f} | {rate[endpoint] * batch:.0f} | "
                f"{result['p50']:.1f} ms | {result['p99']:.1f} ms | "
                f"{result['socket_errors'] + result['failed']} | {result['refused']} |"
            )
        bare = (rate["bare"] + rate["bare again"]) / 2
        print(f"batch {batch}: the app at {rate['app'] / bare:.1%} of the bare endpoint's mean")
    in_flight = args.connections * (max(batches) * len(batches) + 1)
    failed = sum(r["failed"] + r["socket_errors"] for row in rows.values() for r in row.values())
    verdict = "ok" if acked <= stored <= acked + in_flight and not failed else "MISMATCH"
    print(
        f"events acknowledged {acked}, stored {stored} (at most {in_flight} more in flight "
        f"at the end): {verdict}"
    )


if __name__ == "__main__":
    main()
