"""Requests that once broke the database: a station code typed with spaces and in lower case,
and two requests writing the same unique thing at the same moment (the later one answers 409
with the JSON error shape, never a 500: the race is made by writing the other request's row,
from a connection of its own, just before this request writes)."""

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from openparcours.extensions import db
from openparcours.organisations.models import Membership, Role
from openparcours.partnerships.models import Partnership
from openparcours.visits.models import Event, Team
from tests import factories
from tests.helpers import error_code


@contextmanager
def written_first(table, **row):
    """Before this request's first flush, another one writes `row` into `table`."""
    done = []

    def other_request(session, _context, _instances):
        if not done:
            done.append(True)
            with db.engine.begin() as connection:
                connection.execute(insert(table).values(**row))

    event.listen(Session, "before_flush", other_request)
    try:
        yield done
    finally:
        event.remove(Session, "before_flush", other_request)


def test_two_teams_taking_one_name_at_once(client, make_trail, make_organisation, make_visit):
    trail = make_trail(make_organisation("museum"), published=True, visibility="public")
    visit = make_visit(trail)
    row = {
        "visit_id": visit.id,
        "name": "Füchse",
        "name_key": "füchse",
        "token_hash": "0" * 64,
        "created_at": datetime.now(UTC),
    }
    with written_first(Team.__table__, **row) as raced:
        response = factories.join(client, visit, "Füchse")
    assert raced
    assert (response.status_code, error_code(response)) == (409, "conflict")


def test_two_admins_starting_one_partnership_at_once(make_client, make_user, make_organisation):
    school, museum = make_organisation("school"), make_organisation("museum")
    admin = make_client(make_user(roles={school: ["admin"]}))
    row = {"school_id": school.id, "institution_id": museum.id, "created_at": datetime.now(UTC)}
    with written_first(Partnership.__table__, **row) as raced:
        response = admin.post(
            "/api/v1/partnerships", {"school_id": school.id, "institution_id": museum.id}
        )
    assert raced
    assert (response.status_code, error_code(response)) == (409, "conflict")


def test_two_admins_giving_one_role_at_once(make_client, make_user, make_organisation):
    museum = make_organisation("museum")
    admin = make_client(make_user(roles={museum: ["admin"]}))
    colleague = make_user(roles={museum: ["educator"]})
    row = {"organisation_id": museum.id, "user_id": colleague.id, "role": Role.admin}
    with written_first(Membership.__table__, **row) as raced:
        response = admin.put(
            f"/api/v1/organisations/{museum.id}/members/{colleague.id}",
            {"roles": ["educator", "admin"]},
        )
    assert raced
    assert (response.status_code, error_code(response)) == (409, "conflict")


def test_a_typed_station_code_is_stored_as_the_code(
    client, make_trail, make_organisation, make_visit
):
    trail = make_trail(make_organisation("museum"), published=True, visibility="public")
    visit = make_visit(trail)
    station = trail.latest_version.content["stations"][0]
    typed = "  " + " - ".join(station["code"].lower()) + "  "  # 8 letters, 36 characters
    factories.Phone(client, visit, "Eulen").send(factories.event("checkin", station, code=typed))
    assert db.session.scalar(select(Event.code)) == station["code"]
