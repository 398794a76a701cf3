"""Souvenir pages: a team's page for home shows only what its teacher approved, nothing of
another team, is not indexed, and goes with the visit's data."""

from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest

from openparcours.database import local_zone
from openparcours.extensions import db
from openparcours.media.models import Media
from openparcours.visits.models import Event, Team
from openparcours.visits.retention import run_retention
from tests.factories import Phone, event, single_choice_task, visit_fields
from tests.helpers import error_code

FREE_TEXT = {
    "type": "free_text",
    "prompt": "Was hat euch überrascht?",
    "points": 5,
    "definition": {
        "accepted": ["Die Kaue von Füchse", "Die Kaue von Eulen"],
        "typo_tolerance": False,
    },
}
PHOTO = {"type": "photo", "prompt": "Fotografiert die Lampe.", "points": 10}


@pytest.fixture
def played(client, make_client, make_user, make_organisation, make_trail, make_partnership):
    """A visit with souvenirs: the Füchse and the Eulen sent a text and a photo each."""
    museum, school = make_organisation("museum"), make_organisation("school")
    museum.opening_hours = "Di–So 10–18 Uhr"
    make_partnership(school, museum)
    teacher_user = make_user(roles={school: ["teacher"]})
    teacher = make_client(teacher_user)
    trail = make_trail(
        museum, stations=2, published=True, tasks=[single_choice_task(), FREE_TEXT, PHOTO]
    )
    make_trail(museum, published=True, visibility="public", title="Zeche für Familien")
    make_trail(museum, published=True, title="Nur für Partner")
    started = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    visit = teacher.post(
        "/api/v1/visits",
        visit_fields(trail, starts=datetime.now(UTC) - timedelta(hours=1), souvenirs=True),
    ).json
    assert visit["souvenirs"] is True
    first, _second = trail.latest_version.content["stations"]
    single, text, photo = first["tasks"]
    phones = {name: Phone(client, visit, name) for name in ("Füchse", "Eulen")}
    for n, (name, phone) in enumerate(phones.items()):
        phone.send(
            event("checkin", first, at=started, code=first["code"]),
            event("answer", first, single, at=started, answer="b"),
            event("answer", first, text, at=started, answer=f"Die Kaue von {name}"),
            event("answer", first, photo, at=started, answer={"media_id": phone.photo((n, 9, 9))}),
        )
    results = teacher.get(f"/api/v1/visits/{visit['id']}/results").json
    return {
        "teacher": teacher,
        "teacher_name": teacher_user.display_name,
        "visit": visit,
        "trail": trail,
        "museum": museum,
        "phones": phones,
        "results": results,
        "links": {t["name"]: t["souvenir_url"] for t in results["teams"]},
    }


def answers_of(played, team: str) -> tuple[dict, dict]:
    """The team's photo and its text answer in the results."""
    results = played["results"]
    photo = next(p for p in results["photos"] if p["team_name"] == team)
    text = next(
        a for g in results["texts"][0]["groups"] for a in g["answers"] if a["team_name"] == team
    )
    return photo, text


def approve(played, answer: dict, approved: bool = True):
    path = f"/api/v1/visits/{played['visit']['id']}/answers/{answer['event_id']}/souvenir"
    return played["teacher"].put(path, {"approved": approved})


def page(client, played, team: str):
    token = played["links"][team].rsplit("/", 1)[1]
    return client.get(f"/api/v1/souvenirs/{token}")


def test_a_souvenir_page_shows_only_what_the_teacher_approved(client, played):
    photo, text = answers_of(played, "Füchse")
    empty = page(client, played, "Füchse")
    assert empty.status_code == 200
    assert empty.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in empty.headers["Cache-Control"]
    assert empty.json["photos"] == []
    assert empty.json["answers"] == []

    assert approve(played, photo).json["on_souvenir"] is True
    assert approve(played, text).status_code == 200
    shown = page(client, played, "Füchse").json
    assert set(shown) == {
        "trail_title",
        "institution",
        "month",
        "stations_done",
        "photos",
        "answers",
        "offers",
        "opening_hours",
        "website",
        "deleted_after",
    }
    assert shown["trail_title"] == played["trail"].title
    assert shown["institution"] == played["museum"].name
    starts = datetime.fromisoformat(played["visit"]["starts_at"])
    assert shown["month"] == starts.astimezone(local_zone()).strftime("%Y-%m")
    assert shown["stations_done"] == [
        played["trail"].latest_version.content["stations"][0]["title"]
    ]
    assert shown["answers"] == [{"prompt": FREE_TEXT["prompt"], "text": "Die Kaue von Füchse"}]
    token = played["links"]["Füchse"].rsplit("/", 1)[1]
    assert shown["photos"] == [
        {
            "event_id": photo["event_id"],
            "prompt": PHOTO["prompt"],
            "url": f"/api/v1/souvenirs/{token}/photos/{photo['event_id']}",
        }
    ]
    # Public offers only, each a link into the catalogue.
    assert [o["title"] for o in shown["offers"]] == ["Zeche für Familien"]
    assert shown["offers"][0]["url"].endswith("/catalogue?q=Zeche+f%C3%BCr+Familien")
    assert shown["opening_hours"] == "Di–So 10–18 Uhr"
    # The team's name is nowhere on the page (it may hold students' names).
    assert "Füchse" not in str({k: v for k, v in shown.items() if k != "answers"})

    image = client.get(shown["photos"][0]["url"])
    assert image.status_code == 200
    assert image.mimetype == "image/webp"
    assert image.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in image.headers["Cache-Control"]
    thumbnail = client.get(shown["photos"][0]["url"] + "?size=thumbnail")
    assert thumbnail.status_code == 200

    # Taken back: gone from the page and its photo address.
    assert approve(played, photo, False).json == {
        "event_id": photo["event_id"],
        "on_souvenir": False,
        "approved_at": None,
    }
    assert page(client, played, "Füchse").json["photos"] == []
    assert client.get(shown["photos"][0]["url"]).status_code == 404


