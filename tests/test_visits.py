"""Teachers' visits: offered trails, my visits, closing and reopening."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from openparcours.extensions import db
from openparcours.partnerships.service import partnership_versions
from tests.factories import Phone, event, join, single_choice_task, visit_fields


def test_offered_trails_put_the_agreements_offers_first(
    make_client, make_user, make_organisation, make_trail, make_partnership
):
    partner, other = make_organisation("museum"), make_organisation("library")
    drafting, ended = make_organisation("archive"), make_organisation("museum")
    school = make_organisation("school")
    offered = make_trail(partner, published=True, title="Z Zeche")
    make_partnership(school, partner, trails=[offered])
    partner_only = make_trail(partner, published=True, title="Y Nur für Partner")
    public_elsewhere = make_trail(other, published=True, visibility="public", title="A Bibliothek")
    make_trail(partner, title="Entwurf")  # not published
    make_trail(other, published=True, title="Nur für Partner der Bibliothek")
    archived = make_trail(partner, published=True, title="Archiv")
    archived.archived_at = datetime.now(UTC)
    # A draft agreement, and one that ended, make no partners.
    make_partnership(school, drafting, signed=False)
    make_trail(drafting, published=True, title="Archiv-Parcours")
    version = partnership_versions(make_partnership(school, ended))[0]
    version.ended_on = datetime.now(UTC).date()
    make_trail(ended, published=True, title="Ehemals Partner")
    db.session.commit()
    teacher = make_client(make_user(roles={school: ["teacher"]}))
    listed = [(t["title"], t["offer"]) for t in teacher.get("/api/v1/trails/offered").json]
    assert listed == [
        (offered.title, "agreement"),
        (partner_only.title, "partner"),
        (public_elsewhere.title, "public"),
    ]


def test_my_visits_and_my_schools(
    make_client, make_user, make_organisation, make_trail, make_partnership
):
    museum, school = make_organisation("museum"), make_organisation("school")
    make_partnership(school, museum)
    trail = make_trail(museum, published=True)
    teacher, colleague = (
        make_user(roles={school: ["teacher"]}),
        make_user(roles={school: ["teacher"]}),
    )
    head = make_user(roles={school: ["admin"]})
    opened = make_client(teacher).post("/api/v1/visits", visit_fields(trail)).json
    assert [v["id"] for v in make_client(teacher).get("/api/v1/visits").json] == [opened["id"]]
    assert make_client(teacher).get("/api/v1/visits").json[0]["trail_title"] == trail.title
    assert make_client(colleague).get("/api/v1/visits").json == []
    assert [v["id"] for v in make_client(head).get("/api/v1/visits").json] == [opened["id"]]
    assert make_client(colleague).get(f"/api/v1/visits/{opened['id']}").status_code == 403


def test_staff_who_leave_lose_their_visits(
    make_client, make_user, make_organisation, make_trail, make_partnership
):
    """The school's admins keep the visits of a teacher who left; the teacher does not, even
    as a teacher of another school; an educator who left the institution neither."""
    museum, school, next_school = (make_organisation(k) for k in ("museum", "school", "school"))
    make_partnership(school, museum)
    trail = make_trail(museum, published=True)
    teacher = make_user(roles={school: ["teacher"], next_school: ["teacher"]})
    educator = make_user(roles={museum: ["educator"]})
    head, museum_head = make_user(roles={school: ["admin"]}), make_user(roles={museum: ["admin"]})
    fields = visit_fields(trail) | {"school_id": school.id}
    class_visit = make_client(teacher).post("/api/v1/visits", fields).json["id"]
    group_visit = make_client(educator).post("/api/v1/visits", visit_fields(trail)).json["id"]
    for leaver, organisation, admin in ((teacher, school, head), (educator, museum, museum_head)):
        path = f"/api/v1/organisations/{organisation.id}/members/{leaver.id}"
        assert make_client(admin).delete(path).status_code == 204
    for leaver, visit in ((teacher, class_visit), (educator, group_visit)):
        browser = make_client(leaver)
        assert browser.get("/api/v1/visits").json == []
        assert browser.get(f"/api/v1/visits/{visit}").status_code == 403
        assert browser.get(f"/api/v1/visits/{visit}/results").status_code == 403
    head_browser = make_client(head)
    assert [v["id"] for v in head_browser.get("/api/v1/visits").json] == [class_visit]
    assert head_browser.get(f"/api/v1/visits/{class_visit}/results").status_code == 200


def test_close_and_reopen(make_client, make_user, make_organisation, make_trail, make_visit):
    museum = make_organisation("museum")
    trail = make_trail(museum, published=True)
    educator = make_client(make_user(roles={museum: ["educator"]}))
    visit = educator.post("/api/v1/visits", visit_fields(trail)).json
    closed = educator.patch(f"/api/v1/visits/{visit['id']}", {"closed": True})
    assert closed.json["closed_at"] is not None
    join = {"code": visit["join_code"], "team_name": "A"}
    assert make_client().post("/api/v1/play/join", join).status_code == 410
    # Meanwhile another visit took the code: reopening gives this one a new code.
    other = make_visit(trail)
    other.join_code = visit["join_code"]
    db.session.commit()
    reopened = educator.patch(f"/api/v1/visits/{visit['id']}", {"closed": False}).json
    assert reopened["closed_at"] is None
    assert reopened["join_code"] != visit["join_code"]
    assert (
        make_client().post("/api/v1/play/join", join | {"code": reopened["join_code"]}).status_code
        == 201
    )


def test_others_cannot_close_a_visit(make_client, make_user, make_organisation, make_trail):
    museum = make_organisation("museum")
    trail = make_trail(museum, published=True)
    visit = (
        make_client(make_user(roles={museum: ["educator"]}))
        .post("/api/v1/visits", visit_fields(trail))
        .json
    )
    stranger = make_client(make_user(roles={make_organisation("school"): ["teacher"]}))
    assert stranger.patch(f"/api/v1/visits/{visit['id']}", {"closed": True}).status_code == 403
    assert make_client().patch(f"/api/v1/visits/{visit['id']}", {"closed": True}).status_code == 401


def test_live_board_shows_each_team_at_each_station(
    client, make_client, make_user, make_organisation, make_trail, app
):
    from openparcours.visits.models import Team

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=3, published=True)
    visit = educator.post("/api/v1/visits", visit_fields(trail)).json
    stations = trail.latest_version.content["stations"]
    fast, slow = Phone(client, visit, "Schnell"), Phone(client, visit, "Langsam")
    first, second = stations[0], stations[1]
    fast.send(
        event("checkin", first, code=first["code"]),
        event("answer", first, first["tasks"][0], answer="b"),
        event("checkin", second, code=second["code"]),
    )
    board_path = f"/api/v1/visits/{visit['id']}/live"
    response = educator.get(board_path)
    assert response.status_code == 200
    board = response.json
    assert [s["title"] for s in board["stations"]] == ["Station 1", "Station 2", "Station 3"]
    by_name = {t["name"]: t for t in board["teams"]}
    # A fixed order: the third opens once the second is done.
    assert by_name["Schnell"]["stations"] == ["done", "checked_in", "locked"]
    assert by_name["Schnell"]["points"] == 10
    assert by_name["Langsam"]["stations"] == ["open", "locked", "locked"]
    assert not by_name["Langsam"]["silent"]

    etag = response.headers["ETag"]
    assert educator.get(board_path, headers={"If-None-Match": etag}).status_code == 304
    slow.send(event("checkin", first, code=first["code"]))
    changed = educator.get(board_path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert {t["name"]: t for t in changed.json["teams"]}["Langsam"]["stations"][0] == "checked_in"

    team = db.session.scalar(select(Team).where(Team.name == "Langsam"))
    team.last_sync_at = datetime.now(UTC) - timedelta(minutes=6)
    db.session.commit()
    silent = educator.get(board_path).json
    assert {t["name"]: t for t in silent["teams"]}["Langsam"]["silent"] is True
    # A team that joined and never sent anything is silent since it joined.
    quiet = join(client, visit, "Stumm").json
    team = db.session.scalar(select(Team).where(Team.name == "Stumm"))
    team.created_at = datetime.now(UTC) - timedelta(minutes=7)
    db.session.commit()
    stumm = {t["name"]: t for t in educator.get(board_path).json["teams"]}["Stumm"]
    assert quiet["token"]
    assert stumm["silent"]
    assert stumm["last_sync_at"] is None
    assert stumm["last_seen_at"] == team.created_at.isoformat()
    stranger = make_client(make_user(roles={make_organisation("school"): ["teacher"]}))
    assert stranger.get(board_path).status_code == 403


def test_live_board_takes_a_fixed_number_of_queries(
    client, make_client, make_user, make_organisation, make_trail, count_queries
):
    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=3, published=True)
    visit = educator.post("/api/v1/visits", visit_fields(trail)).json
    board_path = f"/api/v1/visits/{visit['id']}/live"
    educator.get(board_path)
    # Both counts follow a join, whose commit expires what the last request loaded.
    join(client, visit, "T0")
    with count_queries() as few:
        educator.get(board_path)
    for n in range(1, 10):
        join(client, visit, f"T{n}")
    with count_queries() as many:
        assert len(educator.get(board_path).json["teams"]) == 10
    assert len(many) == len(few)


def played_visit(client, make_client, make_user, make_organisation, make_trail, shade=9):
    """A visit with a team that checked in, answered, sent a photo answer and uploaded one
    more photo it never sent (pictures of this `shade`)."""
    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    photo_task = {"type": "photo", "prompt": "Fotografiert die Lampe.", "points": 10}
    trail = make_trail(museum, stations=1, published=True, tasks=[single_choice_task(), photo_task])
    visit = educator.post("/api/v1/visits", visit_fields(trail)).json
    phone = Phone(client, visit, "A", players=3)
    photo = phone.photo((shade, shade, shade), size=(800, 600))
    phone.photo((200, shade, shade), size=(800, 600))  # never sent
    station = trail.latest_version.content["stations"][0]
    single, photo_spec = station["tasks"]
    answered = phone.send(
        event("checkin", station, code=station["code"]),
        event("answer", station, single, answer="b"),
        event("answer", station, photo_spec, answer={"media_id": photo}),
    )
    assert len(answered["acked"]) == 3, answered
    return educator, visit


def test_delete_a_visits_data_now(
    media_storage, client, make_client, make_user, make_organisation, make_trail
):
    from sqlalchemy import func

    from openparcours.media.models import Media
    from openparcours.visits.models import Event, Team

    educator, visit = played_visit(client, make_client, make_user, make_organisation, make_trail)
    assert len(list(media_storage.names())) == 4  # 2 photos, 2 thumbnails
    stranger = make_client(make_user(roles={make_organisation("school"): ["teacher"]}))
    assert stranger.delete(f"/api/v1/visits/{visit['id']}/data").status_code == 403
    assert educator.delete(f"/api/v1/visits/{visit['id']}/data").status_code == 204
    for model in (Team, Event):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0  # the unsent one too
    assert list(media_storage.names()) == []  # the photos' files are gone
    kept = educator.get(f"/api/v1/visits/{visit['id']}").json
    assert kept["summary"] == {"teams": 1, "players": 3, "completed_teams": 1, "mean_points": 10}
    assert kept["data_deleted_at"]
    assert kept["closed_at"]
    assert join(client, visit, "B").status_code == 410


def test_retention_deletes_only_what_is_due(
    app, media_storage, client, make_client, make_user, make_organisation, make_trail
):
    from openparcours.media.models import Media
    from openparcours.visits.models import Visit

    _, visit = played_visit(client, make_client, make_user, make_organisation, make_trail)
    files = lambda: set(media_storage.names())  # noqa: E731
    due_files = files()
    _, kept = played_visit(client, make_client, make_user, make_organisation, make_trail, shade=99)
    kept_files = files() - due_files
    runner = app.test_cli_runner()
    assert "Deleted the data of 0 visit(s)." in runner.invoke(args=["retention", "run"]).output
    stored = db.session.get(Visit, visit["id"])
    stored.ends_at = datetime.now(UTC) - timedelta(days=stored.retention_days, minutes=1)
    db.session.commit()
    assert "Deleted the data of 1 visit(s)." in runner.invoke(args=["retention", "run"]).output
    assert db.session.get(Visit, visit["id"]).data_deleted_at is not None
    assert db.session.get(Visit, kept["id"]).data_deleted_at is None
    assert len(due_files) == len(kept_files) == 4
    assert files() == kept_files  # the due visit's photos and thumbnails are gone, sent or not
    assert db.session.scalar(select(func.count()).select_from(Media)) == 2


def test_positions_show_only_in_visits_that_share_them(
    client, make_client, make_user, make_organisation, make_trail
):
    from openparcours.visits.models import Team

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=1, published=True)
    here = {"lat": 51.61, "lon": 7.2, "accuracy": 12}
    for share in (True, False):
        visit = educator.post("/api/v1/visits", visit_fields(trail) | {"share_positions": share})
        assert visit.json["share_positions"] is share
        joined = join(client, visit.json).json
        assert joined["visit"]["share_positions"] is share  # the phone tells the students
        headers = {"Authorization": f"Bearer {joined['token']}"}
        synced = client.post("/api/v1/play/sync", {"events": [], "position": here}, headers=headers)
        assert synced.status_code == 200
        board = educator.get(f"/api/v1/visits/{visit.json['id']}/live").json
        (team,) = board["teams"]
        if share:
            assert {k: team["position"][k] for k in here} == here
            assert team["position"]["at"]
        else:
            assert team["position"] is None
            assert db.session.get(Team, team["id"]).position is None  # not even stored
        far_away = client.post(
            "/api/v1/play/sync", {"events": [], "position": {"lat": 91, "lon": 0}}, headers=headers
        )
        assert far_away.status_code == 422


def test_a_station_without_tasks_is_done_once_the_team_checked_in(
    client, make_client, make_user, make_organisation, make_trail
):
    from openparcours.trails.models import TrailVersion
    from openparcours.trails.publishing import snapshot

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, stations=2, order="free")  # a team may leave the info out
    trail.stations[0].tasks = []  # an info station
    db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
    db.session.commit()
    visit = educator.post("/api/v1/visits", visit_fields(trail)).json
    info, quiz = trail.latest_version.content["stations"]

    def checkin(station):
        return event("checkin", station, code=station["code"])

    def quiz_answer():
        return event("answer", quiz, quiz["tasks"][0], answer="b")

    Phone(client, visit, "Alles").send(checkin(info), checkin(quiz), quiz_answer())
    Phone(client, visit, "Ohne Info").send(checkin(quiz), quiz_answer())
    board = educator.get(f"/api/v1/visits/{visit['id']}/live").json
    assert {t["name"]: t["stations"] for t in board["teams"]} == {
        "Alles": ["done", "done"],
        "Ohne Info": ["open", "done"],
    }
    results = educator.get(f"/api/v1/visits/{visit['id']}/results").json
    assert {t["name"]: t["stations_done"] for t in results["teams"]} == {
        "Alles": 2,
        "Ohne Info": 1,
    }
    assert educator.delete(f"/api/v1/visits/{visit['id']}/data").status_code == 204
    summary = educator.get(f"/api/v1/visits/{visit['id']}").json["summary"]
    assert summary["teams"] == 2
    assert summary["completed_teams"] == 1


def test_a_visit_whose_data_is_deleted_stays_closed(
    client, make_client, make_user, make_organisation, make_trail
):
    from tests.helpers import error_code

    educator, visit = played_visit(client, make_client, make_user, make_organisation, make_trail)
    assert educator.delete(f"/api/v1/visits/{visit['id']}/data").status_code == 204
    reopened = educator.patch(f"/api/v1/visits/{visit['id']}", {"closed": False})
    assert reopened.status_code == 409
    assert error_code(reopened) == "visit_data_deleted"
    assert educator.get(f"/api/v1/visits/{visit['id']}").json["closed_at"] is not None
    join = {"code": visit["join_code"], "team_name": "Neu"}
    assert client.post("/api/v1/play/join", join).status_code == 410


def test_a_visit_lasts_a_few_days_at_most(
    app, make_client, make_user, make_organisation, make_trail
):
    """The retention clock runs from the visit's end: an end far in the future would keep
    the data past the maximum."""
    from openparcours.visits.models import Visit
    from tests.helpers import error_code, field_errors

    museum = make_organisation("museum")
    educator = make_client(make_user(roles={museum: ["educator"]}))
    trail = make_trail(museum, published=True)
    assert app.config["MAX_VISIT_DAYS"] == 3
    fields = visit_fields(trail)
    starts = datetime.fromisoformat(fields["starts_at"])
    for days, status in ((3, 201), (3.01, 422), (365, 422)):
        ends = (starts + timedelta(days=days)).isoformat()
        response = educator.post("/api/v1/visits", fields | {"ends_at": ends})
        assert response.status_code == status, response.json
    assert error_code(response) == "visit_too_long"
    assert field_errors(response) == {"ends_at"}
    assert response.json["params"] == {"max_days": 3}
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
