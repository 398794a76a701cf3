"""Authoring: trails, stations and tasks in a draft; publishing immutable versions."""

import io
import json

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from openparcours.extensions import db
from openparcours.trails import service
from openparcours.trails.models import Station, Trail, TrailVersion
from tests.factories import single_choice_task
from tests.helpers import error_code, field_errors


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum", name="Deutsches Bergbau-Museum")


@pytest.fixture
def educator(make_user, museum):
    return make_user(roles={museum: ["educator"]})


@pytest.fixture
def author(make_client, educator):
    return make_client(educator)


def create_trail(author, museum, **fields):
    response = author.post(
        "/api/v1/trails", {"organisation_id": museum.id, "title": "Unter Tage"} | fields
    )
    assert response.status_code == 201, response.json
    return response.json


def add_station(author, trail_id, **fields):
    response = author.post(f"/api/v1/trails/{trail_id}/stations", {"title": "Förderturm"} | fields)
    assert response.status_code == 201, response.json
    return response.json


def test_educator_builds_and_publishes_a_trail(author, museum):
    trail = create_trail(
        author,
        museum,
        subjects=["Geschichte"],
        grades=[7, 8],
        duration_minutes=90,
        order="free",
        visibility="public",
    )
    assert trail["organisation"]["id"] == museum.id
    assert trail["latest_version"] is None
    assert trail["unpublished_changes"]
    gps = add_station(
        author,
        trail["id"],
        checkin="gps_qr",
        lat=51.4891,
        lon=7.2173,
        radius_m=40,
        content="**Glück auf!** <script>alert(1)</script>",
    )
    assert gps["content_html"].startswith("<p><strong>Glück auf!</strong>")
    assert "<script>" not in gps["content_html"]
    assert len(gps["code"]) == 8
    assert gps["qr_url"] == f"http://127.0.0.1:5000/q/{gps['code']}"
    qr = add_station(author, trail["id"], title="Lampenstube", checkin="qr")
    task = author.post(f"/api/v1/stations/{qr['id']}/tasks", single_choice_task())
    assert task.status_code == 201, task.json

    version = author.post(f"/api/v1/trails/{trail['id']}/versions")
    assert version.status_code == 201, version.json
    assert version.json["number"] == 1
    stations = version.json["content"]["stations"]
    assert [s["title"] for s in stations] == ["Förderturm", "Lampenstube"]
    assert stations[1]["tasks"][0]["definition"]["correct"] == "b"

    listed = author.get("/api/v1/trails").json
    assert listed[0]["latest_version"]["number"] == 1
    assert listed[0]["unpublished_changes"] is False
    assert listed[0]["station_count"] == 2


def test_a_published_version_never_changes(author, museum):
    trail = create_trail(author, museum)
    station = add_station(author, trail["id"], checkin="qr", content="Glück auf!")
    assert author.post(f"/api/v1/trails/{trail['id']}/versions").status_code == 201
    author.patch(f"/api/v1/stations/{station['id']}", {"title": "Neuer Titel"})
    author.delete(f"/api/v1/stations/{station['id']}")
    v1 = author.get(f"/api/v1/trails/{trail['id']}/versions/1").json
    assert v1["content"]["stations"][0]["title"] == "Förderturm"
    assert author.get(f"/api/v1/trails/{trail['id']}").json["unpublished_changes"] is True


def test_publishing_lists_every_problem_with_its_place(author, museum):
    trail = create_trail(author, museum)
    check = author.get(f"/api/v1/trails/{trail['id']}/publish-check").json
    assert check == {
        "publishable": False,
        "problems": [
            {
                "path": "stations",
                "code": "no_stations",
                "params": {},
                "message": "Add at least one station.",
            }
        ],
    }
    station = add_station(author, trail["id"], checkin="gps")
    incomplete = single_choice_task(
        definition={"options": [{"id": "a", "text": "1955"}], "correct": "a"}
    )
    assert author.post(f"/api/v1/stations/{station['id']}/tasks", incomplete).status_code == 201
    response = author.post(f"/api/v1/trails/{trail['id']}/versions")
    assert response.status_code == 422
    assert error_code(response) == "not_publishable"
    assert response.json["errors"]["stations/0/lat"] == [
        {
            "code": "station_needs_place",
            "message": "A GPS station needs a place on the map.",
            "params": {"station": 1, "field": "lat"},
        }
    ]
    assert any(path.startswith("stations/0/tasks/0/") for path in response.json["errors"])
    assert db.session.scalar(select(func.count()).select_from(TrailVersion)) == 0


