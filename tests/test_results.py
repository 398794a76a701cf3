"""Results, grading, exports and task statistics of visits."""

import csv
import io
import tracemalloc
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import insert, select

from openparcours.database import local_zone
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.visits import exports
from openparcours.visits.models import Event, Team, Visit
from openparcours.visits.results import visit_results
from tests.factories import Phone, event, png, single_choice_task, visit_fields
from tests.helpers import error_code

FREE_TEXT = {
    "type": "free_text",
    "prompt": "Wie heißt das Gebäude über dem Schacht?",
    "points": 10,
    "hints": [{"text": "Es ist hoch.", "cost": 2}],
    "definition": {"accepted": ["Förderturm"], "typo_tolerance": False},
}
PHOTO = {"type": "photo", "prompt": "Fotografiert die Lampe.", "points": 10}
TASKS = [single_choice_task(), FREE_TEXT, PHOTO]
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def minute(n: float) -> datetime:
    return START + timedelta(minutes=n)


@pytest.fixture
def played(client, make_client, make_user, make_organisation, make_trail, make_partnership):
    """A teacher's visit of a 2-station trail (single choice, free text, photo at each),
    played by three teams."""
    museum, school = make_organisation("museum"), make_organisation("school")
    make_partnership(school, museum)
    teacher_user = make_user(roles={school: ["teacher"]})
    teacher = make_client(teacher_user)
    trail = make_trail(museum, stations=2, published=True, tasks=TASKS)
    started = datetime.now(UTC) - timedelta(hours=1)
    visit = teacher.post(
        "/api/v1/visits", visit_fields(trail, starts=started, leaderboard=True)
    ).json
    first, second = trail.latest_version.content["stations"]
    single, text, photo = first["tasks"]
    foxes, owls, moles = (Phone(client, visit, n) for n in ("Füchse", "Eulen", "Maulwürfe"))
    foxes.send(
        event("checkin", first, at=minute(0), code=first["code"]),
        event("answer", first, single, at=minute(1), answer="b"),
        event("hint", first, text, at=minute(2)),
        event("answer", first, text, at=minute(3), answer="Förderturm"),
        event("answer", first, photo, at=minute(4), answer={"media_id": foxes.photo()}),
        event("checkin", second, at=minute(10), code=second["code"]),
        event("answer", second, second["tasks"][0], at=minute(11), answer="b"),
    )
    owls.send(
        event("checkin", first, at=minute(0), code=first["code"]),
        event("answer", first, single, at=minute(2), answer="a"),
        event("answer", first, single, at=minute(3), answer="b"),
        event("answer", first, text, at=minute(5), answer="foerderturm!"),
        event("answer", first, photo, at=minute(6), answer={"media_id": owls.photo((20, 90, 200))}),
    )
    moles.send(
        event("checkin", first, at=minute(0), code=first["code"]),
        event("answer", first, text, at=minute(1), answer="Schornstein"),
        event("answer", first, text, at=minute(2), answer="Turm"),
    )
    return {
        "teacher": teacher,
        "teacher_user": teacher_user,
        "school": school,
        "museum": museum,
        "trail": trail,
        "visit": visit,
        "stations": (first, second),
        "phones": {"Füchse": foxes, "Eulen": owls, "Maulwürfe": moles},
    }


def results_of(played) -> dict:
    response = played["teacher"].get(f"/api/v1/visits/{played['visit']['id']}/results")
    assert response.status_code == 200, response.json
    return response.json


def test_results_rank_teams_and_show_each_task(played):
    results = results_of(played)
    assert [t["name"] for t in results["teams"]] == ["Füchse", "Eulen", "Maulwürfe"]
    foxes, owls, moles = results["teams"]
    # Füchse: 10 (single) + 8 (text, hint cost 2) + 0 (photo, to grade) + 10 (station 2).
    assert (foxes["points"], owls["points"], moles["points"]) == (28, 15, 0)
    assert [t["rank"] for t in results["teams"]] == [1, 2, 3]
    assert [t["label"] for t in results["tasks"]] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert [c["state"] for c in foxes["tasks"]] == [
        "correct",
        "correct",
        "review",
        "correct",
        "open",
        "open",
    ]
    assert [c["state"] for c in moles["tasks"][:3]] == ["open", "wrong", "open"]
    assert owls["tasks"][0] == {
        "state": "correct",
        "points": 5,
        "attempts": 2,
        "hints": 0,
        "graded": False,
    }
    assert foxes["stations_done"] == 1  # a photo waiting for the teacher counts as done
    single, text, photo = results["tasks"][:3]
    assert (single["answered"], single["correct_rate"], single["mean_attempts"]) == (2, 1.0, 1.5)
    assert (text["answered"], text["correct_rate"], text["hint_rate"]) == (3, 0.67, 0.33)
    assert photo["correct_rate"] is None  # nothing graded yet
    first = results["stations"][0]
    # From the check-in to the last answer: 4, 6 and 2 minutes.
    assert first["teams"] == 3
    assert first["mean_seconds"] == 240


