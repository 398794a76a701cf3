"""Release rules: authored on a station, checked by the publish check, carried in a team's
bundle, and enforced by the server for each event at its (corrected) time."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from openparcours.extensions import db
from openparcours.trails import release
from openparcours.trails.models import TrailVersion
from openparcours.trails.publishing import snapshot
from openparcours.visits.models import Team
from tests.factories import Phone, event
from tests.helpers import error_code

TABLE = json.loads((Path(__file__).parent / "cases" / "release_rules.json").read_text())


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_the_shared_cases(case):
    rule = case["rule"] and release.Resolved(
        tuple(case["rule"]["after"]),
        case["rule"]["count"],
        case["rule"]["opens_at"] and moment(case["rule"]["opens_at"]),
    )
    done = {int(station): moment(at) for station, at in case["done"].items()}
    assert release.is_open(rule, done, moment(case["at"])) is case["open"]


# --- Authoring -----------------------------------------------------------------------------


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum")


@pytest.fixture
def author(make_client, make_user, museum):
    return make_client(make_user(roles={museum: ["educator"]}))


def station_ids(trail) -> list[int]:
    return [station.id for station in trail.stations]


def set_rule(author, station_id: int, rule):
    return author.patch(f"/api/v1/stations/{station_id}", {"release": rule})


def test_an_author_sets_each_kind_of_rule(author, make_trail, museum):
    trail = make_trail(museum, stations=4, order="free")
    first, second, third, fourth = station_ids(trail)
    rules = {
        second: {"kind": "after", "station_ids": [first]},
        third: {"kind": "after", "station_ids": [first, second, first], "count": 2},
        fourth: {"kind": "clock", "time": "10:30"},
        first: {"kind": "after_join", "minutes": 15},
    }
    for station, rule in rules.items():
        response = set_rule(author, station, rule)
        assert response.status_code == 200, response.json
    kept = {s.id: s.release for s in trail.stations}
    assert kept[second] == {"kind": "after", "station_ids": [first], "count": 1}
    assert kept[third] == {"kind": "after", "station_ids": [first, second], "count": 2}
    assert kept[fourth] == {"kind": "clock", "time": "10:30"}
    assert set_rule(author, first, None).status_code == 200
    assert trail.stations[0].release is None


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"kind": "soon"}, "kind"),
        ({"kind": "after"}, "station_ids"),
        ({"kind": "after", "station_ids": []}, "station_ids"),
        ({"kind": "after", "station_ids": ["x"]}, "station_ids"),
        ({"kind": "clock", "time": "25:00"}, "time"),
        ({"kind": "clock", "time": "9:30"}, "time"),
        ({"kind": "clock", "time": "10:30", "minutes": 5}, "minutes"),
        ({"kind": "after_join", "minutes": 0}, "minutes"),
        ({"kind": "after_join", "minutes": "5"}, "minutes"),
        ("after", "_schema"),
    ],
)
def test_bad_rules_are_refused_and_nothing_changes(author, make_trail, museum, rule, field):
    trail = make_trail(museum, stations=2)
    response = set_rule(author, trail.stations[1].id, rule)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["release"], response.json
    db.session.refresh(trail.stations[1])
    assert trail.stations[1].release is None


def test_a_rule_waits_for_stations_of_its_own_trail(author, make_trail, museum):
    trail, other = make_trail(museum, stations=2), make_trail(museum, stations=1)
    own = trail.stations[1].id
    for waited in ([other.stations[0].id], [own]):
        response = set_rule(author, own, {"kind": "after", "station_ids": waited})
        assert response.status_code == 422
        assert error_code(response) == "release_unknown_station"
    too_many = {"kind": "after", "station_ids": [trail.stations[0].id], "count": 2}
    assert "count" in set_rule(author, own, too_many).json["errors"]["release"]


def test_the_publish_check_names_a_deleted_station_and_a_cycle(author, make_trail, museum):
    trail = make_trail(museum, stations=4, order="free")
    first, second, third, fourth = station_ids(trail)
    set_rule(author, first, {"kind": "after", "station_ids": [second]})
    set_rule(author, second, {"kind": "after", "station_ids": [first]})
    set_rule(author, third, {"kind": "after", "station_ids": [fourth]})
    check = author.get(f"/api/v1/trails/{trail.id}/publish-check").json
    assert [(p["code"], p["params"]["station"]) for p in check["problems"]] == [
        ("release_cycle", 1),
        ("release_cycle", 2),
    ]
    assert check["problems"][0]["path"] == "stations/0/release"
    assert check["problems"][0]["params"]["stations"] == "1, 2"
    author.delete(f"/api/v1/stations/{fourth}")
    check = author.get(f"/api/v1/trails/{trail.id}/publish-check").json
    assert {(p["code"], p["params"]["station"]) for p in check["problems"]} == {
        ("release_unknown_station", 3)
    }
    assert author.post(f"/api/v1/trails/{trail.id}/versions").status_code == 422


def test_a_fixed_order_with_a_rule_back_to_a_later_station_never_opens(make_trail, museum):
    trail = make_trail(museum, stations=3)  # fixed: 2 after 1, 3 after 2
    trail.stations[0].release = {"kind": "after", "station_ids": [trail.stations[2].id]}
    found = release.problems(snapshot(trail)["stations"], fixed_order=True)
    assert [(p.index, p.code) for p in found] == [
        (0, "release_cycle"),
        (1, "release_cycle"),
        (2, "release_cycle"),
    ]
    # Two of a group, one of which comes later: still opens.
    trail.stations[0].release = None
    trail.stations[2].release = {
        "kind": "after",
        "station_ids": [trail.stations[0].id, trail.stations[1].id],
        "count": 1,
    }
    assert release.problems(snapshot(trail)["stations"], fixed_order=True) == []


def test_a_copied_trail_waits_for_its_own_stations(author, make_trail, museum):
    trail = make_trail(museum, stations=2, order="free")
    set_rule(author, trail.stations[1].id, {"kind": "after", "station_ids": [trail.stations[0].id]})
    copy = author.post(f"/api/v1/trails/{trail.id}/duplicate").json
    waited = copy["stations"][1]["release"]["station_ids"]
    assert waited == [copy["stations"][0]["id"]]


# --- Playing -------------------------------------------------------------------------------


def published(trail):
    db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
    db.session.commit()
    return trail


def answer(station, value="b", at=None):
    return event("answer", station, station["tasks"][0], answer=value, at=at)


def test_the_bundle_carries_each_station_s_rule_for_the_team(client, make_trail, make_visit):
    trail = make_trail(stations=4, checkin="none")  # fixed order
    trail.stations[2].release = {"kind": "clock", "time": "10:30"}
    trail.stations[3].release = {"kind": "after_join", "minutes": 20}
    starts = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 9:00 in Germany
    visit = make_visit(published(trail))
    visit.starts_at, visit.ends_at = starts, starts + timedelta(days=1)
    db.session.commit()
    phone = Phone(client, visit)
    stations = client.get("/api/v1/play/bundle", headers=phone.headers).json["stations"]
    assert stations[0]["release"] is None
    assert stations[1]["release"] == {"after": [stations[0]["id"]], "count": 1, "opens_at": None}
    assert stations[2]["release"]["opens_at"] == "2026-12-07T09:30:00+00:00"  # 10:30 in Germany
    joined = db.session.scalar(db.select(Team)).created_at
    assert moment(stations[3]["release"]["opens_at"]) == joined + timedelta(minutes=20)


def test_the_server_refuses_events_at_a_station_not_open_yet(client, make_trail, make_visit):
    visit = make_visit(make_trail(stations=2, published=True, checkin="none"))  # fixed order
    first, second = visit.version.content["stations"]
    phone = Phone(client, visit)
    early = answer(second)
    body = phone.sync(early).json
    assert [(r["id"], r["code"]) for r in body["refused"]] == [(early["id"], "station_locked")]
    assert body["score"] == 0
    # Offline, the team finished the first station, then answered at the second: one batch.
    now = datetime.now(UTC)
    done_first = answer(first, at=now - timedelta(minutes=3))
    then = answer(second, at=now - timedelta(minutes=2))
    body = phone.sync(then, done_first).json
    assert body["refused"] == []
    assert sorted(body["acked"]) == sorted([then["id"], done_first["id"]])


def test_a_wrong_answer_does_not_open_the_next_station_until_the_task_is_finished(
    client, make_trail, make_visit
):
    from tests.factories import single_choice_task

    trail = make_trail(
        stations=2, checkin="none", tasks=[single_choice_task(max_attempts=2)], published=True
    )
    visit = make_visit(trail)
    first, second = visit.version.content["stations"]
    phone = Phone(client, visit)
    assert phone.sync(answer(first, "a")).json["refused"] == []  # wrong, one try left
    body = phone.sync(answer(second)).json
    assert [r["code"] for r in body["refused"]] == ["station_locked"]
    assert phone.sync(answer(first, "a")).json["refused"] == []  # out of tries: finished
    assert phone.sync(answer(second)).json["refused"] == []


def test_a_clock_rule_goes_by_the_server_s_time_not_the_phone_s(client, make_trail, make_visit):
    trail = make_trail(stations=1, checkin="none")
    now = datetime.now(UTC)
    opens = (now + timedelta(minutes=30)).astimezone(release.LOCAL)
    trail.stations[0].release = {"kind": "clock", "time": opens.strftime("%H:%M")}
    visit = make_visit(published(trail), starts=timedelta(minutes=-10), ends=timedelta(hours=4))
    if opens.date() != visit.starts_at.astimezone(release.LOCAL).date():
        pytest.skip("the clock time would fall on the next day")
    station = visit.version.content["stations"][0]
    phone = Phone(client, visit)
    # A phone 40 minutes fast thinks the station is open; its clock at sending gives it away.
    fast = now + timedelta(minutes=40)
    body = client.post(
        "/api/v1/play/sync",
        {"events": [answer(station, at=fast)], "sent_at": fast.isoformat()},
        headers=phone.headers,
    ).json
    assert [r["code"] for r in body["refused"]] == ["station_locked"]


def test_a_rule_after_joining_opens_minutes_after_the_team_came(client, make_trail, make_visit):
    trail = make_trail(stations=1, checkin="none")
    trail.stations[0].release = {"kind": "after_join", "minutes": 10}
    visit = make_visit(published(trail))
    station = visit.version.content["stations"][0]
    phone = Phone(client, visit)
    assert [r["code"] for r in phone.sync(answer(station)).json["refused"]] == ["station_locked"]
    team = db.session.scalar(db.select(Team))
    team.created_at -= timedelta(minutes=11)
    db.session.commit()
    assert phone.sync(answer(station)).json["refused"] == []


def test_a_locked_station_costs_one_statement_whatever_the_batch(
    client, make_trail, make_visit, count_queries
):
    visit = make_visit(make_trail(stations=3, published=True, checkin="none"))
    first, second, third = visit.version.content["stations"]
    phone = Phone(client, visit)
    with count_queries() as open_station:
        phone.sync(answer(first))
    with count_queries() as one:
        phone.sync(answer(second))
    with count_queries() as many:
        phone.sync(*(answer(s) for s in (second, third) for _ in range(3)))
    assert len(one) == len(open_station) + 1
    assert len(many) == len(one)


def test_opening_a_visit_whose_clock_rule_comes_after_its_end_is_refused(
    make_client, make_user, make_organisation, make_trail
):
    from tests.factories import visit_fields

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=2, order="free")
    trail.stations[1].release = {"kind": "clock", "time": "15:00"}
    published(trail)
    nine = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)  # 9:00 in Germany, for three hours
    response = educator.post("/api/v1/visits", visit_fields(trail, starts=nine))
    assert response.status_code == 422
    assert error_code(response) == "release_after_visit"
    assert response.json["params"] == {"station": 2, "time": "15:00"}
    assert (
        educator.post("/api/v1/visits", visit_fields(trail, starts=nine, hours=7)).status_code
        == 201
    )


# --- The game's end --------------------------------------------------------------------------


def test_after_the_game_s_end_the_server_takes_only_what_was_made_before(
    client, make_trail, make_visit
):
    visit = make_visit(make_trail(stations=1, published=True, checkin="none"))
    station = visit.version.content["stations"][0]
    now = datetime.now(UTC)
    visit.play_until = now - timedelta(minutes=5)
    db.session.commit()
    phone = Phone(client, visit)
    before, after = answer(station, at=now - timedelta(minutes=6)), answer(station, at=now)
    body = phone.sync(before, after).json
    assert body["acked"] == [before["id"]]  # made before the end, sent after it
    assert [(r["id"], r["code"]) for r in body["refused"]] == [(after["id"], "time_up")]
    assert moment(body["play_until"]) == visit.play_until


def test_a_teacher_sets_moves_and_clears_the_game_s_end(
    make_client, make_user, make_organisation, make_trail, client
):
    from tests.factories import visit_fields

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=1, published=True, checkin="none")
    start = datetime.now(UTC) - timedelta(minutes=30)
    fields = visit_fields(trail, starts=start, hours=3)
    outside = educator.post(
        "/api/v1/visits", fields | {"play_until": (start + timedelta(hours=4)).isoformat()}
    )
    assert outside.status_code == 422
    assert error_code(outside) == "play_until_outside"
    end = start + timedelta(hours=1)
    visit = educator.post("/api/v1/visits", fields | {"play_until": end.isoformat()}).json
    assert moment(visit["play_until"]) == end
    phone = Phone(client, visit)
    bundle = client.get("/api/v1/play/bundle", headers=phone.headers)
    assert moment(bundle.json["visit"]["play_until"]) == end
    later = end + timedelta(minutes=10)
    path = f"/api/v1/visits/{visit['id']}"
    assert (
        moment(educator.patch(path, {"play_until": later.isoformat()}).json["play_until"]) == later
    )
    assert moment(phone.sync().json["play_until"]) == later  # the phone learns at its next sync
    again = client.get(
        "/api/v1/play/bundle", headers=phone.headers | {"If-None-Match": bundle.headers["ETag"]}
    )
    assert again.status_code == 200  # the bundle says so too
    assert educator.patch(path, {"play_until": None}).json["play_until"] is None
    assert educator.patch(path, {"closed": False}).json["play_until"] is None  # left alone
    bad = educator.patch(path, {"play_until": "soon"})
    assert bad.status_code == 422
    assert educator.patch(path, {}).status_code == 422


def test_the_live_board_shows_which_stations_are_still_locked(
    client, make_client, make_user, make_trail, make_visit, museum
):
    educator = make_user(roles={museum: ["educator"]})
    visit = make_visit(make_trail(museum, stations=3, published=True, checkin="none"))
    visit.opened_by_id = educator.id
    db.session.commit()
    first = visit.version.content["stations"][0]
    phone = Phone(client, visit)
    staff = make_client(educator)
    board = staff.get(f"/api/v1/visits/{visit.id}/live").json
    assert board["teams"][0]["stations"] == ["open", "locked", "locked"]
    phone.send(answer(first))
    board = staff.get(f"/api/v1/visits/{visit.id}/live").json
    assert board["teams"][0]["stations"] == ["done", "open", "locked"]
