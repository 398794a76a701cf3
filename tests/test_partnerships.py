"""Partnerships and cooperation agreements: lifecycle, signatures, amendments, print, reports,
the network office's overview, and who may do what."""

import io
from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest
from openpyxl import load_workbook

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion
from openparcours.trails.publishing import snapshot
from openparcours.visits.retention import delete_data
from tests.factories import TODAY

CONTENT = {
    "goals": "Die Klassen lernen das Museum als außerschulischen Lernort kennen.",
    "activities": "Jede 7. Klasse spielt einmal im Jahr den Parcours „Unter Tage“.",
    "subjects": ["Geschichte", "Erdkunde"],
    "grades": [7, 8],
    "curriculum": "Im Geschichtsunterricht der Klasse 7 (Industrialisierung).",
    "contacts_school": [{"name": "Frau Yılmaz", "role": "Fachleitung Geschichte"}],
    "contacts_institution": [
        {"name": "Herr Nowak", "role": "Museumspädagogik", "email": "nowak@museum.example"}
    ],
    "visits_per_year": 4,
    "booking_privilege": True,
    "costs": "Der Eintritt ist frei.",
}


@pytest.fixture
def sides(make_organisation, make_user, make_client, make_trail):
    """A museum and a school, each with an admin; a published trail of the museum."""
    museum = make_organisation("museum", name="Stadtmuseum Bochum", district="Bochum")
    school = make_organisation("school", name="Gesamtschule Mitte", district="Bochum")
    museum_admin = make_user(roles={museum: ["admin"]}, name="Dr. Maria Weber")
    school_admin = make_user(roles={school: ["admin", "teacher"]}, name="Ahmet Şahin")
    trail = make_trail(museum, published=True, title="Unter Tage", description="Ein Parcours.")
    return {
        "museum": museum,
        "school": school,
        "trail": trail,
        "museum_admin": make_client(museum_admin),
        "school_admin": make_client(school_admin),
    }


def start(sides) -> dict:
    response = sides["museum_admin"].post(
        "/api/v1/partnerships",
        {"school_id": sides["school"].id, "institution_id": sides["museum"].id},
    )
    assert response.status_code == 201, response.json
    return response.json


def write(client, agreement_id, **changes):
    body = {
        "content": CONTENT,
        "starts_on": (TODAY - timedelta(days=1)).isoformat(),
        "ends_on": (TODAY + timedelta(days=3 * 365)).isoformat(),
        "review_on": (TODAY + timedelta(days=365)).isoformat(),
        "trail_ids": [],
    } | changes
    return client.put(f"/api/v1/agreements/{agreement_id}", body)


def signed_agreement(sides, **changes) -> dict:
    draft = start(sides)
    assert (
        write(
            sides["museum_admin"], draft["id"], trail_ids=[sides["trail"].id], **changes
        ).status_code
        == 200
    )
    assert (
        sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose").status_code == 200
    )
    sign(sides["school_admin"], draft["id"], "Ahmet Şahin", "Schulleiter")
    return sign(sides["museum_admin"], draft["id"], "Dr. Maria Weber", "Museumsleitung").json


def sign(client, agreement_id, name, role, **fields):
    body = {"signer_name": name, "signer_role": role} | fields
    return client.post(f"/api/v1/agreements/{agreement_id}/signatures", body)


