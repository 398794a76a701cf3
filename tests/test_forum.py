"""The partners' forum: a partnership's thread (who reads it, Markdown, editing, files, limits),
the institutions' news to their partner schools, and contacts handing over."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.forum.models import Message
from tests.factories import TODAY, pdf, png


@pytest.fixture
def partners(make_organisation, make_user, make_partnership):
    """School and museum in force as partners; their admins; a named contact on each side; a
    teacher of the school who is no contact; the district's network office."""
    school = make_organisation("school", district="Bochum")
    museum = make_organisation("museum", district="Bochum")
    users = {
        "school admin": make_user(roles={school: ["admin"]}),
        "museum admin": make_user(roles={museum: ["admin"]}),
        "teacher contact": make_user("lehrer@schule.example", roles={school: ["teacher"]}),
        "educator contact": make_user("nowak@museum.example", roles={museum: ["educator"]}),
        "other teacher": make_user(roles={school: ["teacher"]}),
        "network office": make_user(district="Bochum"),
        "site admin": make_user(site_admin=True),
    }
    partnership = make_partnership(
        school,
        museum,
        contacts_school=[
            {"name": "Frau Lehrer", "role": "Geschichte", "email": "Lehrer@Schule.example"}
        ],
        contacts_institution=[
            {"name": "Herr Nowak", "role": "Vermittlung", "email": "nowak@museum.example"}
        ],
    )
    return {"school": school, "museum": museum, "partnership": partnership, "users": users}


def thread_url(partners) -> str:
    return f"/api/v1/partnerships/{partners['partnership'].id}/messages"


def post(client, partners, body="Hallo!"):
    return client.post(thread_url(partners), {"body": body})


def test_admins_and_named_contacts_of_both_sides_read_and_write(partners, make_client):
    readers = {"school admin", "museum admin", "teacher contact", "educator contact"}
    for role, user in partners["users"].items():
        api = make_client(user)
        wrote, read = post(api, partners, f"Von {role}"), api.get(thread_url(partners))
        expected = (201, 200) if role in readers else (403, 403)
        assert (wrote.status_code, read.status_code) == expected, role
    messages = make_client(partners["users"]["teacher contact"]).get(thread_url(partners)).json
    newest_first = [f"Von {r}" for r in reversed(partners["users"]) if r in readers]
    assert [m["body"] for m in messages] == newest_first
    sides = {m["body"]: m["organisation"]["id"] for m in messages}
    assert sides["Von teacher contact"] == partners["school"].id
    assert sides["Von educator contact"] == partners["museum"].id


def test_a_contact_who_leaves_the_school_no_longer_reads(partners, make_client):
    from openparcours.organisations.models import Membership

    teacher = partners["users"]["teacher contact"]
    db.session.query(Membership).filter_by(user_id=teacher.id).delete()
    db.session.commit()
    assert make_client(teacher).get(thread_url(partners)).status_code == 403


def test_markdown_is_sanitised(partners, make_client):
    api = make_client(partners["users"]["museum admin"])
    body = "**Neu:** <script>alert(1)</script> [Link](javascript:alert(1)) <img src=x onerror=1>"
    message = post(api, partners, body).json
    assert message["body"] == body  # kept as written, for editing
    assert "<strong>Neu:</strong>" in message["body_html"]
    for unsafe in ("<script", 'href="javascript', "<img"):
        assert unsafe not in message["body_html"]


def test_messages_are_limited_in_size(partners, make_client):
    api = make_client(partners["users"]["museum admin"])
    too_long = post(api, partners, "x" * 10_001)
    assert too_long.status_code == 422
    assert too_long.json["fields"]["body"] == [
        {"code": "length_between", "params": {"min": 1, "max": 10000}}
    ]
    assert post(api, partners, "   ").status_code == 422
    assert post(api, partners, "x" * 10_000).status_code == 201


def test_messages_are_limited_in_rate_per_user(app, partners, make_client):
    app.config["RATELIMITS"] = app.config["RATELIMITS"] | {"message": "3 per 10 minutes"}
    admin = make_client(partners["users"]["museum admin"])
    assert [post(admin, partners).status_code for _ in range(4)] == [201, 201, 201, 429]
    # Another user of the same address still writes: the limit is the user's.
    assert post(make_client(partners["users"]["school admin"]), partners).status_code == 201
    assert db.session.query(Message).count() == 4


