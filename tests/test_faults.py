"""The server is killed (SIGKILL) in the middle of a burst of syncs from many teams and started
again: every event the server acknowledged is stored, every event is stored once, and the
phones' retries deliver the rest. Real gunicorn processes on a real SQLite file."""

import os
import sys
import time
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from openparcours import create_app
from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind
from openparcours.trails.models import Checkin, Station, Trail, TrailVersion, Visibility
from openparcours.trails.publishing import snapshot
from openparcours.trails.service import new_station_code
from openparcours.visits.models import Event, Visit
from tests.servers import Phone, Server, free_port, post

TEAMS, BATCHES, PER_BATCH = 16, 8, 5


def open_visit_of_one_qr_station() -> tuple[str, dict]:
    museum = Organisation(name="Museum", slug="museum", kind=OrganisationKind.museum)
    trail = Trail(organisation=museum, title="Unter Tage", visibility=Visibility.public)
    trail.stations.append(
        Station(position=0, title="Schacht", code=new_station_code(), checkin=Checkin.qr)
    )
    db.session.add(trail)
    db.session.flush()
    version = TrailVersion(trail=trail, number=1, content=snapshot(trail))
    now = utcnow()
    visit = Visit(
        trail=trail,
        version=version,
        class_label="7b",
        join_code="FAULTS",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    db.session.add(visit)
    db.session.commit()
    return visit.join_code, version.content["stations"][0]


@pytest.mark.skipif(sys.platform == "win32", reason="process groups")
def test_killed_in_a_burst_and_started_again(tmp_path):
    database = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    env = os.environ | {
        "DATABASE_URL": database,
        "MEDIA_DIR": str(tmp_path / "media"),
        "SECRET_KEY": "faults",
        "INSTANCE_PATH": str(tmp_path),
    }
    app = create_app(
        {
            "SECRET_KEY": "faults",
            "SQLALCHEMY_DATABASE_URI": database,
            "MEDIA_DIR": str(tmp_path / "media"),
            "JOB_CHECK_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
        code, station = open_visit_of_one_qr_station()
        db.engine.dispose()  # the servers have the file to themselves

    server = Server(env, free_port())
    server.start()
    phones = [
        Phone(
            server.url,
            post(server.url, "/play/join", {"code": code, "team_name": f"T{n}"})["token"],
            station,
            BATCHES * PER_BATCH,
            PER_BATCH,
        )
        for n in range(TEAMS)
    ]
    for phone in phones:
        phone.start()
    total = TEAMS * BATCHES * PER_BATCH
    deadline = time.monotonic() + 30
    while sum(len(phone.acked) for phone in phones) < total // 5:  # well into the burst
        assert time.monotonic() < deadline, "the burst did not get going"
        time.sleep(0.01)
    server.kill()
    stored_before = sum(len(p.acked) for p in phones)
    time.sleep(1)
    server.start()
    for phone in phones:
        phone.join(timeout=120)
    server.kill()

    # An acknowledged event has left its phone's outbox and is never sent again: had the
    # kill lost one, it would be missing below.
    assert all(not phone.outbox for phone in phones), "the retries delivered everything"
    assert sum(phone.failures for phone in phones) > 0, "the kill hit requests in flight"
    assert 0 < stored_before < total
    with app.app_context():
        stored = [row for row in db.session.execute(select(Event.team_id, Event.event_id))]
        db.engine.dispose()
    ids = [event_id for _, event_id in stored]
    assert len(ids) == len(set(ids)) == total  # each exactly once
    assert set(ids) == {event_id for phone in phones for event_id in phone.sent}