def test_draft_propose_sign_active(sides):
    draft = start(sides)
    assert (draft["number"], draft["status"]) == (1, "draft")
    assert draft["warnings"] == ["no_review_date"]
    # The institution offers its partners-only trail; the school's admin keeps it when saving.
    assert (
        write(sides["museum_admin"], draft["id"], trail_ids=[sides["trail"].id]).status_code == 200
    )
    written = write(sides["school_admin"], draft["id"], trail_ids=[sides["trail"].id]).json
    assert written["content"]["grades"] == [7, 8]
    assert [t["title"] for t in written["trails"]] == ["Unter Tage"]
    assert written["warnings"] == []
    proposed = sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose").json
    assert proposed["status"] == "proposed"

    first = sign(sides["school_admin"], draft["id"], "Ahmet Şahin", "Schulleiter")
    assert first.status_code == 201
    assert first.json["status"] == "proposed"
    twice = sign(sides["school_admin"], draft["id"], "Ahmet Şahin", "Schulleiter")
    assert (twice.status_code, twice.json["code"]) == (409, "signed_twice")
    second = sign(sides["museum_admin"], draft["id"], "Dr. Maria Weber", "Museumsleitung").json
    assert second["status"] == "active"
    assert second["signed_at"]
    assert [(s["organisation"]["name"], s["signer_name"]) for s in second["signatures"]] == [
        ("Gesamtschule Mitte", "Ahmet Şahin"),
        ("Stadtmuseum Bochum", "Dr. Maria Weber"),
    ]
    changed = write(sides["museum_admin"], draft["id"])
    assert (changed.status_code, changed.json["code"]) == (409, "agreement_signed")
    assert sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json == second


def test_both_sides_signing_at_the_same_moment(sides, monkeypatch):
    """Each signer reads the signatures, then writes its own: had neither seen the other's,
    the agreement would stay "proposed" with both signatures, and nobody could sign again."""
    import contextlib
    import threading

    from openparcours.partnerships import service

    draft = start(sides)
    write(sides["museum_admin"], draft["id"], trail_ids=[sides["trail"].id])
    sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    both_read = threading.Barrier(2, timeout=10)

    def read_then_wait():  # called by each signer between its check and its write
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=1)  # the second signer waits at its lock instead
        return utcnow()

    monkeypatch.setattr(service, "utcnow", read_then_wait)
    answers = {}

    def signs(client, name):
        answers[name] = sign(client, draft["id"], name, "Leitung")

    signers = [
        threading.Thread(target=signs, args=(sides["school_admin"], "Ahmet Şahin")),
        threading.Thread(target=signs, args=(sides["museum_admin"], "Maria Weber")),
    ]
    for signer in signers:
        signer.start()
    for signer in signers:
        signer.join(timeout=30)
    assert sorted(a.status_code for a in answers.values()) == [201, 201]
    agreement = sides["school_admin"].get(f"/api/v1/agreements/{draft['id']}").json
    assert agreement["status"] == "active"
    assert len(agreement["signatures"]) == 2


def test_an_amendment_is_signed_again_and_supersedes(sides):
    first = signed_agreement(sides)
    partnership = first["partnership"]["id"]
    amendment = sides["school_admin"].post(f"/api/v1/partnerships/{partnership}/agreements").json
    assert (amendment["number"], amendment["status"]) == (2, "draft")
    assert amendment["content"] == first["content"]
    assert amendment["trails"] == first["trails"]
    again = sides["school_admin"].post(f"/api/v1/partnerships/{partnership}/agreements")
    assert (again.status_code, again.json["code"]) == (409, "amendment_open")
    content = CONTENT | {"goals": "Neue Ziele.", "visits_per_year": 6}
    write(sides["school_admin"], amendment["id"], content=content, trail_ids=[sides["trail"].id])
    sides["school_admin"].post(f"/api/v1/agreements/{amendment['id']}/propose")
    sign(sides["school_admin"], amendment["id"], "Ahmet Şahin", "Schulleiter")
    # Still in force until the amendment has both signatures.
    assert sides["school_admin"].get(f"/api/v1/agreements/{first['id']}").json["status"] == "active"
    sign(sides["museum_admin"], amendment["id"], "Dr. Maria Weber", "Museumsleitung")
    assert (
        sides["school_admin"].get(f"/api/v1/agreements/{first['id']}").json["status"]
        == "superseded"
    )

    detail = sides["school_admin"].get(f"/api/v1/partnerships/{partnership}").json
    assert detail["current"]["number"] == 2
    assert detail["open"] is None
    assert [(v["number"], v["status"]) for v in detail["versions"]] == [
        (1, "superseded"),
        (2, "active"),
    ]
    diff = sides["school_admin"].get(
        f"/api/v1/agreements/{amendment['id']}/diff?from={first['id']}"
    )
    assert diff.json == [
        {"field": "goals", "before": CONTENT["goals"], "after": "Neue Ziele."},
        {"field": "visits_per_year", "before": 4, "after": 6},
    ]


