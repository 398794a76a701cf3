"""Visits and the play API: joining, the bundle, and idempotent, server-scored sync."""

from datetime import UTC, datetime, timedelta

import pytest
from limits import parse
from sqlalchemy import func, select

from openparcours.config import FIXED
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.play.judging import distance_m
from openparcours.visits.models import Event, Team, Visit
from tests.factories import Phone, event, join, png, sync, upload_photo, visit_fields
from tests.helpers import error_code, field_errors

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def visit(make_visit, make_trail):
    """A visit of two stations without a check-in: answers count at once."""
    return make_visit(make_trail(stations=2, published=True, checkin="none"))


@pytest.fixture
def team(client, visit):
    """The headers of a team that joined `visit`."""
    return Phone(client, visit).headers


def stations(visit):
    return visit.version.content["stations"]


def answer(visit, station=0, value="b", minutes=0, **extra):
    s = stations(visit)[station]
    return event("answer", s, s["tasks"][0], at=at(minutes), answer=value) | extra


# --- Opening a visit ---------------------------------------------------------------------


@pytest.fixture
def partner_teacher(make_user, make_organisation, make_trail, make_partnership):
    museum, school = make_organisation("museum"), make_organisation("school")
    make_partnership(school, museum)
    trail = make_trail(museum, published=True)
    return make_user(roles={school: ["teacher"]}), trail


def test_a_teacher_opens_a_visit_of_a_partner_trail(make_client, partner_teacher):
    teacher, trail = partner_teacher
    response = make_client(teacher).post("/api/v1/visits", visit_fields(trail))
    assert response.status_code == 201, response.json
    visit = response.json
    assert len(visit["join_code"]) == 8
    assert not set(visit["join_code"]) & set("01ILO")
    assert visit["join_url"] == f"http://127.0.0.1:5000/j/{visit['join_code']}"
    assert visit["version"] == 1
    qr = make_client(teacher).get(f"/api/v1/visits/{visit['id']}/qr.png")
    assert qr.mimetype == "image/png"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2020-01-01T08:00:00+00:00"}, "ends_at"),
        ({"retention_days": 365}, "retention_days"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"starts_at": "2026-11-22T09:00:00"}, "starts_at"),  # no time zone
    ],
)
def test_visit_input_is_checked(make_client, partner_teacher, overrides, field):
    teacher, trail = partner_teacher
    response = make_client(teacher).post("/api/v1/visits", visit_fields(trail, **overrides))
    assert response.status_code == 422
    assert field_errors(response) == {field}
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def test_who_opens_visits(make_client, make_user, make_organisation, make_trail):
    museum = make_organisation("museum")
    draft, offered = make_trail(museum), make_trail(museum, published=True)
    stranger = make_user(roles={make_organisation("school"): ["teacher"]})
    educator = make_user(roles={museum: ["educator"]})
    assert make_client(stranger).post("/api/v1/visits", visit_fields(offered)).status_code == 403
    assert make_client().post("/api/v1/visits", visit_fields(offered)).status_code == 401
    assert make_client(educator).post("/api/v1/visits", visit_fields(offered)).status_code == 201
    unpublished = make_client(educator).post("/api/v1/visits", visit_fields(draft))
    assert error_code(unpublished) == "not_published"


def test_a_teacher_of_two_schools_opens_a_visit_for_the_partner_school(
    make_client, make_user, make_organisation, make_trail, make_partnership
):
    museum, elsewhere = make_organisation("museum"), make_organisation("museum")
    first, partner = make_organisation("school"), make_organisation("school")
    make_partnership(partner, museum)
    offered = make_trail(museum, published=True)
    public = make_trail(elsewhere, published=True, visibility="public")
    teacher = make_client(make_user(roles={first: ["teacher"], partner: ["teacher"]}))

    def school_of(trail, **choice):
        response = teacher.post("/api/v1/visits", visit_fields(trail, **choice))
        return response.json.get("school_id") if response.status_code == 201 else response

    assert school_of(offered) == partner.id  # the partner school, not the first one
    assert school_of(public) == first.id
    assert school_of(public, school_id=partner.id) == partner.id
    count = db.session.scalar(select(func.count()).select_from(Visit))
    for trail, school in ((offered, first), (public, make_organisation("school"))):
        refused = school_of(trail, school_id=school.id)
        assert refused.status_code == 422
        assert field_errors(refused) == {"school_id"}
    assert db.session.scalar(select(func.count()).select_from(Visit)) == count