def test_text_answers_are_grouped_and_photos_listed(played):
    results = results_of(played)
    (texts,) = results["texts"]
    groups = {g["text"]: sorted(a["team_name"] for a in g["answers"]) for g in texts["groups"]}
    assert groups == {
        "Förderturm": ["Eulen", "Füchse"],  # "foerderturm!" says the same
        "Schornstein": ["Maulwürfe"],
        "Turm": ["Maulwürfe"],
    }
    assert texts["groups"][0]["text"] == "Förderturm"  # the most frequent first
    photos = results["photos"]
    assert [p["team_name"] for p in photos] == ["Füchse", "Eulen"]
    image = played["teacher"].get(photos[0]["url"])
    assert image.status_code == 200
    assert image.mimetype == "image/webp"


def grade(played, event_id, **fields):
    path = f"/api/v1/visits/{played['visit']['id']}/answers/{event_id}/grade"
    return played["teacher"].put(path, fields)


def test_grading_a_photo_changes_the_score_everywhere(played):
    visit_id = played["visit"]["id"]
    photo = results_of(played)["photos"][0]
    live = played["teacher"].get(f"/api/v1/visits/{visit_id}/live")
    foxes_on_board = next(t for t in live.json["teams"] if t["name"] == "Füchse")
    assert foxes_on_board["stations"][0] == "review"
    etag = live.headers["ETag"]

    response = grade(played, photo["event_id"], accepted=True, points=7, comment="Schön scharf!")
    assert response.status_code == 200, response.json
    assert response.json | {"event_id": 0} == {
        "event_id": 0,
        "task_id": photo["task_id"],
        "team_id": photo["team_id"],
        "correct": True,
        "points": 7,
        "graded": True,
        "comment": "Schön scharf!",
    }

    results = results_of(played)
    foxes = results["teams"][0]
    assert foxes["points"] == 35
    assert foxes["tasks"][2]["state"] == "correct"
    assert foxes["tasks"][2]["graded"] is True
    assert results["tasks"][2]["correct_rate"] == 1.0  # one judged photo, accepted
    # The board that polls with its ETag gets the new points at once, not 304.
    live = played["teacher"].get(f"/api/v1/visits/{visit_id}/live", headers={"If-None-Match": etag})
    assert live.status_code == 200
    assert live.headers["ETag"] != etag
    foxes_on_board = next(t for t in live.json["teams"] if t["name"] == "Füchse")
    assert foxes_on_board["points"] == 35
    assert foxes_on_board["stations"][0] == "done"
    assert played["phones"]["Füchse"].send()["score"] == 35  # the phone learns it on its next sync

    # Graded again: rejected.
    assert grade(played, photo["event_id"], accepted=False).json["points"] == 0
    assert results_of(played)["teams"][0]["points"] == 28
    # A grade stands when an earlier answer to the task arrives late.
    assert grade(played, photo["event_id"], accepted=True, points=6).status_code == 200
    first, foxes = played["stations"][0], played["phones"]["Füchse"]
    late = {"media_id": foxes.photo((0, 0, 0))}
    answered = foxes.send(event("answer", first, first["tasks"][2], at=minute(3.5), answer=late))
    assert answered["score"] == 34


