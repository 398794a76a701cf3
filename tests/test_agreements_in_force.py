"""When an agreement is in force, and when it is active: the model's Python answer, its SQL
answer and the status shown agree for every state and date (on SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from openparcours.extensions import db
from openparcours.partnerships.models import AgreementState, AgreementVersion, status
from openparcours.partnerships.service import find_or_create_partnership

START, EARLY_END, END = date(2026, 8, 1), date(2027, 2, 1), date(2028, 8, 1)
DAY = timedelta(days=1)
DATES = {
    "before the start": START - DAY,
    "on the start": START,
    "the day before it was ended": EARLY_END - DAY,
    "the day it was ended": EARLY_END,
    "on the last day": END - DAY,
    "on the end date": END,
    "after the end": END + DAY,
}
SIGNED = {"state": AgreementState.signed, "starts_on": START}
VERSIONS = {
    "draft": {"state": AgreementState.draft, "starts_on": START, "ends_on": END},
    "proposed": {"state": AgreementState.proposed, "starts_on": START, "ends_on": END},
    "signed": SIGNED | {"ends_on": END},
    "signed, open-ended": SIGNED,
    "ended early": SIGNED | {"ends_on": END, "ended_on": EARLY_END},
    "superseded": SIGNED | {"ends_on": END, "superseded_at": datetime(2027, 1, 1, tzinfo=UTC)},
}
# The status of each version on each date, in the order of DATES.
EXPECTED = {
    "draft": ["draft"] * 7,
    "proposed": ["proposed"] * 7,
    "signed": ["signed", "active", "active", "active", "active", "ended", "ended"],
    "signed, open-ended": ["signed"] + ["active"] * 6,
    "ended early": ["signed", "active", "active", "ended", "ended", "ended", "ended"],
    "superseded": ["superseded"] * 7,
}


@pytest.fixture
def versions(make_organisation) -> dict[str, AgreementVersion]:
    partnership = find_or_create_partnership(make_organisation("school"), make_organisation())
    made = {
        name: AgreementVersion(partnership=partnership, number=number, **fields)
        for number, (name, fields) in enumerate(VERSIONS.items(), start=1)
    }
    db.session.add_all(made.values())
    db.session.commit()
    return made


def in_sql(condition) -> set[int]:
    return set(db.session.scalars(select(AgreementVersion.id).where(condition)))


@pytest.mark.parametrize("day", DATES)
def test_python_sql_and_status_agree(versions, day):
    on = DATES[day]
    column = list(DATES).index(day)
    expected = {name: statuses[column] for name, statuses in EXPECTED.items()}
    assert {name: status(v, on) for name, v in versions.items()} == expected
    in_force = {v.id for name, v in versions.items() if expected[name] in ("signed", "active")}
    active = {v.id for name, v in versions.items() if expected[name] == "active"}
    assert {v.id for v in versions.values() if v.in_force(on)} == in_force
    assert in_sql(AgreementVersion.in_force(on)) == in_force
    assert {v.id for v in versions.values() if v.active(on)} == active
    assert in_sql(AgreementVersion.active(on)) == active


@pytest.mark.parametrize("day", DATES)
def test_in_force_during_a_day_is_active_or_superseded_after_running(versions, day):
    """A day's span is covered where the version is active that day; a superseded version
    (the partnership went on under its amendment) covers the days before it was superseded."""
    on = DATES[day]
    for version in versions.values():
        version.signed_at = datetime(2026, 6, 1, tzinfo=UTC) if version.state == "signed" else None
    column = list(DATES).index(day)
    superseded_then = VERSIONS["superseded"]["superseded_at"].date()
    expected = {
        name
        for name, statuses in EXPECTED.items()
        if statuses[column] == "active" or (name == "superseded" and START <= on < superseded_then)
    }
    during = {name for name, v in versions.items() if v.in_force_during(on, on + DAY)}
    assert during == expected