# --- Joining -----------------------------------------------------------------------------


def test_join_returns_a_token_and_the_visit(client, visit):
    response = join(client, visit, players=4)
    assert response.status_code == 201
    body = response.json
    assert len(body["token"]) >= 40
    assert body["team"]["players"] == 4
    assert body["visit"]["trail_title"] == "Unter Tage"


def test_join_code_ignores_case_and_spaces(client, visit):
    code = visit.join_code
    response = client.post(
        "/api/v1/play/join", {"code": f" {code[:3].lower()} {code[3:]} ", "team_name": "A"}
    )
    assert response.status_code == 201


def test_unknown_code_is_404_and_guessing_stops(client):
    for _ in range(parse(FIXED["RATELIMITS"]["join"]).amount):
        response = client.post("/api/v1/play/join", {"code": "ZZZZZZ", "team_name": "x"})
        assert response.status_code == 404
        assert error_code(response) == "unknown_code"
    assert client.post("/api/v1/play/join", {"code": "ZZZZZZ", "team_name": "x"}).status_code == 429


def test_a_class_behind_one_address_joins(client, visit):
    for n in range(30):
        assert join(client, visit, name=f"Team {n}").status_code == 201


def test_closed_expired_and_future_visits(client, make_visit):
    over = make_visit(starts=timedelta(hours=-3), ends=timedelta(hours=-1))
    assert error_code(join(client, over)) == "visit_closed"
    assert join(client, over).status_code == 410
    closed = make_visit()
    closed.closed_at = closed.starts_at
    db.session.commit()
    assert join(client, closed).status_code == 410
    later = make_visit(starts=timedelta(hours=1), ends=timedelta(hours=3))
    assert error_code(join(client, later)) == "visit_not_started"


def test_a_taken_team_name_gets_a_suggestion(client, visit):
    join(client, visit, name="Die Füchse")
    response = join(client, visit, name="die  füchse")
    assert response.status_code == 409
    assert error_code(response) == "team_name_taken"
    # The suggestion is data, for the phone to word in its language.
    assert response.json["params"] == {"suggestion": "die  füchse 2"}
    assert "How about" not in str(response.json.get("errors"))
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


# --- The bundle --------------------------------------------------------------------------


