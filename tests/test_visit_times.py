"""When a visit has started, is over and accepts events: the cases the PWA is tested with too."""

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from openparcours.extensions import db
from openparcours.visits.models import Visit

TABLE = json.loads((Path(__file__).parent / "cases" / "visit_times.json").read_text())


def at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def test_the_cases_assume_the_configured_grace(app):
    assert app.config["SYNC_GRACE"] == timedelta(hours=TABLE["sync_grace_hours"])


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda case: case["name"])
def test_a_visits_time_rules(app, make_trail, case):
    trail = make_trail(published=True)
    visit = Visit(
        trail=trail,
        version=trail.latest_version,
        class_label="7b",
        join_code="ABCDEFGH",
        starts_at=at(case["starts_at"]),
        ends_at=at(case["ends_at"]),
        closed_at=at(case["closed_at"]),
    )
    now = at(case["now"])
    assert visit.has_started(now) is case["started"]
    assert visit.is_over(now) is case["over"]
    assert visit.accepts_events(now) is case["accepts_events"]
    db.session.add(visit)
    db.session.commit()
    over = select(Visit.id).where(Visit.id == visit.id, Visit.is_over(now))
    assert (db.session.scalar(over) is not None) is case["over"]  # the same rule in SQL