def test_the_author_edits_within_15_minutes_and_the_edit_is_marked(partners, make_client):
    author = make_client(partners["users"]["teacher contact"])
    message = post(author, partners, "Termin am Dienstag").json
    assert message["edited_at"] is None
    url = f"/api/v1/messages/{message['id']}"
    other_side = make_client(partners["users"]["museum admin"])
    own_admin = make_client(partners["users"]["school admin"])
    for stranger in (other_side, own_admin):
        assert stranger.patch(url, {"body": "Nein"}).status_code == 403
    edited = author.patch(url, {"body": "Termin am Mittwoch"})
    assert edited.status_code == 200
    assert edited.json["body"] == "Termin am Mittwoch"
    assert edited.json["edited_at"] is not None
    db.session.get(Message, message["id"]).created_at = utcnow() - timedelta(minutes=15)
    db.session.commit()
    late = author.patch(url, {"body": "Termin am Donnerstag"})
    assert (late.status_code, late.json["code"]) == (409, "edit_window_closed")
    assert other_side.get(thread_url(partners)).json[0]["body"] == "Termin am Mittwoch"


def test_nobody_deletes_a_message(partners, make_client, client):
    message = post(make_client(partners["users"]["teacher contact"]), partners).json
    other_side = make_client(partners["users"]["museum admin"])
    assert other_side.delete(f"/api/v1/messages/{message['id']}").status_code == 405
    assert len(other_side.get(thread_url(partners)).json) == 1


def upload(client, message_id, data, name):
    return client.post(
        f"/api/v1/messages/{message_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_attachments_pdf_and_images_for_the_thread_only(
    media_storage, partners, make_client, client
):
    author = make_client(partners["users"]["educator contact"])
    message = post(author, partners, "Das Programm").json
    document = upload(author, message["id"], pdf(), "../Programm 2027.pdf")
    assert document.status_code == 201, document.json
    assert document.json["filename"] == "Programm 2027.pdf"
    assert document.json["mime"] == "application/pdf"
    photo = upload(author, message["id"], png(), "foto.png")
    assert (photo.json["mime"], photo.json["filename"]) == ("image/webp", "foto.webp")

    reader = make_client(partners["users"]["teacher contact"])
    shown = reader.get(thread_url(partners)).json[0]
    assert [a["id"] for a in shown["attachments"]] == [document.json["id"], photo.json["id"]]
    assert shown["edited_at"] is None  # a file added is no change of what was said
    served = reader.get(document.json["url"])
    assert served.status_code == 200
    assert served.data == pdf()
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in served.headers["Cache-Control"]
    assert "sandbox" in served.headers["Content-Security-Policy"]
    image = Image.open(io.BytesIO(reader.get(photo.json["url"]).data))
    assert image.format == "WEBP"
    assert not image.info.get("exif")

    for stranger in ("other teacher", "network office", "site admin"):
        assert make_client(partners["users"][stranger]).get(document.json["url"]).status_code == 403
    assert client.get(document.json["url"]).status_code == 401
    # Not among the public media files, whatever its name.
    from openparcours.forum.models import Attachment

    stored = db.session.get(Attachment, document.json["id"]).file
    assert client.get(f"/media/{stored}").status_code == 404


def test_attachments_are_checked_like_uploads(app, partners, make_client):
    author = make_client(partners["users"]["museum admin"])
    message = post(author, partners).json["id"]
    refused = {
        "page.html": b"<html><script>alert(1)</script></html>",
        "script.pdf": pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "hidden.pdf": pdf(b"/OpenAction << /S /J#61vaScript /JS (x) >>"),
        "cut.pdf": pdf()[:-8],
        "empty.pdf": b"",
    }
    for name, data in refused.items():
        answer = upload(author, message, data, name)
        assert (answer.status_code, answer.json["code"]) == (415, "unsupported_media"), name
    app.config["FORUM_LIMITS"] = app.config["FORUM_LIMITS"] | {"attachment_bytes": 1000}
    large = upload(author, message, pdf() + b"%" * 1000 + b"\n%%EOF\n", "gross.pdf")
    assert (large.status_code, large.json["code"]) == (413, "media_too_large")
    app.config["FORUM_LIMITS"] = app.config["FORUM_LIMITS"] | {"attachments": 2}
    assert [upload(author, message, pdf(), "a.pdf").status_code for _ in range(3)] == [
        201,
        201,
        409,
    ]
    # Only the author, and only in the 15 minutes.
    other = make_client(partners["users"]["school admin"])
    assert upload(other, message, pdf(), "b.pdf").status_code == 403
    db.session.get(Message, message).created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    late = upload(make_client(partners["users"]["educator contact"]), message, pdf(), "c.pdf")
    assert late.status_code == 403
    assert upload(author, message, pdf(), "d.pdf").json["code"] == "edit_window_closed"