def test_the_teams_see_the_ranking_when_the_visit_is_over(played, make_visit):
    phones, visit_id = played["phones"], played["visit"]["id"]

    def ranking(phone):
        return phone.client.get("/api/v1/play/ranking", headers=phone.headers)

    running = ranking(phones["Eulen"])
    assert (running.status_code, error_code(running)) == (409, "visit_running")
    assert (
        played["teacher"].patch(f"/api/v1/visits/{visit_id}", {"closed": True}).status_code == 200
    )
    answer = ranking(phones["Eulen"]).json
    assert answer["show_points"] is True
    assert [(t["rank"], t["name"], t["points"], t["own"]) for t in answer["teams"]] == [
        (1, "Füchse", 28, False),
        (2, "Eulen", 15, True),
        (3, "Maulwürfe", 0, False),
    ]
    assert ranking(phones["Füchse"]).json["teams"][0]["own"] is True
    # The same ranking as the teacher's results.
    results = results_of(played)["teams"]
    assert [(t["rank"], t["name"]) for t in results] == [
        (1, "Füchse"),
        (2, "Eulen"),
        (3, "Maulwürfe"),
    ]
    played["teacher"].delete(f"/api/v1/visits/{visit_id}/data")
    gone = ranking(phones["Eulen"])
    assert gone.status_code == 401  # the team is gone with the data

    # A visit without a ranking never shows one.
    other = make_visit(ends=timedelta(minutes=1))
    badgers = Phone(phones["Eulen"].client, other, "Dachse")
    other.ends_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    none = ranking(badgers)
    assert (none.status_code, error_code(none)) == (404, "no_ranking")


def test_a_teacher_accepts_a_text_the_machine_judged_wrong(played):
    (texts,) = results_of(played)["texts"]
    tower = next(g for g in texts["groups"] if g["text"] == "Turm")["answers"][0]
    schornstein = next(g for g in texts["groups"] if g["text"] == "Schornstein")["answers"][0]
    assert grade(played, tower["event_id"], accepted=True, points=5).status_code == 200
    moles = next(t for t in results_of(played)["teams"] if t["name"] == "Maulwürfe")
    assert moles["points"] == 5
    assert moles["tasks"][1]["state"] == "correct"
    # Accepting the first answer finishes the task there: the second one earns nothing more.
    assert grade(played, schornstein["event_id"], accepted=True).status_code == 200
    moles = next(t for t in results_of(played)["teams"] if t["name"] == "Maulwürfe")
    assert moles["points"] == 15


def test_bad_grades_change_nothing(played, make_visit, make_client, make_user):
    results = results_of(played)
    photo = results["photos"][0]
    single_answer = db.session.scalar(
        select(Event.id).where(Event.task_id == results["tasks"][0]["id"], Event.correct.is_(True))
    )
    other_visit = make_visit()
    stranger = Team(visit_id=other_visit.id, name="Fremde", name_key="fremde", token_hash="x" * 64)
    db.session.add(stranger)
    db.session.flush()
    stranger_event = Event(
        event_id=str(uuid.uuid4()),
        visit_id=other_visit.id,
        team_id=stranger.id,
        type="answer",
        station_id=1,
        task_id=photo["task_id"],
        answer={"media_id": 1},
        client_at=START,
        correct=None,
        credit=0,
        points=0,
    )
    db.session.add(stranger_event)
    db.session.commit()
    cases = [
        (photo["event_id"], {"accepted": True, "points": 11}, 422, "validation_error"),
        (photo["event_id"], {"accepted": True, "points": -1}, 422, "validation_error"),
        (photo["event_id"], {"accepted": False, "points": 3}, 422, "validation_error"),
        (photo["event_id"], {"accepted": "ja"}, 422, "validation_error"),
        (photo["event_id"], {"points": 3}, 422, "validation_error"),
        (photo["event_id"], {"accepted": True, "points": 2.5}, 422, "validation_error"),
        (photo["event_id"], {"accepted": True, "comment": "x" * 501}, 422, "validation_error"),
        (single_answer, {"accepted": False}, 422, "not_gradable"),
        (stranger_event.id, {"accepted": True}, 404, "unknown_answer"),
        (999999, {"accepted": True}, 404, "unknown_answer"),
    ]
    for event_id, body, status, code in cases:
        response = grade(played, event_id, **body)
        assert (response.status_code, response.json["code"]) == (status, code), body
    assert results_of(played) == results
    # Another visit's answer through that visit's own path: its teacher is someone else.
    path = f"/api/v1/visits/{other_visit.id}/answers/{stranger_event.id}/grade"
    assert played["teacher"].put(path, {"accepted": True}).status_code == 403
    db.session.refresh(stranger_event)
    assert (stranger_event.graded_at, stranger_event.points) == (None, 0)


