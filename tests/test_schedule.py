"""The app runs its own jobs: once per period, in one process of many."""

import time
from datetime import UTC, datetime, timedelta

from openparcours.core import schedule
from openparcours.visits.models import Visit


def test_a_job_is_claimed_once_per_period(app):
    every = timedelta(hours=1)
    start = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert schedule.claim("retention", every, start) is True
    assert schedule.claim("retention", every, start) is False  # another worker, same moment
    assert schedule.claim("retention", every, start + timedelta(minutes=59)) is False
    assert schedule.claim("retention", every, start + timedelta(minutes=60)) is True
    assert schedule.claim("retention", every, start + timedelta(minutes=61)) is False


def test_due_jobs_run_retention(app, make_visit):
    from openparcours.extensions import db

    due = make_visit(starts=timedelta(days=-40), ends=timedelta(days=-39), retention_days=30)
    kept = make_visit(starts=timedelta(days=-2), ends=timedelta(days=-1), retention_days=30)
    assert "retention" in schedule.run_due_jobs(app)
    assert "retention" not in schedule.run_due_jobs(app)  # not again within the hour
    db.session.expire_all()
    assert db.session.get(Visit, due.id).data_deleted_at is not None
    assert db.session.get(Visit, kept.id).data_deleted_at is None


def test_a_domain_registers_its_job_and_its_period(app):
    ran = []
    schedule.job(app, "reminders", timedelta(minutes=5), lambda: ran.append(len(ran)))
    start = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    # The other domains' jobs run too: every one of them, each in its own period.
    assert set(schedule.run_due_jobs(app, start)) == set(app.extensions["jobs"])
    assert "reminders" not in schedule.run_due_jobs(app, start + timedelta(minutes=4))
    assert "reminders" in schedule.run_due_jobs(app, start + timedelta(minutes=5))
    assert ran == [0, 1]


def test_the_schedule_starts_with_the_first_request(database_url, tmp_path, make_visit):
    """A served app runs retention by itself, without cron."""
    from openparcours import create_app
    from openparcours.config import config_for_tests
    from openparcours.extensions import db

    due = make_visit(starts=timedelta(days=-40), ends=timedelta(days=-39), retention_days=30)
    served = create_app(config_for_tests(tmp_path, database_url) | {"JOB_CHECK_SECONDS": 0.05})
    try:
        served.test_client().get("/api/v1/health")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Visit, due.id).data_deleted_at is not None:
                break
            time.sleep(0.05)
        assert db.session.get(Visit, due.id).data_deleted_at is not None
    finally:
        schedule.stop(served)
        with served.app_context():
            db.engine.dispose()
