"""Jobs the app runs on its own schedule, besides the CLI commands meant for cron.

Each domain registers its jobs with the app (`job`). Every app process (gunicorn worker, on
any host) starts one thread on its first request; it looks once a minute for due jobs. Before
running one, a process claims it with a conditional UPDATE of the job's row, so only one
process runs it per period.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from openparcours.core.models import JobRun
from openparcours.database import updated_rows, utcnow
from openparcours.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    run: Callable[[], None]
    every: timedelta


def job(app: Flask, name: str, every: timedelta, run: Callable[[], None]) -> None:
    """Have the app run `run` once per `every`, in one of its processes: each domain registers
    its own jobs when its blueprint is registered."""
    app.extensions.setdefault("jobs", {})[name] = Job(run, every)


def claim(name: str, every: timedelta, now: datetime | None = None) -> bool:
    """True for exactly one caller per period, in this process or any other."""
    now = now or utcnow()
    claimed = updated_rows(
        update(JobRun)
        .where(JobRun.name == name, JobRun.last_run_at <= now - every)
        .values(last_run_at=now)
    )
    if not claimed:
        if db.session.get(JobRun, name) is not None:
            db.session.rollback()
            return False
        db.session.add(JobRun(name=name, last_run_at=now))
    try:
        db.session.commit()
    except IntegrityError:  # another process made the row first, and runs the job
        db.session.rollback()
        return False
    return True


def run_due_jobs(app: Flask, now: datetime | None = None) -> list[str]:
    """Run every job whose period has passed; returns the names of those this process ran."""
    ran = []
    for name, due in app.extensions.get("jobs", {}).items():
        if claim(name, due.every, now):
            due.run()
            ran.append(name)
    return ran


def _loop(app: Flask, stopping: threading.Event) -> None:
    while not stopping.is_set():
        with app.app_context():
            try:
                run_due_jobs(app)
            except Exception as error:  # a database away for a while must not end the schedule
                log.warning("Scheduled jobs failed, trying again later: %s", error)
            finally:
                db.session.remove()
        stopping.wait(app.config["JOB_CHECK_SECONDS"])


def init_app(app: Flask) -> None:
    """Start the schedule with the first request: not in CLI commands, not when disabled."""
    if not app.config["JOB_CHECK_SECONDS"]:
        return
    stopping = threading.Event()
    threads: list[threading.Thread] = []
    lock = threading.Lock()
    app.extensions["schedule"] = (stopping, threads)

    @app.before_request
    def start_schedule() -> None:
        if threads:
            return
        with lock:
            if not threads:
                threads.append(
                    threading.Thread(
                        target=_loop, args=(app, stopping), name="schedule", daemon=True
                    )
                )
                threads[0].start()


def stop(app: Flask) -> None:
    """End the schedule's thread after its current round, and wait for it."""
    stopping, threads = app.extensions.get("schedule", (threading.Event(), []))
    stopping.set()
    for thread in threads:
        thread.join(timeout=30)