def test_withdrawing_voids_signatures(sides):
    draft = start(sides)
    write(sides["museum_admin"], draft["id"])
    sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    sign(sides["museum_admin"], draft["id"], "Dr. Maria Weber", "Museumsleitung")
    # What is up for signing does not change under the signers' hands: withdraw it first.
    proposed = sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json
    changed = write(sides["school_admin"], draft["id"], content=CONTENT | {"costs": "10 €"})
    assert (changed.status_code, changed.json["code"]) == (409, "agreement_proposed")
    assert sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json == proposed
    back = sides["school_admin"].post(f"/api/v1/agreements/{draft['id']}/withdraw").json
    assert (back["status"], back["signatures"]) == ("draft", [])


def test_bad_input_changes_nothing(sides, make_organisation, make_trail, make_client, make_user):
    draft = start(sides)
    again = sides["school_admin"].post(
        "/api/v1/partnerships",
        {"school_id": sides["school"].id, "institution_id": sides["museum"].id},
    )
    assert (again.status_code, again.json["code"]) == (409, "partnership_exists")
    stranger_trail = make_trail(make_organisation("library"), published=True)
    unpublished = make_trail(sides["museum"])
    before = sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json
    cases = [
        ({"ends_on": (TODAY - timedelta(days=5)).isoformat()}, "ends_on"),
        ({"review_on": (TODAY - timedelta(days=5)).isoformat()}, "review_on"),
        ({"trail_ids": [stranger_trail.id]}, "trail_ids"),
        ({"trail_ids": [unpublished.id]}, "trail_ids"),
        ({"trail_ids": [999999]}, "trail_ids"),
        ({"content": CONTENT | {"grades": [14]}}, "content"),
        ({"content": CONTENT | {"contacts_school": [{"role": "ohne Namen"}]}}, "content"),
        ({"starts_on": "22.11.2026"}, "starts_on"),
    ]
    for changes, field in cases:
        response = write(sides["museum_admin"], draft["id"], **changes)
        assert response.status_code == 422, changes
        assert field in response.json["errors"], (changes, response.json)
    assert sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json == before

    not_yet = sign(sides["school_admin"], draft["id"], "A", "B")
    assert (not_yet.status_code, not_yet.json["code"]) == (409, "agreement_draft")
    empty = sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    assert empty.status_code == 422
    assert set(empty.json["errors"]) == {"starts_on", "goals"}

    write(sides["museum_admin"], draft["id"])
    sides["museum_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    other = make_organisation("museum")
    wrong_side = sign(sides["museum_admin"], draft["id"], "A", "B", organisation_id=other.id)
    assert wrong_side.status_code == 422
    for_the_school = sign(
        sides["museum_admin"], draft["id"], "A", "B", organisation_id=sides["school"].id
    )
    assert for_the_school.status_code == 403  # not an admin of the school
    educator = make_client(make_user(roles={sides["museum"]: ["educator"]}))
    assert sign(educator, draft["id"], "A", "B").status_code == 403
    site_admin = make_client(make_user(site_admin=True))
    assert sign(site_admin, draft["id"], "A", "B").status_code == 403  # signs for no side
    ended = sides["museum_admin"].post(
        f"/api/v1/agreements/{draft['id']}/end", {"ended_on": TODAY.isoformat()}
    )
    assert (ended.status_code, ended.json["code"]) == (409, "not_in_force")
    assert sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}").json["signatures"] == []


