"""A teacher's messages to the phones: to every team or one; delivered with the next sync,
also after a phone was offline; read once; deleted with the visit's data."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from openparcours.extensions import db
from openparcours.visits import retention
from openparcours.visits.messages import MAX_MESSAGES_PER_VISIT
from openparcours.visits.models import VisitMessage
from tests.factories import Phone
from tests.helpers import error_code, field_errors


@pytest.fixture
def teacher(make_user, make_organisation):
    return make_user(roles={make_organisation("school"): ["teacher"]})


@pytest.fixture
def visit(make_visit, make_trail, teacher):
    visit = make_visit(make_trail(stations=2, published=True, checkin="none"))
    visit.opened_by_id = teacher.id
    visit.school_id = teacher.memberships[0].organisation_id
    db.session.commit()
    return visit


@pytest.fixture
def staff(make_client, teacher):
    return make_client(teacher)


def send(staff, visit, text="In 10 Minuten am Eingang!", **fields):
    return staff.post(f"/api/v1/visits/{visit.id}/messages", {"text": text} | fields)


def read(phone, up_to: int):
    response = phone.client.post(
        "/api/v1/play/sync", {"events": [], "messages_read": up_to}, headers=phone.headers
    )
    assert response.status_code == 200, response.json
    return response.json


def test_a_message_to_every_team_reaches_each_phone_until_it_is_read(client, staff, visit):
    blue, red = Phone(client, visit, "Blau"), Phone(client, visit, "Rot")
    assert blue.sync().json["messages"] == []
    sent = send(staff, visit, "  In 10 Minuten am Eingang!  ")
    assert sent.status_code == 201, sent.json
    assert sent.json["text"] == "In 10 Minuten am Eingang!"
    assert sent.json["team"] is None
    assert {team["name"] for team in sent.json["unread"]} == {"Blau", "Rot"}

    # Offline or not: every sync brings it until the phone says the team has read it.
    for _ in range(2):
        messages = blue.sync().json["messages"]
        assert [(m["id"], m["text"], m["to_team"]) for m in messages] == [
            (sent.json["id"], "In 10 Minuten am Eingang!", False)
        ]
    assert read(blue, sent.json["id"])["messages"] == []
    assert blue.sync().json["messages"] == []
    assert red.sync().json["messages"][0]["id"] == sent.json["id"]

    listed = staff.get(f"/api/v1/visits/{visit.id}/messages").json
    assert [team["name"] for team in listed[0]["unread"]] == ["Rot"]
    board = {t["name"]: t for t in staff.get(f"/api/v1/visits/{visit.id}/live").json["teams"]}
    assert board["Blau"]["read_last_message"] is True
    assert board["Rot"]["read_last_message"] is False


def test_a_message_to_one_team_goes_to_it_alone(client, staff, visit):
    blue, red = Phone(client, visit, "Blau"), Phone(client, visit, "Rot")
    sent = send(staff, visit, "Blau, kommt bitte zu Station 4.", team_id=blue.team["id"])
    assert sent.json["team"]["name"] == "Blau"
    assert [team["name"] for team in sent.json["unread"]] == ["Blau"]
    assert blue.sync().json["messages"][0]["to_team"] is True
    assert red.sync().json["messages"] == []
    board = {t["name"]: t for t in staff.get(f"/api/v1/visits/{visit.id}/live").json["teams"]}
    assert board["Blau"]["read_last_message"] is False
    assert board["Rot"]["read_last_message"] is None  # nothing went to it


def test_messages_come_oldest_first_and_reading_the_last_reads_all(client, staff, visit):
    phone = Phone(client, visit)
    ids = [send(staff, visit, text).json["id"] for text in ("Erste", "Zweite", "Dritte")]
    assert [m["text"] for m in phone.sync().json["messages"]] == ["Erste", "Zweite", "Dritte"]
    assert [m["text"] for m in read(phone, ids[0])["messages"]] == ["Zweite", "Dritte"]
    assert read(phone, ids[2])["messages"] == []
    # Reading back does not unread.
    assert read(phone, ids[0])["messages"] == []


def test_a_phone_cannot_mark_later_messages_read_in_advance(client, staff, visit):
    phone = Phone(client, visit)
    first = send(staff, visit, "Erste").json["id"]
    read(phone, first + 1000)
    later = send(staff, visit, "Zweite").json
    assert [m["id"] for m in phone.sync().json["messages"]] == [later["id"]]


def test_the_live_board_changes_its_etag_when_a_team_reads(client, staff, visit):
    phone = Phone(client, visit)
    sent = send(staff, visit).json
    live = f"/api/v1/visits/{visit.id}/live"
    etag = {"If-None-Match": staff.get(live).headers["ETag"]}
    assert staff.get(live, headers=etag).status_code == 304
    read(phone, sent["id"])
    after = staff.get(live, headers=etag)
    assert after.status_code == 200


def test_the_sync_answer_carries_the_server_clock(client, visit):
    before = datetime.now(UTC)
    answer = Phone(client, visit).sync().json
    at = datetime.fromisoformat(answer["server_time"])
    assert before - timedelta(seconds=1) <= at <= datetime.now(UTC) + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"text": 5}, "text"),
        ({}, "text"),
        ({"text": "Hallo", "team_id": "blau"}, "team_id"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_sent(staff, visit, body, field):
    response = staff.post(f"/api/v1/visits/{visit.id}/messages", body)
    assert response.status_code == 422
    assert field in field_errors(response)
    assert db.session.scalar(select(func.count()).select_from(VisitMessage)) == 0


def test_a_team_of_another_visit_is_unknown(client, staff, visit, make_visit):
    stranger = Phone(client, make_visit(), "Fremd")
    response = send(staff, visit, team_id=stranger.team["id"])
    assert response.status_code == 422
    assert error_code(response) == "unknown_team"
    assert stranger.sync().json["messages"] == []


def test_an_over_visit_takes_no_messages(staff, visit, app):
    visit.ends_at = datetime.now(UTC) - app.config["SYNC_GRACE"] - timedelta(minutes=1)
    db.session.commit()
    response = send(staff, visit)
    assert response.status_code == 409
    assert error_code(response) == "visit_closed"


def test_a_visit_has_its_share_of_messages(staff, visit, monkeypatch):
    monkeypatch.setattr("openparcours.visits.messages.MAX_MESSAGES_PER_VISIT", 2)
    assert send(staff, visit, "Eins").status_code == 201
    assert send(staff, visit, "Zwei").status_code == 201
    response = send(staff, visit, "Drei")
    assert response.status_code == 409
    assert error_code(response) == "too_many_messages"
    assert response.json["params"] == {"max": 2}
    assert MAX_MESSAGES_PER_VISIT >= 50  # a school day's worth


def test_messages_go_with_the_visit_data(client, staff, visit):
    phone = Phone(client, visit)
    send(staff, visit)
    send(staff, visit, "Nur Blau", team_id=phone.team["id"])
    retention.delete_data(visit)
    assert db.session.scalar(select(func.count()).select_from(VisitMessage)) == 0
    assert staff.get(f"/api/v1/visits/{visit.id}/messages").json == []


def test_the_sync_costs_no_query_more_while_nothing_is_unread(client, staff, visit, count_queries):
    phone = Phone(client, visit)
    with count_queries() as before:
        phone.sync()
    sent = send(staff, visit).json
    read(phone, sent["id"])
    with count_queries() as after:
        phone.sync()
    assert len(after) == len(before)


def test_a_team_that_joins_later_does_not_get_what_was_said_before(client, staff, visit):
    early = Phone(client, visit, "Früh")
    sent = send(staff, visit, "Alle zum Eingang!").json
    late = Phone(client, visit, "Spät")
    assert late.sync().json["messages"] == []
    assert [m["text"] for m in early.sync().json["messages"]] == ["Alle zum Eingang!"]
    listed = staff.get(f"/api/v1/visits/{visit.id}/messages").json
    assert [team["name"] for team in listed[0]["unread"]] == ["Früh"]
    board = {t["name"]: t for t in staff.get(f"/api/v1/visits/{visit.id}/live").json["teams"]}
    assert board["Spät"]["read_last_message"] is None
    assert board["Früh"]["read_last_message"] is False
    later = send(staff, visit, "Jetzt alle!").json
    assert [m["id"] for m in late.sync().json["messages"]] == [later["id"]]
    assert sent["id"] < later["id"]