def test_the_network_office_sees_counts_only(partners, make_client):
    post(make_client(partners["users"]["museum admin"]), partners, "Geheim")
    post(make_client(partners["users"]["school admin"]), partners, "Auch geheim")
    office = make_client(partners["users"]["network office"])
    overview = office.get("/api/v1/districts/Bochum/overview")
    assert overview.json["threads"] == {"active": 1, "messages": 2}
    assert "Geheim" not in overview.get_data(as_text=True)
    assert office.get(thread_url(partners)).status_code == 403


# --- Contacts hand over -----------------------------------------------------------------------


def hand_over(client, partners, successor, side="school", email="lehrer@schule.example", **more):
    return client.post(
        f"/api/v1/partnerships/{partners['partnership'].id}/handovers",
        {
            "organisation_id": partners[side].id,
            "predecessor_email": email,
            "successor_id": successor.id,
            **more,
        },
    )


def test_a_successor_reads_the_history_and_the_contacts_follow(partners, make_client, make_user):
    predecessor = make_client(partners["users"]["teacher contact"])
    post(predecessor, partners, "Wir kommen im Mai.")
    successor = make_user("nachfolge@schule.example", roles={partners["school"]: ["teacher"]})
    admin = make_client(partners["users"]["school admin"])
    assert make_client(successor).get(thread_url(partners)).status_code == 403

    handover = hand_over(admin, partners, successor, role="Fachleitung Geschichte")
    assert handover.status_code == 201, handover.json
    assert handover.json["predecessor"]["name"] == "Frau Lehrer"
    assert handover.json["successor"]["email"] == "nachfolge@schule.example"

    history = make_client(successor).get(thread_url(partners)).json
    assert [m["body"] for m in history] == ["Wir kommen im Mai."]
    assert predecessor.get(thread_url(partners)).status_code == 403
    detail = admin.get(f"/api/v1/partnerships/{partners['partnership'].id}").json
    assert detail["current"]["content"]["contacts_school"] == [
        {
            "name": successor.display_name,
            "role": "Fachleitung Geschichte",
            "email": "nachfolge@schule.example",
            "phone": None,
        }
    ]
    assert detail["current"]["content"]["contacts_institution"][0]["name"] == "Herr Nowak"
    amendment = admin.post(f"/api/v1/partnerships/{partners['partnership'].id}/agreements").json
    assert amendment["content"]["contacts_school"][0]["email"] == "nachfolge@schule.example"


def test_only_an_admin_of_that_side_hands_over(partners, make_client, make_user):
    successor = make_user(roles={partners["school"]: ["teacher"]})
    museum_admin = make_client(partners["users"]["museum admin"])
    assert hand_over(museum_admin, partners, successor).status_code == 403
    site_admin = make_client(partners["users"]["site admin"])
    assert hand_over(site_admin, partners, successor).status_code == 403
    teacher = make_client(partners["users"]["teacher contact"])
    assert hand_over(teacher, partners, successor).status_code == 403


def test_a_handover_needs_a_named_contact_and_a_member(partners, make_client, make_user):
    admin = make_client(partners["users"]["school admin"])
    member = make_user(roles={partners["school"]: ["teacher"]})
    outsider = make_user(roles={partners["museum"]: ["educator"]})
    unknown = hand_over(admin, partners, member, email="niemand@schule.example")
    assert unknown.json["fields"] == {"predecessor_email": [{"code": "invalid"}]}
    assert hand_over(admin, partners, outsider).json["fields"] == {
        "successor_id": [{"code": "invalid"}]
    }
    wrong_side = hand_over(admin, partners, member, side="museum", email="nowak@museum.example")
    assert wrong_side.status_code == 403


# --- News -----------------------------------------------------------------------------------