def test_timeline_of_a_team(played):
    foxes = next(t for t in results_of(played)["teams"] if t["name"] == "Füchse")
    path = f"/api/v1/visits/{played['visit']['id']}/teams/{foxes['id']}/timeline"
    timeline = played["teacher"].get(path).json
    assert timeline["team"]["name"] == "Füchse"
    steps = [(e["type"], e["task_label"], e["answer"]) for e in timeline["events"]]
    assert steps == [
        ("checkin", None, None),
        ("answer", "1.1", "1966"),
        ("hint", "1.2", None),
        ("answer", "1.2", "Förderturm"),
        ("answer", "1.3", ""),
        ("checkin", None, None),
        ("answer", "2.1", "1966"),
    ]
    assert played["teacher"].get(timeline["events"][4]["photo_url"]).mimetype == "image/webp"
    other = played["teacher"].get(f"/api/v1/visits/{played['visit']['id']}/teams/999999/timeline")
    assert (other.status_code, other.json["code"]) == (404, "unknown_team")


def test_csv_and_xlsx_read_back(played):
    base = f"/api/v1/visits/{played['visit']['id']}"
    response = played["teacher"].get(f"{base}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Rang", "Team", "Spieler:innen", "Punkte", "Stationen geschafft"]
    assert rows[0][5].startswith("1.1 Wann wurde")
    assert rows[1][:5] == ["1", "Füchse", "2", "28", "1/2"]
    assert rows[1][5:] == ["10", "8", "0", "10", "0", "0"]
    assert [row[1] for row in rows[1:]] == ["Füchse", "Eulen", "Maulwürfe"]

    english = played["teacher"].get(f"{base}/results.csv?lang=en")
    assert english.data.decode("utf-8-sig").startswith("Rank;Team;Players;Points")
    assert played["teacher"].get(f"{base}/results.csv?lang=fr").status_code == 422

    response = played["teacher"].get(f"{base}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Teams", "Aufgaben", "Freitext-Antworten"]
    teams = list(book["Teams"].values)
    assert teams[1][:5] == (1, "Füchse", 2, 28, "1/2")
    tasks = list(book["Aufgaben"].values)
    assert tasks[2][0] == "1.2"
    assert tasks[2][5:10] == (3, 0.67, 1.33, 0.33, 6.0)
    answers = list(book["Freitext-Antworten"].values)
    assert answers[1] == ("1.2", "Förderturm", 2, "Eulen, Füchse")


# Team names and answers as a class of 13-year-olds might type them, with what CSV shows.
HOSTILE_NAMES = {
    "=HYPERLINK(1)": "'=HYPERLINK(1)",
    "+49 170 1234": "'+49 170 1234",
    "-Kraken-": "'-Kraken-",
    "@SUM(A1)": "'@SUM(A1)",
    "Wal\t=1+1": "Wal\t'=1+1",
    "Hai, =2+2": "Hai, '=2+2",  # English Excel splits at the comma
    "Glocke\x07\x1b!": "Glocke!",
    "🦊🦉 Füchse": "🦊🦉 Füchse",
    "\u202eneshcüF": "\u202eneshcüF",
    "\u200fצוות אדום": "\u200fצוות אדום",
    "ß" * 40: "ß" * 40,
}
HOSTILE_ANSWERS = [" =cmd|' /C calc'!A0", "\t-2+3", "Turm;@SUM(1)", "Glocke\x08\x1f"]
FORMULA = ("=", "+", "-", "@")


@pytest.fixture
def hostile(client, played):
    first = played["stations"][0]
    for n, name in enumerate(HOSTILE_NAMES):
        phone = Phone(client, played["visit"], name)
        answer = HOSTILE_ANSWERS[n % len(HOSTILE_ANSWERS)]
        phone.send(
            event("checkin", first, at=minute(0), code=first["code"]),
            event("answer", first, first["tasks"][1], at=minute(1), answer=answer),
        )
    return played