def test_task_errors_name_the_field(author, museum):
    trail = create_trail(author, museum)
    station = add_station(author, trail["id"])
    for bad in (
        {"type": "no_such_type", "prompt": "?"},
        single_choice_task(points=-5),
        single_choice_task(definition="not an object"),
    ):
        response = author.post(f"/api/v1/stations/{station['id']}/tasks", bad)
        assert response.status_code == 422, bad
        assert field_errors(response), response.json
    assert author.get(f"/api/v1/trails/{trail['id']}").json["stations"][0]["tasks"] == []


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"title": ""}, "title"),
        ({"grades": [14]}, "grades"),
        ({"order": "sideways"}, "order"),
        ({"visibility": "secret"}, "visibility"),
        ({"duration_minutes": "lang"}, "duration_minutes"),
        ({"subjects": ["Kochen"]}, "subjects"),
        ({"media_competences": ["7.1"]}, "media_competences"),
        (
            {"curriculum_reference": {"text": "KLP", "url": "javascript:alert(1)"}},
            "curriculum_reference",
        ),
        (
            {"curriculum_reference": {"url": "https://www.schulentwicklung.nrw.de"}},
            "curriculum_reference",
        ),
    ],
)
def test_trail_input_is_checked(author, museum, fields, bad_field):
    response = author.post("/api/v1/trails", {"organisation_id": museum.id, "title": "T"} | fields)
    assert response.status_code == 422
    assert field_errors(response) == {bad_field}
    assert db.session.scalar(select(func.count()).select_from(Trail)) == 0


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"radius_m": 5}, "radius_m"),
        ({"radius_m": 501}, "radius_m"),
        ({"lat": 51.5}, "lon"),
        ({"lat": 95, "lon": 7}, "lat"),
        ({"checkin": "nfc"}, "checkin"),
        ({"subjects": ["Kochen"]}, "subjects"),
        ({"media_competences": ["2.5"]}, "media_competences"),
    ],
)
def test_station_input_is_checked(author, museum, fields, bad_field):
    trail = create_trail(author, museum)
    response = author.post(f"/api/v1/trails/{trail['id']}/stations", {"title": "S"} | fields)
    assert response.status_code == 422
    assert field_errors(response) == {bad_field}


def test_reordering_stations_and_tasks(author, museum):
    trail = create_trail(author, museum)
    ids = [add_station(author, trail["id"], title=f"S{n}")["id"] for n in range(3)]
    response = author.put(
        f"/api/v1/trails/{trail['id']}/stations", {"station_ids": [ids[2], ids[0], ids[1]]}
    )
    assert [s["title"] for s in response.json["stations"]] == ["S2", "S0", "S1"]
    bad = author.put(f"/api/v1/trails/{trail['id']}/stations", {"station_ids": [ids[0], ids[0]]})
    assert bad.status_code == 422
    tasks = [
        author.post(f"/api/v1/stations/{ids[0]}/tasks", single_choice_task(prompt=p)).json
        for p in ("eins", "zwei")
    ]
    station = author.put(
        f"/api/v1/stations/{ids[0]}/tasks", {"task_ids": [tasks[1]["id"], tasks[0]["id"]]}
    ).json
    assert [t["prompt"] for t in station["tasks"]] == ["zwei", "eins"]


def test_deleting_keeps_positions_dense(author, museum):
    trail = create_trail(author, museum)
    ids = [add_station(author, trail["id"], title=f"S{n}")["id"] for n in range(3)]
    assert author.delete(f"/api/v1/stations/{ids[1]}").status_code == 204
    stations = author.get(f"/api/v1/trails/{trail['id']}").json["stations"]
    assert [(s["title"], s["position"]) for s in stations] == [("S0", 0), ("S2", 1)]


def test_duplicate_gets_new_codes_and_no_versions(author, museum, make_trail):
    original = make_trail(museum, stations=2, published=True)
    response = author.post(f"/api/v1/trails/{original.id}/duplicate")
    assert response.status_code == 201
    copy = response.json
    assert copy["title"] == "Unter Tage (Kopie)"
    assert copy["latest_version"] is None
    assert {s["code"] for s in copy["stations"]}.isdisjoint(s.code for s in original.stations)
    assert len(copy["stations"][0]["tasks"]) == 1