def test_who_may_do_what(sides, make_user, make_client, make_organisation):
    agreement = signed_agreement(sides)
    path = f"/api/v1/agreements/{agreement['id']}"
    partnership = f"/api/v1/partnerships/{agreement['partnership']['id']}"
    readers = {
        "a teacher of the school": make_client(make_user(roles={sides["school"]: ["teacher"]})),
        "an educator of the museum": make_client(make_user(roles={sides["museum"]: ["educator"]})),
        "the network office of Bochum": make_client(make_user(district="Bochum")),
        "a site admin": make_client(make_user(site_admin=True)),
    }
    strangers = {
        "an admin of another school": (
            make_client(make_user(roles={make_organisation("school"): ["admin"]})),
            403,
        ),
        "the network office of Essen": (make_client(make_user(district="Essen")), 403),
        "anonymous": (make_client(), 401),
    }
    for who, client in readers.items():
        for url in (path, partnership, f"{partnership}/report", f"{path}/agreement.pdf"):
            assert client.get(url).status_code == 200, (who, url)
        if who != "a site admin":  # only the admins of both sides write
            assert client.post(f"{partnership}/agreements").status_code == 403, who
    for who, (client, status) in strangers.items():
        for url in (path, partnership, f"{partnership}/report", f"{path}/agreement.pdf"):
            assert client.get(url).status_code == status, (who, url)
        start_one = client.post(
            "/api/v1/partnerships",
            {"school_id": sides["school"].id, "institution_id": make_organisation("museum").id},
        )
        assert start_one.status_code == status, who
    teacher = readers["a teacher of the school"]
    other_museum = make_organisation("museum")
    attempt = teacher.post(
        "/api/v1/partnerships", {"school_id": sides["school"].id, "institution_id": other_museum.id}
    )
    assert attempt.status_code == 403


def test_print_shows_both_signatures_and_the_offers(sides):
    agreement = signed_agreement(sides)
    response = sides["school_admin"].get(f"/api/v1/agreements/{agreement['id']}/agreement.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.data)
    assert all(tuple(round(x) for x in page.get_size()) == (595, 842) for page in pdf)  # A4
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    expected_texts = (
        "Kooperationsvereinbarung",
        "Gesamtschule Mitte",
        "Stadtmuseum Bochum",
        "Unter Tage",
        "Ein Parcours.",
        "Dr. Maria Weber",
        "Museumsleitung",
        "Schulleiter",
        "Frau Yılmaz",
        "Vorrang bei Buchungen",
        "in Kraft",
    )
    for expected in expected_texts:
        assert expected in text, expected


def pdf_text(data: bytes) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data))


def test_the_offers_show_what_they_teach_as_published_and_as_signed(sides):
    trail = sides["trail"]
    trail.subjects, trail.grades, trail.media_competences = ["Geschichte"], [7, 8, 9], ["2.1"]
    trail.stations[0].subjects = ["Chemie"]
    trail.stations[0].media_competences = ["4.1"]
    trail.versions[0].content = snapshot(trail)
    trail.media_competences = ["6.3"]  # a later draft: not what is offered
    db.session.commit()
    agreement = signed_agreement(sides)
    [offer] = agreement["trails"]
    assert (offer["subjects"], offer["grades"]) == (["Geschichte", "Chemie"], [7, 8, 9])
    assert offer["media_competences"] == [
        {"key": "2.1", "name": "Informationsrecherche"},
        {"key": "4.1", "name": "Medienproduktion und Präsentation"},
    ]
    trail.versions[0].content = {**trail.versions[0].content, "subjects": ["Kunst"]}
    db.session.commit()
    url = f"/api/v1/agreements/{agreement['id']}"
    assert sides["school_admin"].get(url).json["trails"] == [offer]  # as signed
    text = pdf_text(sides["school_admin"].get(f"{url}/agreement.pdf").data)
    assert "Geschichte, Chemie · Jahrgang 7–9" in text
    assert "Medienkompetenzrahmen NRW: 2.1 Informationsrecherche, 4.1 Medienproduktion" in text
    assert "Kunst" not in text


def test_an_offer_signed_before_the_tags_prints_without_them(sides):
    agreement = signed_agreement(sides)
    version = db.session.get(AgreementVersion, agreement["id"])
    version.offers = [{"id": sides["trail"].id, "title": "Unter Tage", "description": "Alt."}]
    db.session.commit()
    url = f"/api/v1/agreements/{agreement['id']}"
    [offer] = sides["school_admin"].get(url).json["trails"]
    assert (offer["subjects"], offer["grades"], offer["media_competences"]) == ([], [], [])
    text = pdf_text(sides["school_admin"].get(f"{url}/agreement.pdf").data)
    assert "Unter Tage" in text
    assert "Jahrgang" not in text.split("3. Lernangebote")[1].split("4. Fächer")[0]
    assert "Medienkompetenzrahmen" not in text


