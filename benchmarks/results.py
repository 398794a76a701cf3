"""Benchmark: a visit's results (30 teams × 40 tasks) and a trail's statistics, with a million
events stored.

Run:
    .venv/bin/python benchmarks/results.py              # SQLite in a temporary folder
    .venv/bin/python benchmarks/results.py --postgres   # local PostgreSQL, database
                                                        # openparcours_bench (made afresh)

Prints the median of 5 requests through the app (session login, JSON), each after the first.
"""

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, text

from openparcours import create_app
from openparcours.accounts.service import create_user
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind
from openparcours.tasks.registry import validate_task
from openparcours.trails.models import Checkin, Station, Task, Trail, TrailVersion
from openparcours.trails.publishing import snapshot
from openparcours.trails.service import new_station_code
from openparcours.visits.models import Event, Team, Visit

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/openparcours_bench"
ROUNDS = 5
TASKS = [
    {
        "type": "single_choice",
        "prompt": "Welche Antwort stimmt?",
        "points": 10,
        "max_attempts": 2,
        "definition": {
            "options": [{"id": "a", "text": "diese"}, {"id": "b", "text": "jene"}],
            "correct": "a",
        },
    },
    {
        "type": "free_text",
        "prompt": "Wie heißt das?",
        "points": 10,
        "hints": [{"text": "Es ist hoch.", "cost": 2}],
        "definition": {"accepted": ["Förderturm"], "typo_tolerance": True},
    },
    {"type": "photo", "prompt": "Fotografiert es.", "points": 10, "definition": {}},
    {"type": "number", "prompt": "Wie tief?", "points": 10, "definition": {"value": 1000}},
]


def fresh_postgres() -> None:
    engine = create_engine(POSTGRES.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS openparcours_bench"))
        connection.execute(text("CREATE DATABASE openparcours_bench"))
    engine.dispose()


def trail_of(museum: Organisation, stations: int) -> Trail:
    trail = Trail(organisation=museum, title="Benchmark")
    for position in range(stations):
        station = Station(
            position=position,
            title=f"Station {position + 1}",
            code=new_station_code(),
            checkin=Checkin.qr,
        )
        station.tasks = [Task(position=n, **validate_task(t)) for n, t in enumerate(TASKS)]
        trail.stations.append(station)
    db.session.add(trail)
    db.session.flush()
    db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
    db.session.commit()
    return trail


def play(trail: Trail, teams: int, start: datetime, rng: random.Random) -> int:
    """A visit of `teams` teams that each check in everywhere, answer every task (a third of
    them twice) and take a hint now and then; returns the number of events stored."""
    visit = Visit(
        trail=trail,
        version=trail.latest_version,
        class_label="7b",
        join_code="BENCH1",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        closed_at=start,
    )
    db.session.add(visit)
    db.session.flush()
    team_rows = [
        {
            "visit_id": visit.id,
            "name": f"Team {n}",
            "name_key": f"team {n}",
            "players": 3,
            "token_hash": uuid.uuid4().hex + uuid.uuid4().hex,
        }
        for n in range(teams)
    ]
    team_ids = [row.id for row in db.session.execute(insert(Team).returning(Team.id), team_rows)]
    events = [e for team_id in team_ids for e in team_events(visit, team_id, start, rng)]
    for chunk in range(0, len(events), 20_000):
        db.session.execute(insert(Event), events[chunk : chunk + 20_000])
    db.session.commit()
    return len(events)


def team_events(visit: Visit, team_id: int, start: datetime, rng: random.Random) -> list[dict]:
    events, at = [], start

    def add(station: dict, kind: str, task: dict | None = None, **fields) -> None:
        nonlocal at
        at += timedelta(seconds=30)
        events.append(
            {
                "event_id": str(uuid.uuid4()),
                "visit_id": visit.id,
                "team_id": team_id,
                "station_id": station["id"],
                "task_id": task and task["id"],
                "type": kind,
                "answer": None,
                "correct": None,
                "credit": 0.0,
                "points": 0,
                "client_at": at,
                "received_at": at,
            }
            | fields
        )

    for station in visit.version.content["stations"]:
        add(station, "checkin", correct=True, credit=1.0)
        for task in station["tasks"]:
            if rng.random() < 0.2:
                add(station, "hint", task)
            photo = task["type"] == "photo"
            if not photo and rng.random() < 0.33:
                add(station, "answer", task, answer="b", correct=False)
            answer = {"photo": {"media_id": 1}, "free_text": "Förderturm"}.get(task["type"], "a")
            add(
                station,
                "answer",
                task,
                answer=answer,
                correct=None if photo else True,
                credit=1.0,
                points=0 if photo else 10,
            )
    return events


def median_ms(request) -> float:
    request()  # the first reads the played version into the process's cache
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = request()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.json
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    if args.postgres:
        fresh_postgres()
    database = POSTGRES if args.postgres else f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database,
            "MEDIA_DIR": f"{folder}/media",
            "JOB_CHECK_SECONDS": 0,
        }
    )
    rng = random.Random(7)
    with app.app_context():
        upgrade()
        museum = Organisation(name="Museum", slug="museum", kind=OrganisationKind.museum)
        trail, other = trail_of(museum, 10), trail_of(museum, 10)
        admin = create_user("bench@example.org", "Bench", "benchmark-password", is_site_admin=True)
        db.session.commit()
        started = time.perf_counter()
        stored = play(trail, 30, datetime(2026, 11, 2, 9, tzinfo=UTC), rng)
        target = db.session.scalar(text("SELECT max(id) FROM visits"))
        day = 0
        while stored < args.events:  # other classes' visits, half of them of the same trail
            day += 1
            start = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(hours=day)
            stored += play(trail if day % 2 else other, 30, start, rng)
        print(
            f"stored {stored} events in {day + 1} visits in {time.perf_counter() - started:.0f} s"
        )
        trail_id, admin_email = trail.id, admin.email
    client = app.test_client()
    client.post("/api/v1/auth/login", json={"email": admin_email, "password": "benchmark-password"})
    backend = "PostgreSQL" if args.postgres else "SQLite"
    results = median_ms(lambda: client.get(f"/api/v1/visits/{target}/results"))
    print(f"{backend}: results of 30 teams × 40 tasks: {results:.0f} ms (median of {ROUNDS})")
    xlsx = median_ms(lambda: client.get(f"/api/v1/visits/{target}/results.xlsx"))
    print(f"{backend}: the same as XLSX: {xlsx:.0f} ms")
    figures = median_ms(lambda: client.get(f"/api/v1/trails/{trail_id}/statistics"))
    print(f"{backend}: statistics of the trail over {day // 2 + 1} visits: {figures:.0f} ms")


if __name__ == "__main__":
    main()