def test_another_teams_page_shows_nothing_of_this_team(client, played):
    photo, text = answers_of(played, "Füchse")
    approve(played, photo), approve(played, text)
    owls = page(client, played, "Eulen").json
    assert owls["photos"] == []
    assert owls["answers"] == []
    owls_token = played["links"]["Eulen"].rsplit("/", 1)[1]
    # The Füchse's photo is not served with the Eulen's token, nor with none or a wrong one.
    for token in (owls_token, "x" * 22):
        response = client.get(f"/api/v1/souvenirs/{token}/photos/{photo['event_id']}")
        assert (response.status_code, error_code(response)) == (404, "unknown_souvenir")
    # The teacher's session does not open the photo under another address either.
    assert (
        client.get(f"/api/v1/souvenirs/{owls_token}/photos/{text['event_id']}").status_code == 404
    )
    # Nor the team's own token on the phone: the page is the token in the address.
    foxes = played["phones"]["Füchse"]
    response = client.get(f"/api/v1/souvenirs/x/photos/{photo['event_id']}", headers=foxes.headers)
    assert response.status_code == 404


def test_unknown_pages_and_visits_without_souvenirs(client, played, make_client):
    for token in ("nichts", "a" * 22):
        response = client.get(f"/api/v1/souvenirs/{token}")
        assert (response.status_code, error_code(response)) == (404, "unknown_souvenir")
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    base = f"/api/v1/visits/{played['visit']['id']}"
    off = played["teacher"].patch(base, {"souvenirs": False})
    assert off.status_code == 200
    assert off.json["souvenirs"] is False
    assert page(client, played, "Füchse").status_code == 404
    assert played["results"]["teams"][0]["souvenir_url"] is not None
    response = played["teacher"].get(f"{base}/parents-letter.pdf")
    assert (response.status_code, error_code(response)) == (409, "souvenirs_off")
    # On again: the same links work again.
    assert played["teacher"].patch(base, {"souvenirs": True}).status_code == 200
    assert page(client, played, "Füchse").status_code == 200
    assert played["teacher"].patch(base, {}).status_code == 422


def test_teams_that_joined_before_souvenirs_get_their_page(client, played):
    teacher = played["teacher"]
    started = datetime.now(UTC) - timedelta(hours=1)
    visit = teacher.post("/api/v1/visits", visit_fields(played["trail"], starts=started)).json
    assert visit["souvenirs"] is False
    phone = Phone(client, visit, "Spät")
    assert db.session.get(Team, phone.team["id"]).souvenir_token is None
    assert teacher.patch(f"/api/v1/visits/{visit['id']}", {"souvenirs": True}).json["souvenirs"]
    token = db.session.get(Team, phone.team["id"]).souvenir_token
    assert len(token) >= 22  # 128 bits
    assert client.get(f"/api/v1/souvenirs/{token}").status_code == 200
    later = Phone(client, visit, "Später")
    assert db.session.get(Team, later.team["id"]).souvenir_token not in (None, token)


def test_only_photos_and_texts_are_approved(played):
    base = f"/api/v1/visits/{played['visit']['id']}"
    team_id = played["results"]["teams"][0]["id"]
    single = db.session.query(Event).filter_by(team_id=team_id, type="answer").first()
    response = played["teacher"].put(f"{base}/answers/{single.id}/souvenir", {"approved": True})
    assert (response.status_code, error_code(response)) == (422, "not_for_souvenir")
    response = played["teacher"].put(f"{base}/answers/999999/souvenir", {"approved": True})
    assert (response.status_code, error_code(response)) == (404, "unknown_answer")
    photo, _ = answers_of(played, "Füchse")
    response = played["teacher"].put(
        f"{base}/answers/{photo['event_id']}/souvenir", {"approved": "ja"}
    )
    assert response.status_code == 422
    assert db.session.get(Event, photo["event_id"]).souvenir_at is None