def test_archived_trails_leave_the_list(author, museum, make_trail):
    trail = make_trail(museum)
    assert author.patch(f"/api/v1/trails/{trail.id}", {"archived": True}).json["archived"]
    assert author.get("/api/v1/trails").json == []
    assert [t["id"] for t in author.get("/api/v1/trails?archived=true").json] == [trail.id]


def test_station_codes_are_unguessable_and_unambiguous(app):
    codes = {service.new_station_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 8 and not set(c) & set("01ILO") for c in codes)
    assert service.normalise_code(" abcd-efgh ") == "ABCDEFGH"


# --- Permissions -------------------------------------------------------------------------


def test_only_the_institutions_authors_edit(
    make_client, make_user, museum, make_organisation, make_trail
):
    trail = make_trail(museum)
    other_museum = make_organisation("museum")
    school = make_organisation("school")
    outsiders = {
        "educator of another institution": make_user(roles={other_museum: ["educator"]}),
        "teacher": make_user(roles={school: ["teacher"]}),
        "school admin": make_user(roles={school: ["admin"]}),
        "network office": make_user(district="Bochum"),
    }
    for who, user in outsiders.items():
        browser = make_client(user)
        assert browser.patch(f"/api/v1/trails/{trail.id}", {"title": "X"}).status_code == 403, who
        assert (
            browser.post(f"/api/v1/trails/{trail.id}/stations", {"title": "X"}).status_code == 403
        ), who
        assert (
            browser.post("/api/v1/trails", {"organisation_id": museum.id, "title": "X"}).status_code
            == 403
        ), who
    assert make_client().patch(f"/api/v1/trails/{trail.id}", {"title": "X"}).status_code == 401
    museum_admin = make_client(make_user(roles={museum: ["admin"]}))
    assert museum_admin.patch(f"/api/v1/trails/{trail.id}", {"title": "Neu"}).status_code == 200
    assert db.session.get(Trail, trail.id).title == "Neu"


def test_schools_cannot_own_trails(make_client, make_user, make_organisation):
    school = make_organisation("school")
    admin = make_client(make_user(roles={school: ["admin", "teacher"]}))
    assert (
        admin.post("/api/v1/trails", {"organisation_id": school.id, "title": "X"}).status_code
        == 403
    )


def test_who_reads_a_trail(
    make_client, make_user, museum, make_organisation, make_trail, make_partnership
):
    partner_school, other_school = make_organisation("school"), make_organisation("school")
    make_partnership(partner_school, museum)
    # A draft agreement makes no partners: its school sees no partners-only trails.
    drafting_school = make_organisation("school")
    make_partnership(drafting_school, museum, signed=False)
    draft = make_trail(museum)
    offered = make_trail(museum, published=True)
    public = make_trail(museum, published=True, visibility="public")
    partner_teacher = make_client(make_user(roles={partner_school: ["teacher"]}))
    other_teacher = make_client(make_user(roles={other_school: ["teacher"]}))
    drafting_teacher = make_client(make_user(roles={drafting_school: ["admin", "teacher"]}))
    anonymous = make_client()

    def status(browser, trail):
        return browser.get(f"/api/v1/trails/{trail.id}").status_code

    assert [status(partner_teacher, t) for t in (draft, offered, public)] == [403, 200, 200]
    assert [status(other_teacher, t) for t in (draft, offered, public)] == [403, 403, 200]
    assert [status(drafting_teacher, t) for t in (draft, offered, public)] == [403, 403, 200]
    assert [status(anonymous, t) for t in (draft, offered, public)] == [401, 401, 200]


def test_unknown_ids_are_404(author):
    assert author.get("/api/v1/trails/999999").status_code == 404
    assert author.patch("/api/v1/stations/999999", {"title": "x"}).status_code == 404
    assert author.delete("/api/v1/tasks/999999").status_code == 404
    assert (
        author.post("/api/v1/trails", {"organisation_id": 999999, "title": "x"}).status_code == 404
    )


def test_trail_list_takes_a_fixed_number_of_queries(author, museum, make_trail, count_queries):
    make_trail(museum, stations=2, published=True)
    with count_queries() as few:
        author.get("/api/v1/trails")
    for _ in range(5):
        make_trail(museum, stations=3, published=True)
    with count_queries() as many:
        assert len(author.get("/api/v1/trails").json) == 6
    assert len(many) == len(few)


# --- QR codes and posters ----------------------------------------------------------------