def test_reminders_for_review_and_end(sides):
    agreement = signed_agreement(
        sides,
        starts_on=(TODAY - timedelta(days=700)).isoformat(),
        review_on=(TODAY - timedelta(days=1)).isoformat(),
        ends_on=(TODAY + timedelta(days=60)).isoformat(),
    )
    assert agreement["warnings"] == ["review_due", "ending_soon"]
    for client in (sides["school_admin"], sides["museum_admin"]):
        (listed,) = client.get("/api/v1/partnerships").json
        assert listed["warnings"] == ["review_due", "ending_soon"]
        assert listed["current"]["id"] == agreement["id"]
    amendment = (
        sides["museum_admin"]
        .post(f"/api/v1/partnerships/{agreement['partnership']['id']}/agreements")
        .json["id"]
    )
    short = write(
        sides["museum_admin"], amendment, ends_on=(TODAY + timedelta(days=200)).isoformat()
    )
    assert short.json["warnings"] == ["shorter_than_two_years"]
    # Two school years, 1 August to 31 July two years later, are long enough; a day less is not.
    for ends_on, warned in (("2028-07-31", False), ("2028-07-30", True)):
        term = write(sides["museum_admin"], amendment, starts_on="2026-08-01", ends_on=ends_on)
        assert ("shorter_than_two_years" in term.json["warnings"]) is warned, ends_on


def test_an_agreement_ended_early_reminds_of_its_end(sides):
    agreement = signed_agreement(sides)
    assert agreement["warnings"] == []
    path = f"/api/v1/agreements/{agreement['id']}/end"
    ending = (TODAY + timedelta(days=30)).isoformat()
    assert sides["school_admin"].post(path, {"ended_on": ending}).json["warnings"] == [
        "ending_soon"
    ]
    (listed,) = sides["museum_admin"].get("/api/v1/partnerships").json
    assert listed["warnings"] == ["ending_soon"]


def test_what_is_signed_keeps_its_offers_when_a_trail_changes(sides, make_trail):
    """The offers are frozen when the agreement is proposed: a trail renamed or described
    anew later changes neither the signed text nor its PDF; an amendment shows the change."""
    from openparcours.trails.models import TrailVersion
    from openparcours.trails.publishing import snapshot

    agreement = signed_agreement(sides)
    trail = sides["trail"]
    trail.title, trail.description = "Tief unter Tage", "Neu beschrieben."
    db.session.add(TrailVersion(trail=trail, number=2, content=snapshot(trail)))
    db.session.commit()
    school_admin = sides["school_admin"]
    signed = school_admin.get(f"/api/v1/agreements/{agreement['id']}").json
    assert signed["trails"] == [
        {
            "id": trail.id,
            "title": "Unter Tage",
            "description": "Ein Parcours.",
            "subjects": [],
            "grades": [],
            "media_competences": [],
        }
    ]
    pdf = school_admin.get(f"/api/v1/agreements/{agreement['id']}/agreement.pdf").data
    text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf))
    assert "Unter Tage" in text
    assert "Tief unter Tage" not in text

    partnership = agreement["partnership"]["id"]
    amendment = school_admin.post(f"/api/v1/partnerships/{partnership}/agreements").json
    assert amendment["trails"][0]["title"] == "Tief unter Tage"  # a draft offers what is published
    diff = school_admin.get(f"/api/v1/agreements/{amendment['id']}/diff?from={agreement['id']}")
    assert diff.json == [
        {"field": "trails", "before": ["Unter Tage"], "after": ["Tief unter Tage"]}
    ]