def test_approval_is_logged_with_who_and_when(played):
    photo, _ = answers_of(played, "Füchse")
    approve(played, photo)
    stored = db.session.get(Event, photo["event_id"])
    assert stored.souvenir_at is not None
    assert stored.souvenir_by_id is not None
    first = stored.souvenir_at
    approve(played, photo)  # approving again keeps the first approval
    db.session.refresh(stored)
    assert stored.souvenir_at == first
    results = played["teacher"].get(f"/api/v1/visits/{played['visit']['id']}/results").json
    assert [p["on_souvenir"] for p in results["photos"] if p["team_name"] == "Füchse"] == [True]


def test_the_page_goes_with_the_visits_data(client, played):
    photo, _ = answers_of(played, "Füchse")
    approve(played, photo)
    url = page(client, played, "Füchse").json["photos"][0]["url"]
    visit = played["visit"]
    run_retention(datetime.fromisoformat(visit["deletes_data_at"]) + timedelta(minutes=1))
    assert db.session.query(Team).filter_by(visit_id=visit["id"]).count() == 0
    response = page(client, played, "Füchse")
    assert (response.status_code, error_code(response)) == (404, "unknown_souvenir")
    assert client.get(url).status_code == 404
    # Nor can they come back: the deleted visit takes no souvenirs.
    response = played["teacher"].patch(f"/api/v1/visits/{visit['id']}", {"souvenirs": True})
    assert (response.status_code, error_code(response)) == (409, "visit_data_deleted")


def test_the_page_itself_is_not_indexed(client):
    response = client.get("/s/abc")
    if response.status_code == 503:
        pytest.skip("the PWA is not built")
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/catalogue").headers


def pdf_text(data: bytes) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data)]


def test_certificates_and_letters_carry_the_link(played):
    base = f"/api/v1/visits/{played['visit']['id']}"
    certificates = played["teacher"].get(f"{base}/certificates.pdf")
    pages = pdf_text(certificates.data)
    links = played["links"]
    assert len(pages) == 2
    for team, link in links.items():
        assert any(team in text and link in text for text in pages), team
    letters = played["teacher"].get(f"{base}/parents-letter.pdf")
    assert letters.status_code == 200
    assert letters.mimetype == "application/pdf"
    pages = pdf_text(letters.data)
    assert len(pages) == 2
    deleted = datetime.fromisoformat(played["visit"]["deletes_data_at"])
    for text in pages:
        assert "Liebe Eltern" in text
        assert played["teacher_name"] in text
        assert deleted.strftime("%d.%m.%Y") in text
    assert links["Füchse"] in pages[0] or links["Füchse"] in pages[1]
    foxes = next(t for t in played["results"]["teams"] if t["name"] == "Füchse")
    one = played["teacher"].get(f"{base}/parents-letter.pdf?team_id={foxes['id']}&lang=en")
    (text,) = pdf_text(one.data)
    assert "Dear parents" in text
    assert links["Füchse"] in text
    # A visit without souvenirs prints no link on its certificates.
    played["teacher"].patch(base, {"souvenirs": False})
    pages = pdf_text(played["teacher"].get(f"{base}/certificates.pdf").data)
    assert not any("/s/" in text for text in pages)


def test_a_photo_that_is_gone_leaves_the_page(client, played):
    photo, text = answers_of(played, "Füchse")
    approve(played, photo), approve(played, text)
    media = db.session.get(Media, db.session.get(Event, photo["event_id"]).answer["media_id"])
    db.session.delete(media)
    db.session.commit()
    shown = page(client, played, "Füchse").json
    assert shown["photos"] == []
    assert len(shown["answers"]) == 1
    token = played["links"]["Füchse"].rsplit("/", 1)[1]
    response = client.get(f"/api/v1/souvenirs/{token}/photos/{photo['event_id']}")
    assert (response.status_code, error_code(response)) == (404, "unknown_souvenir")


def test_the_page_takes_a_fixed_number_of_queries(client, played, count_queries):
    """However many photos and answers the teacher approved."""
    photo, text = answers_of(played, "Füchse")
    with count_queries() as none_approved:
        assert page(client, played, "Füchse").status_code == 200
    approve(played, photo), approve(played, text)
    with count_queries() as two_approved:
        shown = page(client, played, "Füchse").json
    assert len(shown["photos"]) == len(shown["answers"]) == 1
    assert len(two_approved) == len(none_approved) <= 8, "\n".join(none_approved)


def test_an_institution_gives_its_opening_hours_in_its_profile(make_client, make_user, played):
    museum = played["museum"]
    admin = make_client(make_user(roles={museum: ["admin"]}))
    path = f"/api/v1/organisations/{museum.id}"
    hours = "Di–Fr 10–17 Uhr\nSa, So 11–18 Uhr"
    assert admin.patch(path, {"opening_hours": hours}).json["opening_hours"] == hours
    assert make_client().get(path).json["opening_hours"] == hours
    too_long = admin.patch(path, {"opening_hours": "x" * 1001})
    assert too_long.status_code == 422
    assert make_client().get(path).json["opening_hours"] == hours