def decode_pdf(pdf: bytes, dpi: int = 150) -> list[str]:
    """Render every page at `dpi`, as a printer would, and decode the QR codes on it."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image)]
        page.close()
    document.close()
    return found


@pytest.mark.parametrize(("layout", "pages"), [("pages", 7), ("sheet", 2)])
def test_posters_print_codes_that_scan(author, museum, make_trail, layout, pages):
    trail = make_trail(museum, stations=7)
    response = author.get(f"/api/v1/trails/{trail.id}/posters.pdf?layout={layout}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = response.data
    assert len(pypdfium2.PdfDocument(pdf)) == pages
    expected = sorted(s.qr_url for s in trail.stations)
    assert sorted(decode_pdf(pdf)) == expected


def test_posters_need_qr_stations(author, museum, make_trail):
    trail = make_trail(museum, checkin="gps")
    response = author.get(f"/api/v1/trails/{trail.id}/posters.pdf")
    assert response.status_code == 422
    assert error_code(response) == "no_qr_stations"


def test_single_code_as_png_and_svg(author, museum, make_trail, make_client, make_user):
    trail = make_trail(museum)
    station = trail.stations[0]
    png = author.get(f"/api/v1/stations/{station.id}/qr.png")
    assert png.mimetype == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [r.text for r in decoded] == [station.qr_url]
    svg = author.get(f"/api/v1/stations/{station.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert make_client(make_user()).get(f"/api/v1/stations/{station.id}/qr.png").status_code == 403


def test_version_content_is_plain_json(author, museum, make_trail):
    trail = make_trail(museum, published=True)
    content = author.get(f"/api/v1/trails/{trail.id}/versions/1").json["content"]
    assert json.loads(json.dumps(content)) == content
    assert db.session.get(Station, trail.stations[0].id).code == content["stations"][0]["code"]


def test_preview_gives_the_draft_as_students_get_it(
    author, museum, make_trail, make_client, make_user, make_organisation
):
    trail = make_trail(museum, stations=2)
    trail.stations[0].content = "**Glück auf**"
    db.session.commit()
    response = author.get(f"/api/v1/trails/{trail.id}/preview")
    assert response.status_code == 200
    station = response.json["stations"][0]
    assert station["content_html"] == "<p><strong>Glück auf</strong></p>\n"
    task = station["tasks"][0]
    assert task["options"] == [{"id": "a", "text": "1955"}, {"id": "b", "text": "1966"}]
    assert task["check"] == {"correct": "b"}
    assert "definition" not in task
    teacher = make_client(make_user(roles={make_organisation("school"): ["teacher"]}))
    assert teacher.get(f"/api/v1/trails/{trail.id}/preview").status_code == 403


def test_a_trail_shows_only_its_own_institutions_media(author, museum, make_organisation, app):
    from openparcours.media.models import Media

    other = make_organisation("museum")
    own = Media(organisation_id=museum.id, kind="image", mime="image/webp", file="x", size=1)
    foreign = Media(organisation_id=other.id, kind="image", mime="image/webp", file="y", size=1)
    db.session.add_all([own, foreign])
    db.session.commit()
    trail = create_trail(author, museum)
    station = add_station(author, trail["id"], media=[{"media_id": own.id, "alt": "Lampe"}])
    response = author.patch(
        f"/api/v1/stations/{station['id']}", {"media": [{"media_id": foreign.id, "alt": "fremd"}]}
    )
    assert response.status_code == 422
    assert field_errors(response) == {"media"}
    cover = author.patch(f"/api/v1/trails/{trail['id']}", {"cover_media_id": foreign.id})
    assert field_errors(cover) == {"cover_media_id"}
    fine = author.patch(
        f"/api/v1/trails/{trail['id']}", {"cover_media_id": own.id, "cover_alt": "T"}
    )
    assert fine.status_code == 200


SECRET_TASKS = [
    single_choice_task(
        hints=[{"text": "Schau auf die Tafel am Eingang.", "cost": 1}],
        feedback_correct="Richtig: 1966 kam das Ende.",
        feedback_wrong="Leider falsch, lies die Tafel.",
    ),
    {
        "type": "free_text",
        "prompt": "Wie grüßen Bergleute?",
        "points": 5,
        "definition": {"accepted": ["Glück auf"], "typo_tolerance": True},
    },
    {
        "type": "number",
        "prompt": "Wie tief ist der Schacht?",
        "points": 5,
        "definition": {"value": 1873.25, "tolerance": 0, "tolerance_kind": "absolute", "unit": "m"},
    },
]
# What would let a class play without being there, or give away the answers.
SECRET_KEYS = {
    "code",
    "qr_url",
    "hints",
    "feedback_correct",
    "feedback_wrong",
    "definition",
    "check",
    "correct",
    "accepted",
    "value",
}


def keys_below(value, found: set) -> set:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            keys_below(item, found)
    elif isinstance(value, list):
        for item in value:
            keys_below(item, found)
    return found


@pytest.fixture
def secret_trail(museum, make_trail):
    return make_trail(museum, stations=2, published=True, visibility="public", tasks=SECRET_TASKS)


READING_ROUTES = {
    "trail": lambda trail: f"/api/v1/trails/{trail.id}",
    "version": lambda trail: f"/api/v1/trails/{trail.id}/versions/1",
    "stations.geojson": lambda trail: f"/api/v1/trails/{trail.id}/stations.geojson",
    "offers": lambda trail: f"/api/v1/organisations/{trail.organisation_id}/offers",
    "catalogue": lambda trail: "/api/v1/catalogue/trails",
    "offered": lambda trail: "/api/v1/trails/offered",
}


@pytest.fixture(params=["anonymous", "other institution", "partner teacher", "other teacher"])
def reader(request, make_client, make_user, make_organisation, make_partnership, museum):
    if request.param == "anonymous":
        return make_client()
    if request.param == "other institution":
        other = make_organisation("museum", name="Zollverein")
        return make_client(make_user(roles={other: ["educator", "admin"]}))
    school = make_organisation("school")
    if request.param == "partner teacher":
        make_partnership(school, museum)
    return make_client(make_user(roles={school: ["teacher", "admin"]}))


@pytest.mark.parametrize("route", READING_ROUTES)
def test_readers_never_see_codes_answers_feedback_or_hints(reader, secret_trail, route):
    codes = [station.code for station in secret_trail.stations]
    response = reader.get(READING_ROUTES[route](secret_trail))
    if response.status_code == 401:
        assert route == "offered"
        pytest.skip("the offered trails are for staff only: an anonymous reader reads nothing")
    assert response.status_code == 200, response.json
    body = response.get_data(as_text=True)
    for secret in (
        *codes,
        "Schau auf die Tafel",
        "kam das Ende",
        "lies die Tafel",
        "Glück auf",
        "1873.25",
    ):
        assert secret not in body
    document = json.loads(body)
    assert not keys_below(document, set()) & SECRET_KEYS
    if route in ("trail", "version"):
        stations = (document.get("content") or document)["stations"]
        # What the catalogue needs stays: titles, places and the tasks' prompts and points.
        assert [s["title"] for s in stations] == ["Station 1", "Station 2"]
        assert [t["prompt"] for t in stations[0]["tasks"]] == [t["prompt"] for t in SECRET_TASKS]
        assert [t["points"] for t in stations[0]["tasks"]] == [10, 5, 5]


@pytest.mark.parametrize("route", ["trail", "version"])
def test_authors_still_see_everything(author, secret_trail, route):
    stations = author.get(READING_ROUTES[route](secret_trail)).json
    stations = (stations.get("content") or stations)["stations"]
    assert [s["code"] for s in stations] == [s.code for s in secret_trail.stations]
    task = stations[0]["tasks"][0]
    assert task["definition"]["correct"] == "b"
    assert task["hints"][0]["text"] == "Schau auf die Tafel am Eingang."
    assert task["feedback_wrong"] == "Leider falsch, lies die Tafel."


def test_every_publish_problem_has_a_code_and_names_its_station_task_and_field(author, museum):
    trail = create_trail(author, museum)
    add_station(author, trail["id"], content="Text")
    gps = add_station(author, trail["id"], checkin="gps", content="Text")
    incomplete = single_choice_task(
        prompt="", definition={"options": [{"id": "a", "text": ""}], "correct": "x"}
    )
    assert author.post(f"/api/v1/stations/{gps['id']}/tasks", incomplete).status_code == 201
    problems = author.get(f"/api/v1/trails/{trail['id']}/publish-check").json["problems"]
    assert [(p["code"], p["params"]) for p in problems] == [
        ("station_needs_place", {"station": 2, "field": "lat"}),
        ("task_prompt_missing", {"station": 2, "task": 1, "field": "prompt"}),
        ("entry_text_missing", {"station": 2, "task": 1, "field": "options", "entry": 1}),
        ("too_few_entries", {"station": 2, "task": 1, "field": "options"}),
        ("right_option_missing", {"station": 2, "task": 1, "field": "correct"}),
    ]


def test_an_empty_station_blocks_publishing(author, museum):
    trail = create_trail(author, museum)
    empty = add_station(author, trail["id"])
    check = author.get(f"/api/v1/trails/{trail['id']}/publish-check").json
    assert check["publishable"] is False
    assert [(p["code"], p["params"]) for p in check["problems"]] == [
        ("station_empty", {"station": 1}),
    ]
    assert author.post(f"/api/v1/trails/{trail['id']}/versions").status_code == 422
    # Text, media or a task is something to meet there.
    author.patch(f"/api/v1/stations/{empty['id']}", {"content": "Der Förderturm ist 50 m hoch."})
    assert author.get(f"/api/v1/trails/{trail['id']}/publish-check").json == {
        "publishable": True,
        "problems": [],
    }
    with_task = add_station(author, trail["id"])
    author.post(f"/api/v1/stations/{with_task['id']}/tasks", single_choice_task())
    assert author.get(f"/api/v1/trails/{trail['id']}/publish-check").json["publishable"]


def test_competence_tags_are_the_tables_names_and_keys(author, museum):
    trail = create_trail(
        author,
        museum,
        subjects=[" geschichte", "Geschichte", "Sozialwissenschaften"],
        grades=[7, 8],
        media_competences=["2.1", "1.2", "2.1"],
        curriculum_reference={
            "text": "KLP Geschichte Sek. I, Inhaltsfeld 7: Industrialisierung",
            "url": "https://www.schulentwicklung.nrw.de/lehrplaene/",
        },
    )
    assert trail["subjects"] == ["Geschichte", "Sozialwissenschaften"]
    assert trail["media_competences"] == ["1.2", "2.1"]  # the table's order, each once
    assert trail["curriculum_reference"]["text"].startswith("KLP Geschichte")
    station = add_station(author, trail["id"], subjects=["Physik"], media_competences=["4.1"])
    assert (station["subjects"], station["media_competences"]) == (["Physik"], ["4.1"])

    refused = author.post(
        f"/api/v1/trails/{trail['id']}/stations", {"title": "S", "subjects": ["Physik", "Kochen"]}
    )
    assert refused.status_code == 422
    assert refused.json["fields"] == {
        "subjects.1": [{"code": "unknown_subject", "params": {"subject": "Kochen"}}]
    }
    refused = author.patch(f"/api/v1/trails/{trail['id']}", {"media_competences": ["2.5"]})
    assert refused.json["fields"]["media_competences.0"][0]["code"] == "not_one_of"
    assert author.get(f"/api/v1/trails/{trail['id']}").json["media_competences"] == ["1.2", "2.1"]


def test_a_free_subject_from_before_the_table_stays_until_taken_out(author, museum, make_trail):
    trail = make_trail(museum, subjects=["Heimatkunde", "Geschichte"])
    kept = author.patch(f"/api/v1/trails/{trail.id}", {"subjects": ["Heimatkunde", "Erdkunde"]})
    assert kept.status_code == 200, kept.json
    assert kept.json["subjects"] == ["Heimatkunde", "Erdkunde"]
    assert author.patch(f"/api/v1/trails/{trail.id}", {"subjects": ["Erdkunde"]}).status_code == 200
    again = author.patch(f"/api/v1/trails/{trail.id}", {"subjects": ["Heimatkunde"]})
    assert again.status_code == 422
    assert again.json["fields"]["subjects.0"][0]["code"] == "unknown_subject"


def test_the_published_version_keeps_the_tags(author, museum):
    trail = create_trail(
        author,
        museum,
        subjects=["Geschichte"],
        media_competences=["2.1"],
        curriculum_reference={"text": "Inhaltsfeld 7", "url": None},
    )
    station = add_station(author, trail["id"], media_competences=["4.1"])
    author.post(f"/api/v1/stations/{station['id']}/tasks", single_choice_task())
    version = author.post(f"/api/v1/trails/{trail['id']}/versions").json
    content = author.get(f"/api/v1/trails/{trail['id']}/versions/{version['number']}").json[
        "content"
    ]
    assert content["media_competences"] == ["2.1"]
    assert content["curriculum_reference"] == {"text": "Inhaltsfeld 7", "url": None}
    assert content["stations"][0]["media_competences"] == ["4.1"]