def test_ending_an_agreement(sides):
    agreement = signed_agreement(sides)
    path = f"/api/v1/agreements/{agreement['id']}/end"
    early = sides["school_admin"].post(path, {"ended_on": (TODAY - timedelta(days=3)).isoformat()})
    assert early.status_code == 422
    ended = sides["school_admin"].post(path, {"ended_on": TODAY.isoformat()}).json
    assert ended["status"] == "ended"
    assert ended["ended_on"] == TODAY.isoformat()


def visit_of(make_visit, sides, days_ago: int, **settings):
    visit = make_visit(
        sides["trail"],
        starts=timedelta(days=-days_ago),
        ends=timedelta(days=-days_ago, hours=2),
        school_id=sides["school"].id,
        **settings,
    )
    return visit


def add_teams(visit, finished: int, unfinished: int) -> None:
    """Teams that answered every task right, and teams that did nothing."""
    import uuid

    from openparcours.visits.models import Event, Team

    stations = visit.version.content["stations"]
    for n in range(finished + unfinished):
        team = Team(
            visit=visit, name=f"T{n}", name_key=f"t{n}", players=3, token_hash=uuid.uuid4().hex
        )
        db.session.add(team)
        db.session.flush()
        if n < finished:
            for station in stations:
                for task in station["tasks"]:
                    db.session.add(
                        Event(
                            event_id=str(uuid.uuid4()),
                            visit_id=visit.id,
                            team_id=team.id,
                            type="answer",
                            station_id=station["id"],
                            task_id=task["id"],
                            answer="b",
                            client_at=utcnow(),
                            correct=True,
                            credit=1,
                            points=10,
                        )
                    )
    db.session.commit()


def test_documentation_of_a_school_year(sides, make_visit, make_trail, make_organisation):
    signed_agreement(sides)
    year = TODAY.year if TODAY.month >= 8 else TODAY.year - 1
    this_year = visit_of(make_visit, sides, 1, class_label="7a")
    add_teams(this_year, finished=2, unfinished=2)
    older = visit_of(make_visit, sides, 2, class_label="7b")
    add_teams(older, finished=3, unfinished=0)
    delete_data(older)  # retention: only the counts stay
    visit_of(make_visit, sides, 400, class_label="Letztes Jahr")
    elsewhere = make_trail(make_organisation("museum"), published=True)
    make_visit(elsewhere, school_id=sides["school"].id, class_label="Anderes Museum")

    partnership_id = sides["school_admin"].get("/api/v1/partnerships").json[0]["partnership"]["id"]
    base = f"/api/v1/partnerships/{partnership_id}/report"
    report = sides["school_admin"].get(f"{base}?year={year}").json
    assert report["school_year"] == f"{year}/{(year + 1) % 100:02d}"
    rows = {v["class_label"]: v for v in report["visits"]}
    assert set(rows) == {"7a", "7b"}
    assert (rows["7a"]["teams"], rows["7a"]["completed_teams"], rows["7a"]["completion_rate"]) == (
        4,
        2,
        0.5,
    )
    assert (rows["7b"]["teams"], rows["7b"]["players"], rows["7b"]["data_deleted"]) == (3, 9, True)
    assert report["totals"] == {
        "visits": 2,
        "teams": 7,
        "players": 21,
        "completion_rate": 0.71,
        "mean_points": 7.1,
    }
    assert sides["school_admin"].get(f"{base}?year=1999").status_code == 422

    book = load_workbook(io.BytesIO(sides["museum_admin"].get(f"{base}.xlsx?year={year}").data))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[3], r[5]) for r in rows] == [("7b", 3, 3), ("7a", 4, 2)]
    pdf = sides["museum_admin"].get(f"{base}.pdf?year={year}")
    text = pypdfium2.PdfDocument(pdf.data)[0].get_textpage().get_text_range()
    assert "Dokumentation Schuljahr" in text
    assert "7a" in text
    assert "T0" not in text
    assert "2 Besuche · 7 Gruppen · 21 Schüler:innen" in text
    assert "geschafft: 71 % · Punkte im Mittel: 7,1" in text


