"""Calendar days are German days: at 23:30 UTC it is already tomorrow in Bochum (00:30 in
winter, 01:30 in summer), and agreements, reminders, school years and "today" say so."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from openparcours import database
from openparcours.extensions import db
from openparcours.partnerships import reports
from openparcours.partnerships.models import (
    AgreementState,
    AgreementVersion,
    agreements_in_force,
    status,
    warnings,
)

# 23:30 UTC on the evening before: summer time (UTC+2) and winter time (UTC+1).
EVENINGS = {
    "summer": (datetime(2026, 7, 14, 23, 30, tzinfo=UTC), date(2026, 7, 15)),
    "winter": (datetime(2026, 1, 14, 23, 30, tzinfo=UTC), date(2026, 1, 15)),
}


@pytest.fixture(params=sorted(EVENINGS))
def evening(request, app, monkeypatch):
    """The clock at 23:30 UTC; gives the German day it is."""
    moment, german_day = EVENINGS[request.param]
    monkeypatch.setattr(database, "utcnow", lambda: moment)
    return german_day


def signed(**dates) -> AgreementVersion:
    return AgreementVersion(state=AgreementState.signed, number=1, content={}, **dates)


def test_today_is_the_german_day(evening):
    assert database.local_today() == evening


def test_an_agreement_starts_and_ends_on_german_days(evening):
    assert status(signed(starts_on=evening)) == "active"
    assert status(signed(starts_on=date(2025, 1, 1), ends_on=evening)) == "ended"
    ended_early = signed(starts_on=date(2025, 1, 1), ended_on=evening)
    assert status(ended_early) == "ended"


def test_reminders_come_on_german_days(evening):
    version = signed(starts_on=date(2025, 1, 1), review_on=evening)
    assert "review_due" in warnings(version)


def test_partners_are_partners_until_the_german_day_their_agreement_ends(
    evening, make_organisation, make_partnership
):
    school, museum = make_organisation("school"), make_organisation("museum")
    make_partnership(school, museum)
    partnership_version = db.session.scalar(select(AgreementVersion))
    partnership_version.ended_on = evening
    db.session.commit()
    assert db.session.execute(agreements_in_force()).all() == []


def test_the_school_year_begins_on_the_german_first_of_august(app, monkeypatch):
    monkeypatch.setattr(database, "utcnow", lambda: datetime(2026, 7, 31, 22, 30, tzinfo=UTC))
    assert reports.current_school_year() == 2026  # 00:30 on 1 August in Bochum