def test_hostile_names_and_answers_are_text_in_csv_whatever_the_separator(hostile):
    base = f"/api/v1/visits/{hostile['visit']['id']}"
    data = hostile["teacher"].get(f"{base}/results.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert {row[1] for row in rows[1:]} >= set(HOSTILE_NAMES.values())
    for separator in (";", ",", "\t", "|"):
        for row in csv.reader(io.StringIO(data), delimiter=separator):
            for cell in row:
                assert not cell.lstrip(" \t\u00a0").startswith(FORMULA), (separator, cell)


def test_hostile_names_and_answers_stay_text_in_xlsx(hostile):
    base = f"/api/v1/visits/{hostile['visit']['id']}"
    data = hostile["teacher"].get(f"{base}/results.xlsx").data
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        sheets = [parts.read(n) for n in parts.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)  # no formula at all
    book = load_workbook(io.BytesIO(data))
    names = [row[1] for row in book["Teams"].values]
    printable = [name.replace("\x07", "").replace("\x1b", "") for name in HOSTILE_NAMES]
    assert set(names) >= set(printable)
    answers = {row[1] for row in book["Freitext-Antworten"].values}
    assert {"=cmd|' /C calc'!A0", "-2+3", "Turm;@SUM(1)", "Glocke"} <= {a.strip() for a in answers}


def test_hostile_names_print_on_certificates(hostile):
    base = f"/api/v1/visits/{hostile['visit']['id']}"
    pdf = hostile["teacher"].get(f"{base}/certificates.pdf")
    assert pdf.status_code == 200
    document = pypdfium2.PdfDocument(pdf.data)
    assert len(document) == 3 + len(HOSTILE_NAMES)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    for name in ("ß" * 40, "Füchse", "=HYPERLINK(1)", "Hai, =2+2", "Glocke!"):
        assert name in text, name


def test_hostile_class_labels_and_team_names_name_no_paths(client, played):
    visit = db.session.get(Visit, played["visit"]["id"])
    visit.class_label = '../\u202e7b"\r\n'
    db.session.commit()
    first = played["stations"][0]
    spoofer = Phone(client, played["visit"], "\u202e../Xgpj.exe")
    photo = {"media_id": spoofer.photo()}
    spoofer.send(
        event("checkin", first, at=minute(0), code=first["code"]),
        event("answer", first, first["tasks"][2], at=minute(1), answer=photo),
    )
    base = f"/api/v1/visits/{visit.id}"
    day = visit.starts_at.astimezone(local_zone()).date()
    for path, name in (
        ("results.csv", f"Ergebnisse-7b-{day}.csv"),
        ("results.xlsx?lang=en", f"Results-7b-{day}.xlsx"),
        ("certificates.pdf", f"Ergebnisse-7b-{day}.pdf"),
        ("photos.zip", f"Fotos-7b-{day}.zip"),
    ):
        disposition = played["teacher"].get(f"{base}/{path}").headers["Content-Disposition"]
        assert disposition == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    archive = zipfile.ZipFile(io.BytesIO(played["teacher"].get(f"{base}/photos.zip").data))
    assert "1.3 Fotografiert die Lampe/_Xgpj.exe.webp" in archive.namelist()


def test_photos_zip_and_certificates(media_storage, played):
    base = f"/api/v1/visits/{played['visit']['id']}"
    response = played["teacher"].get(f"{base}/photos.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names == [
        "1.3 Fotografiert die Lampe/Eulen.webp",
        "1.3 Fotografiert die Lampe/Füchse.webp",
    ]
    image = Image.open(io.BytesIO(archive.read(names[1])))
    assert image.format == "WEBP"
    assert image.getpixel((5, 5))[0] > 150

    pdf = played["teacher"].get(f"{base}/certificates.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.data)
    assert len(document) == 3
    first_page = document[0].get_textpage().get_text_range()
    assert "Urkunde" in first_page
    assert "Füchse" in first_page
    assert "28 Punkte" in first_page
    assert "Platz 1 von 3" in first_page
    assert "Unter Tage" in first_page
    eulen = next(t for t in results_of(played)["teams"] if t["name"] == "Eulen")
    single = played["teacher"].get(f"{base}/certificates.pdf?team_id={eulen['id']}&lang=en")
    document = pypdfium2.PdfDocument(single.data)
    assert len(document) == 1
    assert "Certificate" in document[0].get_textpage().get_text_range()
    missing = played["teacher"].get(f"{base}/certificates.pdf?team_id=999999")
    assert (missing.status_code, missing.json["code"]) == (404, "unknown_team")


def test_a_deleted_visit_has_no_results_to_export(played):
    base = f"/api/v1/visits/{played['visit']['id']}"
    assert played["teacher"].delete(f"{base}/data").status_code == 204
    for path in ("results", "results.csv", "results.xlsx", "photos.zip", "certificates.pdf"):
        response = played["teacher"].get(f"{base}/{path}")
        assert (response.status_code, response.json["code"]) == (410, "visit_data_deleted"), path
    response = grade(played, 1, accepted=True)
    assert (response.status_code, response.json["code"]) == (410, "visit_data_deleted")


def test_who_sees_results(played, client, make_client, make_user, make_organisation):
    base = f"/api/v1/visits/{played['visit']['id']}"
    paths = ["results", "results.csv", "results.xlsx", "photos.zip", "certificates.pdf"]
    foxes = played["phones"]["Füchse"]
    allowed = {
        "the teacher who opened it": played["teacher"],
        "an admin of the school": make_client(make_user(roles={played["school"]: ["admin"]})),
        "a site admin": make_client(make_user(site_admin=True)),
    }

    def member(organisation, role):
        return make_client(make_user(roles={organisation: [role]})), 403

    denied = {
        "another teacher of the school": member(played["school"], "teacher"),
        "a teacher of another school": member(make_organisation("school"), "teacher"),
        "an admin of another school": member(make_organisation("school"), "admin"),
        "an educator of the trail's museum": member(played["museum"], "educator"),
        "an admin of the trail's museum": member(played["museum"], "admin"),
        "anonymous": (make_client(), 401),
    }
    for who, user in allowed.items():
        for path in paths:
            assert user.get(f"{base}/{path}").status_code == 200, (who, path)
    for who, (user, status) in denied.items():
        for path in paths:
            assert user.get(f"{base}/{path}").status_code == status, (who, path)
        assert user.put(f"{base}/answers/1/grade", {"accepted": True}).status_code == status, who
    for path in paths:  # a team's token opens the play API only
        assert client.get(f"{base}/{path}", headers=foxes.headers).status_code == 401


def test_trail_statistics_for_its_authors_only(played, make_client, make_user, make_visit):
    trail = played["trail"]
    educator = make_client(make_user(roles={played["museum"]: ["educator"]}))
    deleted = make_visit(trail)
    make_client(make_user(site_admin=True)).delete(f"/api/v1/visits/{deleted.id}/data")
    response = educator.get(f"/api/v1/trails/{trail.id}/statistics")
    assert response.status_code == 200, response.json
    figures = response.json
    assert (figures["visits"], figures["visits_deleted"], figures["teams"]) == (2, 1, 3)
    assert [t["answered"] for t in figures["tasks"]] == [2, 3, 2, 1, 0, 0]
    assert figures["tasks"][1]["correct_rate"] == 0.67
    text = response.get_data(as_text=True)
    assert "Füchse" not in text
    assert "Förderturm" not in text
    assert played["teacher"].get(f"/api/v1/trails/{trail.id}/statistics").status_code == 403
    other = make_client(make_user(roles={played["school"]: ["admin"]}))
    assert other.get(f"/api/v1/trails/{trail.id}/statistics").status_code == 403
    assert make_client().get(f"/api/v1/trails/{trail.id}/statistics").status_code == 401

    # Deleting the played visit's data (as retention does) keeps its anonymous sums: the
    # figures stay as they were.
    played["teacher"].delete(f"/api/v1/visits/{played['visit']['id']}/data")
    after = educator.get(f"/api/v1/trails/{trail.id}/statistics").json
    assert after["visits_deleted"] == 2
    assert after | {"visits_deleted": 1} == figures
    assert "Füchse" not in str(after)


def test_results_take_a_fixed_number_of_queries(
    make_client, make_user, make_organisation, make_trail, make_visit, count_queries
):
    """A visit of 30 teams × 40 tasks needs as many queries as one of a single team."""
    museum = make_organisation("museum")
    admin = make_client(make_user(site_admin=True))
    tasks = [single_choice_task(), FREE_TEXT, PHOTO, single_choice_task(max_attempts=3)]
    trail = make_trail(museum, stations=10, published=True, tasks=tasks)
    stations = trail.latest_version.content["stations"]

    def fill(visit, teams: int) -> None:
        rows = []
        for n in range(teams):
            team = Team(
                visit=visit, name=f"Team {n}", name_key=f"team {n}", token_hash=uuid.uuid4().hex
            )
            db.session.add(team)
            db.session.flush()
            for s, station in enumerate(stations):
                for t, task in enumerate(station["tasks"]):
                    answer = {"photo": {"media_id": 1}, "free_text": "Turm"}.get(task["type"], "b")
                    rows.append(
                        dict(
                            event_id=str(uuid.uuid4()),
                            visit_id=visit.id,
                            team_id=team.id,
                            type="answer",
                            station_id=station["id"],
                            task_id=task["id"],
                            answer=answer,
                            client_at=START + timedelta(minutes=s * 5 + t),
                            correct=task["type"] == "single_choice" or None,
                            credit=1,
                            points=5,
                        )
                    )
        db.session.execute(insert(Event), rows)
        db.session.commit()

    small, large = make_visit(trail), make_visit(trail)
    fill(small, 1)
    fill(large, 30)
    small, large = small.id, large.id
    admin.get(f"/api/v1/visits/{small}/results")  # the played version is read once per process
    db.session.expunge_all()  # as in a new request: nothing known yet
    with count_queries() as one_team:
        assert len(admin.get(f"/api/v1/visits/{small}/results").json["teams"]) == 1
    db.session.expunge_all()
    with count_queries() as thirty_teams:
        results = admin.get(f"/api/v1/visits/{large}/results").json
    assert len(results["teams"]) == 30
    assert len(results["tasks"]) == 40
    assert results["teams"][0]["points"] == 200
    assert len(thirty_teams) == len(one_team) <= 10, "\n".join(thirty_teams)


def test_certificates_print_every_name_of_a_class(client, played):
    from openparcours.fonts import pdf_fonts

    Phone(client, played["visit"], "Şükrü & Łucja")
    pdf = played["teacher"].get(f"/api/v1/visits/{played['visit']['id']}/certificates.pdf")
    pages = [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf.data)]
    if pdf_fonts()[0] == "DejaVuSans":
        assert any("Şükrü & Łucja" in text for text in pages)
    else:  # without DejaVu on the system: Latin-1 only, and still a certificate per team
        assert pdf_fonts() == ("Helvetica", "Helvetica-Bold")
        assert len(pages) == 4


# --- Teams' photos: photos of minors, for the team and its visit's managers only ---------


def photo_urls(played) -> list[str]:
    """Every address of a team's photo that a staff page or the phone is given."""
    base = f"/api/v1/visits/{played['visit']['id']}"
    results = results_of(played)
    foxes = next(t for t in results["teams"] if t["name"] == "Füchse")
    photo = next(p for p in results["photos"] if p["team_name"] == "Füchse")
    timeline = played["teacher"].get(f"{base}/teams/{foxes['id']}/timeline").json
    uploaded = played["phones"]["Füchse"].upload(png((90, 160, 30))).json
    timeline_url = next(e["photo_url"] for e in timeline["events"] if e["photo_url"])
    return [
        photo["url"],
        photo["thumbnail_url"],
        timeline_url,
        uploaded["url"],
        uploaded["thumbnail_url"],
    ]


@pytest.fixture
def readers(played, client, make_client, make_user, make_organisation):
    other_school = make_organisation("school")
    foxes, owls = played["phones"]["Füchse"], played["phones"]["Eulen"]
    return {
        "anonymous": (client, {}, 401),
        "another team": (owls.client, owls.headers, 403),
        "another school's teacher": (
            make_client(make_user(roles={other_school: ["teacher", "admin"]})),
            {},
            403,
        ),
        "the museum's educator": (
            make_client(make_user(roles={played["museum"]: ["educator", "admin"]})),
            {},
            403,
        ),
        "the team": (foxes.client, foxes.headers, 200),
        "the teacher": (played["teacher"], {}, 200),
        "the school's admin": (
            make_client(make_user(roles={played["school"]: ["admin"]})),
            {},
            200,
        ),
    }


def test_team_photos_are_served_to_the_team_and_its_visits_managers_only(played, readers):
    urls = photo_urls(played)
    assert all(url.startswith("/api/v1/photos/") for url in urls), urls
    for reader, (browser, headers, status) in readers.items():
        for url in urls:
            response = browser.get(url, headers=headers)
            assert response.status_code == status, (reader, url)
            if status == 200:
                assert response.mimetype == "image/webp"
                assert Image.open(io.BytesIO(response.data)).format == "WEBP"
                cache = response.headers["Cache-Control"]
                assert "private" in cache, cache
                assert "no-store" in cache, cache
            else:
                assert error_code(response) in ("not_authenticated", "missing_token", "forbidden")
            response.close()


def test_team_photos_files_are_not_public(app, played, client):
    """The stored file of a team photo is not under /media/, whatever its name."""
    with app.app_context():
        files = [n for m in db.session.query(Media).all() for n in (m.file, m.thumbnail)]
    assert files
    for name in files:
        assert client.get(f"/media/{name}").status_code == 404
        assert played["teacher"].get(f"/media/{name}").status_code == 404


def test_trail_media_stay_public_and_cacheable(played, client, make_client, make_user):
    """Bytes that an institution uploads are public, even if a team sent the same picture."""
    author = make_client(make_user(roles={played["museum"]: ["educator"]}))
    data = png((10, 20, 30))
    played["phones"]["Füchse"].upload(data)
    media = author.post(
        f"/api/v1/organisations/{played['museum'].id}/media",
        data={"file": (io.BytesIO(data), "bild.png")},
        content_type="multipart/form-data",
    ).json
    for url in (media["url"], media["thumbnail_url"]):
        assert url.startswith("/media/")
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        response.close()


def test_an_institutions_media_is_not_a_team_photo(played, make_client, make_user):
    author = make_client(make_user(roles={played["museum"]: ["educator"]}))
    media = author.post(
        f"/api/v1/organisations/{played['museum'].id}/media",
        data={"file": (io.BytesIO(png((90, 160, 30))), "bild.png")},
        content_type="multipart/form-data",
    ).json
    response = played["teacher"].get(f"/api/v1/photos/{media['id']}")
    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert played["teacher"].get(f"/api/v1/photos/{media['id']}?size=big").status_code == 422


# --- The photo ZIP ------------------------------------------------------------------------


def answer_rows(played, team: str, task: dict, answer, times) -> list[dict]:
    phone = played["phones"][team]
    return [
        {
            "event_id": str(uuid.uuid4()),
            "visit_id": played["visit"]["id"],
            "type": "answer",
            "team_id": phone.team["id"],
            "station_id": played["stations"][0]["id"],
            "task_id": task["id"],
            "answer": answer,
            "client_at": at,
            "credit": 0,
            "points": 0,
        }
        for at in times
    ]


def noise_photo(side: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((side, side), 80).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def test_the_photo_zip_streams_one_copy_of_each_photo(app, media_storage, played):
    """5,000 answers naming the same photo: the ZIP holds it once, and is written as it goes."""
    foxes = played["phones"]["Füchse"]
    response = foxes.upload(noise_photo(400))
    photo_task = played["stations"][0]["tasks"][2]
    times = [START + timedelta(seconds=n) for n in range(5000)]
    rows = answer_rows(played, "Füchse", photo_task, {"media_id": response.json["id"]}, times)
    db.session.execute(insert(Event), rows)
    db.session.commit()
    visit = db.session.get(Visit, played["visit"]["id"])
    with app.test_request_context():
        results = visit_results(played["teacher_user"], visit)
    size = db.session.get(Media, response.json["id"]).size

    tracemalloc.start()
    written = 0
    for chunk in exports.photos_zip(results).data:
        written += len(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert size < written < 3 * size + 10_000  # Füchse's two photos and Eulen's, once each
    assert peak < max(size, 256 * 1024), (peak, size)
    archive = played["teacher"].get(f"/api/v1/visits/{visit.id}/photos.zip")
    assert "Content-Length" not in archive.headers  # sent as it is written
    names = zipfile.ZipFile(io.BytesIO(archive.get_data())).namelist()
    assert sorted(names) == [
        "1.3 Fotografiert die Lampe/Eulen.webp",
        "1.3 Fotografiert die Lampe/Füchse (2).webp",
        "1.3 Fotografiert die Lampe/Füchse.webp",
    ]


def test_the_photo_zip_dates_its_entries_by_the_server(played):
    """A phone's clock at 1970 or 2150 is no ZIP date; the upload's server time is."""
    photo_task = played["stations"][0]["tasks"][2]
    owls = played["phones"]["Eulen"]
    times = [datetime(1970, 1, 1, tzinfo=UTC), datetime(2150, 6, 1, tzinfo=UTC)]
    for at in times:
        media_id = owls.photo((at.year % 250, 10, 10))
        db.session.execute(
            insert(Event), answer_rows(played, "Eulen", photo_task, {"media_id": media_id}, [at])
        )
    db.session.commit()
    response = played["teacher"].get(f"/api/v1/visits/{played['visit']['id']}/photos.zip")
    assert response.status_code == 200
    entries = zipfile.ZipFile(io.BytesIO(response.data)).infolist()
    assert len(entries) == 4
    today = datetime.now(UTC)
    for entry in entries:
        assert abs(datetime(*entry.date_time, tzinfo=UTC) - today) < timedelta(days=1)