def test_district_overview_for_its_network_office(sides, make_client, make_user, make_visit):
    signed_agreement(
        sides,
        starts_on=(TODAY - timedelta(days=400)).isoformat(),
        review_on=(TODAY - timedelta(days=1)).isoformat(),
    )
    visit = visit_of(make_visit, sides, 1)
    add_teams(visit, finished=1, unfinished=0)
    office = make_client(make_user(district="Bochum"))
    overview = office.get("/api/v1/districts/Bochum/overview")
    assert overview.status_code == 200
    figures = overview.json
    assert figures["partnerships"] == 1
    assert figures["by_institution_kind"] == {"museum": 1}
    assert figures["by_school_form"] == {"gymnasium": 1}
    assert figures["agreements"] == {
        "active": 1,
        "signed": 0,
        "in_writing": 0,
        "review_due": 1,
        "ending_soon": 0,
    }
    assert len(figures["visits_per_month"]) == 12
    assert sum(m["visits"] for m in figures["visits_per_month"]) == 1
    assert "T0" not in overview.get_data(as_text=True)
    assert (
        make_client(make_user(district="Essen"))
        .get("/api/v1/districts/Bochum/overview")
        .status_code
        == 403
    )
    assert sides["school_admin"].get("/api/v1/districts/Bochum/overview").status_code == 403


def test_a_visit_belongs_to_the_agreement_that_offers_its_trail(sides, make_trail):
    agreement = signed_agreement(sides)
    fields = {
        "trail_id": sides["trail"].id,
        "class_label": "7a",
        "starts_at": datetime.now(UTC).isoformat(),
        "ends_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
    }
    visit = sides["school_admin"].post("/api/v1/visits", fields).json
    assert visit["agreement_id"] == agreement["id"]
    other = make_trail(sides["museum"], published=True, visibility="public")
    unlinked = sides["school_admin"].post("/api/v1/visits", fields | {"trail_id": other.id}).json
    assert unlinked["agreement_id"] is None
    wrong = sides["school_admin"].post(
        "/api/v1/visits", fields | {"trail_id": other.id, "agreement_id": agreement["id"]}
    )
    assert wrong.status_code == 422
    assert "agreement_id" in wrong.json["errors"]
    offered_under = sides["museum_admin"].get(f"/api/v1/trails/{sides['trail'].id}/agreements").json
    assert [a["id"] for a in offered_under] == [agreement["id"]]


def test_organisation_profile_and_its_offers(sides, make_client, make_trail):
    museum = sides["museum"]
    changed = sides["museum_admin"].patch(
        f"/api/v1/organisations/{museum.id}",
        {
            "description": "Das Museum der Stadt.",
            "website": "https://museum.example",
            "contacts": [{"name": "Herr Nowak", "role": "Museumspädagogik"}],
        },
    )
    assert changed.status_code == 200, changed.json
    bad = sides["museum_admin"].patch(
        f"/api/v1/organisations/{museum.id}", {"website": "javascript:alert(1)"}
    )
    assert bad.status_code == 422
    profile = make_client().get(f"/api/v1/organisations/{museum.id}").json
    assert profile["description"] == "Das Museum der Stadt."
    assert profile["contacts"][0]["name"] == "Herr Nowak"
    public = make_trail(museum, published=True, visibility="public", title="Für alle")
    anonymous = [
        t["title"] for t in make_client().get(f"/api/v1/organisations/{museum.id}/offers").json
    ]
    assert anonymous == ["Für alle"]
    partner = [
        t["title"]
        for t in sides["school_admin"].get(f"/api/v1/organisations/{museum.id}/offers").json
    ]
    assert partner == ["Für alle"]  # not yet a partner: "Unter Tage" is for partners only
    signed_agreement(sides)
    partner = [
        t["title"]
        for t in sides["school_admin"].get(f"/api/v1/organisations/{museum.id}/offers").json
    ]
    assert partner == ["Für alle", "Unter Tage"]
    assert public