def test_bundle_with_etag(client, visit, team):
    response = client.get("/api/v1/play/bundle", headers=team)
    assert response.status_code == 200
    bundle = response.json
    assert [s["title"] for s in bundle["stations"]] == ["Station 1", "Station 2"]
    station = bundle["stations"][0]
    assert len(station["code_sha256"]) == 64
    assert station["tasks"][0]["check"] == {"correct": "b"}
    assert "code" not in station
    etag = response.headers["ETag"]
    again = client.get("/api/v1/play/bundle", headers=team | {"If-None-Match": etag})
    assert again.status_code == 304
    # As it comes back through a proxy that compressed the bundle and marked its ETag weak.
    weak = client.get("/api/v1/play/bundle", headers=team | {"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304


def test_bundle_needs_a_valid_token(client):
    assert error_code(client.get("/api/v1/play/bundle")) == "missing_token"
    bad = client.get("/api/v1/play/bundle", headers={"Authorization": "Bearer nope"})
    assert error_code(bad) == "invalid_token"


def test_a_team_sees_and_writes_only_its_own_visit(client, make_visit, make_trail):
    visit_a, visit_b = make_visit(), make_visit(make_trail(stations=1, published=True, title="B"))
    token_a = Phone(client, visit_a).headers
    assert client.get("/api/v1/play/bundle", headers=token_a).json["title"] == "Unter Tage"
    response = sync(client, token_a, answer(visit_b, 0, "b"))
    assert response.json["acked"] == []
    assert response.json["refused"][0]["code"] == "unknown_station"
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


# --- Sync --------------------------------------------------------------------------------


def test_sync_scores_on_the_server(client, visit, team):
    right, wrong = answer(visit, 0, "b"), answer(visit, 1, "a")
    response = sync(client, team, right, wrong)
    assert response.status_code == 200
    body = response.json
    assert body["acked"] == [right["id"], wrong["id"]]
    results = {r["id"]: r for r in body["results"]}
    assert results[right["id"]] == {
        "id": right["id"],
        "type": "answer",
        "correct": True,
        "points": 10,
    }
    assert results[wrong["id"]]["correct"] is False
    assert body["score"] == 10


def test_the_same_batch_twice_changes_nothing(client, visit, team):
    batch = [answer(visit, 0, "a", minutes=1), answer(visit, 0, "b", minutes=2)]
    first = sync(client, team, *batch).json
    second = sync(client, team, *batch).json
    assert first["score"] == second["score"] == 5
    assert second["acked"] == first["acked"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2


def test_duplicates_in_one_batch_are_stored_once(client, visit, team):
    repeated = answer(visit, 0, "b")
    body = sync(client, team, repeated, repeated, repeated).json
    assert body["acked"] == [repeated["id"]] * 3
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    assert body["score"] == 10


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
def test_any_order_gives_the_same_score(client, visit, team, order):
    events = [
        answer(visit, 0, "a", minutes=1),
        hint(visit, 0, minutes=0.5),
        answer(visit, 0, "b", minutes=2),
    ]
    for index in order:
        sync(client, team, events[index])
    # Second attempt: 10 × 1/2 = 5; the hint was looked at before: no cost (the task has none).
    assert sync(client, team).json["score"] == 5


def test_bad_events_are_refused_beside_good_ones(client, visit, team):
    good = answer(visit, 0, "b")
    bad = [
        {"id": "not-a-uuid", "type": "answer"},
        answer(visit, 0, {"hack": 1}),
        answer(visit, 0, "b", station_id=999999),
        answer(visit, 0, "b", task_id=None),
        answer(visit, 0, "b", correct=True, points=1000),  # what the phone believed
        "just a string",
    ]
    body = sync(client, team, *bad, good).json
    assert body["acked"] == [good["id"]]
    codes = [r["code"] for r in body["refused"]]
    assert codes == [
        "invalid_event",
        "invalid_answer",
        "unknown_station",
        "invalid_event",
        "invalid_event",
        "invalid_event",
    ]
    assert body["score"] == 10


def test_sync_body_errors_are_4xx_json(client, team):
    assert client.post("/api/v1/play/sync", {"events": "all"}, headers=team).status_code == 422
    many = {"events": [{}] * 501}
    assert client.post("/api/v1/play/sync", many, headers=team).status_code == 422
    assert client.post("/api/v1/play/sync", {"events": []}).status_code == 401


def checkin(visit, station=0, minutes=0, **fields):
    return event("checkin", stations(visit)[station], at=at(minutes)) | fields


def test_qr_checkin_needs_the_right_code(client, visit, team):
    code = stations(visit)[0]["code"]
    right = checkin(visit, 0, code=f"{code[:4].lower()} {code[4:]}")
    wrong = checkin(visit, 1, code=code)
    body = sync(client, team, right, wrong).json
    assert body["acked"] == [right["id"]]
    assert body["refused"][0]["code"] == "wrong_code"


def test_gps_checkin_at_the_radius_boundary(client, make_trail, make_visit):
    trail = make_trail(stations=1, checkin="gps")
    station = trail.stations[0]
    station.lat, station.lon, station.radius_m = 51.0, 7.0, 30
    db.session.commit()
    from openparcours.trails.models import TrailVersion
    from openparcours.trails.publishing import snapshot

    db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
    db.session.commit()
    visit = make_visit(trail)
    headers = Phone(client, visit).headers
    metres_per_degree = distance_m(51.0, 7.0, 51.001, 7.0) / 0.001

    def at_distance(metres, accuracy):
        lat = 51.0 + metres / metres_per_degree
        return checkin(visit, 0, position={"lat": lat, "lon": 7.0, "accuracy": accuracy})

    inside = at_distance(29.5, 5)
    # radius + min(accuracy, radius): 30 + 10 = 40 m
    edge = at_distance(39.5, 10)
    beyond = at_distance(40.5, 10)
    capped = at_distance(61, 500)  # accuracy counts at most one radius: 30 + 30 = 60 m
    body = sync(client, headers, inside, edge, beyond, capped).json
    assert body["acked"] == [inside["id"], edge["id"]]
    assert [r["code"] for r in body["refused"]] == ["too_far", "too_far"]


def test_sync_after_the_visit_and_grace_is_410(client, make_visit, app):
    visit = make_visit()
    headers = Phone(client, visit).headers
    visit.ends_at = datetime.now(UTC) - app.config["SYNC_GRACE"] - timedelta(minutes=1)
    db.session.commit()
    response = sync(client, headers, answer(visit, 0, "b"))
    assert response.status_code == 410
    assert error_code(response) == "visit_closed"


def test_photo_upload_for_teams_strips_metadata(media_storage, client, team):
    import io

    from PIL import Image

    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 12.0)}
    Image.new("RGB", (640, 480), (20, 90, 60)).save(out, format="JPEG", exif=exif.tobytes())
    response = client.post(
        "/api/v1/play/media",
        data={"file": (io.BytesIO(out.getvalue()), "p.jpg")},
        headers=team,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    served = client.get(response.json["url"], headers=team)
    assert "no-store" in served.headers["Cache-Control"]
    photo = Image.open(io.BytesIO(served.data))
    assert not photo.getexif()
    assert client.get(response.json["url"]).status_code == 401  # only for its team
    stored = db.session.get(Media, response.json["id"]).file
    assert media_storage.exists(stored)
    assert client.get(f"/media/{stored}").status_code == 404  # never a public file


def test_a_photo_answer_shows_only_the_teams_own_photo(client, make_trail, make_visit):
    """A team cannot answer with another team's photo (of this visit or another), nor with an
    institution's picture: the teacher would see it, and deleting one visit's data would
    delete it from the other."""
    photo_task = {"type": "photo", "prompt": "Fotografiert die Lampe.", "points": 10}
    visit = make_visit(make_trail(stations=1, published=True, checkin="none", tasks=[photo_task]))
    other_visit = make_visit(make_trail(stations=1, published=True, tasks=[photo_task]))
    foxes, owls = Phone(client, visit, "Füchse"), Phone(client, visit, "Eulen")
    strangers = Phone(client, other_visit, "Fremde")
    mine, theirs, elsewhere = foxes.photo((1, 2, 3)), owls.photo((4, 5, 6)), strangers.photo()
    from openparcours.media.service import store_media

    institution_picture = store_media(png((10, 20, 30)), visit.trail.organisation, None).id
    db.session.commit()
    for media_id in (theirs, elsewhere, institution_picture, 999_999):
        response = foxes.sync(answer(visit, value={"media_id": media_id}))
        assert response.json["acked"] == []
        assert [r["code"] for r in response.json["refused"]] == ["unknown_media"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert foxes.send(answer(visit, value={"media_id": mine}))["refused"] == []


def test_a_retry_racing_the_first_attempt_is_acknowledged(client, visit, team, monkeypatch):
    from dataclasses import asdict

    from sqlalchemy import insert

    from openparcours.play import service

    score_them = service.rescore_tasks
    raced = []

    def other_request_inserts_first(team_id, tasks, new_events, **stored):
        if not raced:  # between this request's look-up and its insert
            raced.append(True)
            db.session.execute(insert(Event), [asdict(e) for e in new_events])
        return score_them(team_id, tasks, new_events, **stored)

    monkeypatch.setattr(service, "rescore_tasks", other_request_inserts_first)
    retried = answer(visit, 0, "b")
    response = sync(client, team, retried)
    assert response.status_code == 200
    assert response.json["acked"] == [retried["id"]]
    assert raced == [True]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


def hint(visit, station=0, minutes=0, **fields):
    s = stations(visit)[station]
    return event("hint", s, s["tasks"][0], at=at(minutes)) | fields


def test_checkins_and_hints_carry_nothing_but_their_fields(client, visit, team):
    payload = {"text": "x" * 100_000}
    bad = [
        checkin(visit, answer=payload),
        checkin(visit, task_id=stations(visit)[0]["tasks"][0]["id"]),
        hint(visit, answer=payload),
        hint(visit, code="ABCD"),
        hint(visit, position={"lat": 51.0, "lon": 7.0}),
        answer(visit, code="ABCD"),
    ]
    body = sync(client, team, *bad).json
    assert body["acked"] == []
    assert [r["code"] for r in body["refused"]] == ["invalid_event"] * len(bad)
    # Each refused field carries a code the phone can word, beside the English message.
    assert body["refused"][0]["fields"] == {"answer": [{"code": "invalid"}]}
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_team_stores_a_bounded_number_of_events(client, app, visit, team):
    assert app.config["TEAM_LIMITS"]["task_events"] == 50
    assert app.config["TEAM_LIMITS"]["events"] == 5000
    app.config["TEAM_LIMITS"] = app.config["TEAM_LIMITS"] | {"task_events": 3, "events": 5}
    first = [answer(visit, 0, "a", minutes=n) for n in range(4)]
    body = sync(client, team, *first).json
    assert body["acked"] == [e["id"] for e in first[:3]]
    assert [(r["id"], r["code"]) for r in body["refused"]] == [(first[3]["id"], "too_many_events")]
    # Resending what is stored is no new event; the team's limit counts stored events too.
    more = [checkin(visit, 1), checkin(visit, 1), answer(visit, 1, "b")]
    body = sync(client, team, first[0], *more).json
    assert body["acked"] == [first[0]["id"], more[0]["id"], more[1]["id"]]
    assert [r["code"] for r in body["refused"]] == ["too_many_team_events"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 5


def qr_visit(make_visit, make_trail):
    """Two stations with a QR check-in, in free order: each opens at once."""
    return make_visit(make_trail(stations=2, published=True, checkin="qr", order="free"))


def test_answers_and_hints_count_only_after_the_check_in(client, make_visit, make_trail):
    from tests.factories import single_choice_task

    task = single_choice_task(hints=[{"text": "Nach 1960.", "cost": 2}])
    visit = make_visit(
        make_trail(stations=2, published=True, checkin="qr", tasks=[task], order="free")
    )
    headers = Phone(client, visit).headers
    code = stations(visit)[0]["code"]
    early = [answer(visit, 0, "b", minutes=5), hint(visit, 0)]
    body = sync(client, headers, *early).json
    assert body["acked"] == []
    assert [r["code"] for r in body["refused"]] == ["checkin_needed", "checkin_needed"]
    # A check-in needs the station's code; the phone's time does not order a batch: an
    # answer before its check-in in the batch is refused, whatever time it names.
    late = checkin(visit, 0, code=code, minutes=10)
    body = sync(client, headers, checkin(visit, 0), answer(visit, 0, "b", minutes=1), late).json
    assert [r["code"] for r in body["refused"]] == ["code_needed", "checkin_needed"]
    assert body["acked"] == [late["id"]]
    assert body["score"] == 0
    # Stored before, or earlier in the same batch: both count.
    body = sync(client, headers, hint(visit, 0), answer(visit, 0, "b", minutes=11)).json
    assert body["refused"] == []
    assert body["score"] == 8
    other = stations(visit)[1]["code"]
    batch = [checkin(visit, 1, code=other), answer(visit, 1, "b")]
    body = sync(client, headers, *batch).json
    assert body["refused"] == []
    assert body["score"] == 18


def test_sync_takes_a_fixed_number_of_queries(client, make_visit, make_trail, count_queries):
    visit = qr_visit(make_visit, make_trail)
    headers = Phone(client, visit).headers
    first, second = (s["code"] for s in stations(visit))
    with count_queries() as few:
        sync(client, headers, checkin(visit, 0, code=first), answer(visit, 0, "a"))
    batch = [checkin(visit, 1, code=second), *(answer(visit, 1, "a", minutes=n) for n in range(9))]
    with count_queries() as many:
        body = sync(client, headers, *batch, answer(visit, 0, "b", minutes=1)).json
    assert len(body["acked"]) == 11
    assert len(many) == len(few)


# --- Team photos ---------------------------------------------------------------------------


def test_a_team_uploads_a_bounded_number_of_photos(client, app, team):
    from openparcours.media.models import Media

    assert app.config["TEAM_LIMITS"]["photos"] == 50
    assert app.config["TEAM_LIMITS"]["photo_bytes"] == 100 * 2**20
    app.config["TEAM_LIMITS"] = app.config["TEAM_LIMITS"] | {"photos": 2}
    for n in range(2):
        assert upload_photo(client, team, png((n, 0, 0))).status_code == 201
    refused = upload_photo(client, team, png((9, 0, 0)))
    assert refused.status_code == 409
    assert error_code(refused) == "too_many_photos"
    stored = db.session.scalar(select(func.sum(Media.size)))
    app.config["TEAM_LIMITS"] = app.config["TEAM_LIMITS"] | {"photos": 50, "photo_bytes": stored}
    refused = upload_photo(client, team, png((8, 0, 0)))
    assert refused.status_code == 409
    assert error_code(refused) == "photos_too_large"
    assert db.session.scalar(select(func.count()).select_from(Media)) == 2


def test_the_photo_endpoint_takes_images_only(client, team):
    from openparcours.media.models import Media
    from tests.test_media import AUDIO

    for name in sorted(AUDIO):
        response = upload_photo(client, team, AUDIO[name][0])
        assert response.status_code == 415
        assert error_code(response) == "photo_only"
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0


def test_no_photos_after_the_visit_and_grace(client, app, visit, team):
    from openparcours.media.models import Media

    visit.ends_at = datetime.now(UTC) - app.config["SYNC_GRACE"] + timedelta(minutes=1)
    db.session.commit()
    assert upload_photo(client, team, png()).status_code == 201  # within the grace
    visit.ends_at = datetime.now(UTC) - app.config["SYNC_GRACE"] - timedelta(minutes=1)
    db.session.commit()
    response = upload_photo(client, team, png((1, 1, 1)))
    assert response.status_code == 410
    assert error_code(response) == "visit_closed"
    assert db.session.scalar(select(func.count()).select_from(Media)) == 1


def test_a_photo_of_over_40_megapixels_is_refused_by_its_header(client, team, monkeypatch):
    """8000 × 6000 pixels named in the header and no pixel data: refused for its size before
    anything is decoded (decoding first would find it damaged)."""
    import struct
    import zlib

    from PIL import ImageFile

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 8000, 6000, 8, 2, 0, 0, 0)
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")

    def never(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    response = upload_photo(client, team, huge)
    assert response.status_code == 413
    assert error_code(response) == "image_too_large"