@pytest.fixture
def news_world(partners, make_organisation, make_user, make_partnership):
    """Besides the partners: a school that is no partner of the museum, and one whose agreement
    is only a draft."""
    stranger = make_organisation("school")
    drafting = make_organisation("school")
    make_partnership(drafting, partners["museum"], signed=False)
    partners["users"] |= {
        "stranger teacher": make_user(roles={stranger: ["teacher"]}),
        "drafting teacher": make_user(roles={drafting: ["teacher"]}),
    }
    return partners


def post_news(client, institution, **fields):
    body = {"title": "Neue Ausstellung", "text": "Ab **Mai**: Zeche.", **fields}
    return client.post(f"/api/v1/organisations/{institution.id}/news", body)


def test_partner_schools_read_news_first_the_public_later(news_world, make_client, client):
    museum = news_world["museum"]
    educator = make_client(news_world["users"]["educator contact"])
    early = post_news(educator, museum, happens_on=(TODAY + timedelta(days=30)).isoformat())
    assert early.status_code == 201, early.json
    assert early.json["text_html"] == "<p>Ab <strong>Mai</strong>: Zeche.</p>\n"
    later = post_news(
        educator, museum, title="Werkstatt", public_from=(TODAY + timedelta(days=7)).isoformat()
    )
    public = post_news(educator, museum, title="Offen", public_from=TODAY.isoformat())
    users = news_world["users"]

    def start_page(role):
        return [n["title"] for n in make_client(users[role]).get("/api/v1/news").json]

    assert start_page("other teacher") == ["Offen", "Werkstatt", "Neue Ausstellung"]
    assert start_page("educator contact") == ["Offen", "Werkstatt", "Neue Ausstellung"]
    for role in ("stranger teacher", "drafting teacher", "network office"):
        assert start_page(role) == [], role
    url = f"/api/v1/organisations/{museum.id}/news"
    assert [n["title"] for n in client.get(url).json] == ["Offen"]
    stranger = make_client(users["stranger teacher"])
    assert [n["id"] for n in stranger.get(url).json] == [public.json["id"]]
    assert len(make_client(users["teacher contact"]).get(url).json) == 3
    assert later.json["public_from"] == (TODAY + timedelta(days=7)).isoformat()


def test_only_the_institutions_authors_post_and_delete_news(news_world, make_client):
    museum, school = news_world["museum"], news_world["school"]
    users = news_world["users"]
    for role in ("school admin", "teacher contact", "network office", "stranger teacher"):
        assert post_news(make_client(users[role]), museum).status_code == 403, role
    school_news = post_news(make_client(users["site admin"]), school)
    assert school_news.status_code == 422
    created = post_news(make_client(users["educator contact"]), museum).json
    url = f"/api/v1/news/{created['id']}"
    assert make_client(users["school admin"]).delete(url).status_code == 403
    assert make_client(users["museum admin"]).delete(url).status_code == 204
    assert make_client(users["other teacher"]).get("/api/v1/news").json == []


def test_news_are_limited_in_size_link_and_rate(app, news_world, make_client):
    museum, educator = news_world["museum"], make_client(news_world["users"]["educator contact"])
    assert post_news(educator, museum, title="x" * 201).status_code == 422
    assert post_news(educator, museum, text="x" * 5001).status_code == 422
    assert post_news(educator, museum, link="javascript:alert(1)").status_code == 422
    app.config["RATELIMITS"] = app.config["RATELIMITS"] | {"news": "2 per day"}
    answers = [
        post_news(educator, museum, link="https://museum.example/x").status_code for _ in range(3)
    ]
    assert answers == [201, 201, 429]


def told(kind: str) -> set[int]:
    from openparcours.notifications.models import Notification

    return {n.user_id for n in db.session.query(Notification).filter_by(kind=kind)}


def test_the_other_side_is_told_of_a_message(partners, make_client):
    post(make_client(partners["users"]["teacher contact"]), partners, "Hallo Museum")
    users = partners["users"]
    assert told("forum_message") == {users["museum admin"].id, users["educator contact"].id}


def test_partner_schools_are_told_of_news(news_world, make_client):
    post_news(make_client(news_world["users"]["educator contact"]), news_world["museum"])
    users = news_world["users"]
    school_staff = ("school admin", "teacher contact", "other teacher")
    assert told("partner_news") == {users[role].id for role in school_staff}