def test_a_schools_admin_links_only_offers_it_may_see(sides, make_trail):
    """Drafting an agreement shows a school's admin the institution's public offers and those
    already in its agreements, never the titles of other partners-only trails."""
    museum = sides["museum"]
    public = make_trail(museum, published=True, visibility="public", title="Für alle")
    hidden = make_trail(museum, published=True, title="Nur für Partner", description="Intern.")
    draft = start(sides)
    refused = write(sides["school_admin"], draft["id"], trail_ids=[public.id, hidden.id])
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "trail_ids": [f"Trail {hidden.id} is not one of the institution's trails."]
    }
    assert "Nur für Partner" not in refused.get_data(as_text=True)
    unchanged = sides["school_admin"].get(f"/api/v1/agreements/{draft['id']}").json
    assert unchanged["trails"] == []
    offers = sides["school_admin"].get(f"/api/v1/organisations/{museum.id}/offers").json
    assert [t["title"] for t in offers] == ["Für alle"]
    assert write(sides["school_admin"], draft["id"], trail_ids=[public.id]).status_code == 200
    # The institution's admin offers any of its trails; then the school's admin keeps them.
    both = [public.id, hidden.id]
    assert write(sides["museum_admin"], draft["id"], trail_ids=both).status_code == 200
    kept = write(sides["school_admin"], draft["id"], trail_ids=both)
    assert kept.status_code == 200
    assert [t["title"] for t in kept.json["trails"]] == ["Für alle", "Nur für Partner"]


ANCHORING = [
    {
        "year_group": 7,
        "subject": "Geschichte",
        "teaching_unit": "Industrialisierung im Ruhrgebiet",
        "media_competences": ["2.1", "4.1"],
        "term": 2,
    },
    {
        "year_group": 9,
        "subject": "Deutsch",
        "teaching_unit": "Sachtexte verfassen",
        "offer": "Schreibwerkstatt im Museum",
    },
]


def test_the_anchoring_as_rows_is_written_printed_and_compared(sides):
    draft = start(sides)
    trail_id = sides["trail"].id
    rows = [ANCHORING[0] | {"trail_id": trail_id}, ANCHORING[1]]
    saved = write(
        sides["museum_admin"],
        draft["id"],
        trail_ids=[trail_id],
        content=CONTENT | {"anchoring": rows},
    )
    assert saved.status_code == 200, saved.json
    assert saved.json["content"]["anchoring"][0]["trail_id"] == trail_id
    assert saved.json["content"]["anchoring"][1] | {} == rows[1] | {
        "trail_id": None,
        "media_competences": [],
        "term": None,
    }
    assert saved.json["content"]["curriculum"] == CONTENT["curriculum"]  # the old text stays
    pdf = sides["museum_admin"].get(f"/api/v1/agreements/{draft['id']}/agreement.pdf")
    # Words, whatever the narrow columns wrap.
    text = " ".join(
        " ".join(page.get_textpage().get_text_range().split())
        for page in pypdfium2.PdfDocument(pdf.data)
    )
    for expected in ("Unterrichtsvorhaben", "Industrialisierung im Ruhrgebiet", "2.1, 4.1"):
        assert expected in text, expected
    assert "Schreibwerkstatt im Museum" in text
    assert "Unter Tage" in text


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"subject": "Kochen"}, "subject"),
        ({"year_group": 14}, "year_group"),
        ({"media_competences": ["7.1"]}, "media_competences"),
        ({"term": 3}, "term"),
        ({"teaching_unit": ""}, "teaching_unit"),
    ],
)
def test_a_bad_anchoring_row_is_refused_by_its_field(sides, row, field):
    draft = start(sides)
    response = write(
        sides["museum_admin"], draft["id"], content=CONTENT | {"anchoring": [ANCHORING[0] | row]}
    )
    assert response.status_code == 422
    assert any(path.startswith(f"content.anchoring.0.{field}") for path in response.json["fields"])


def test_an_anchoring_row_offers_only_the_agreements_trails(sides, make_trail):
    draft = start(sides)
    other = make_trail(sides["museum"], published=True, title="Anderer Parcours")
    response = write(
        sides["museum_admin"],
        draft["id"],
        trail_ids=[sides["trail"].id],
        content=CONTENT | {"anchoring": [ANCHORING[0] | {"trail_id": other.id}]},
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"content.anchoring.0.trail_id"}
