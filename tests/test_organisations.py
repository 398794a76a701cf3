"""Organisations, members' roles and one-time invitation links."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.organisations import service
from openparcours.organisations.models import Invite, Membership, Organisation, Role
from tests.helpers import error_code, field_errors, mailed_tokens, mails_to, text_of


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum")


@pytest.fixture
def admin(make_user, museum):
    return make_user(roles={museum: ["admin"]})


def members_path(org, user=None):
    return f"/api/v1/organisations/{org.id}/members" + (f"/{user.id}" if user else "")


def test_directory_is_public_paginated_and_filtered(client, make_organisation):
    for _ in range(3):
        make_organisation("museum", district="Kreis Unna")
    make_organisation("school", district="Kreis Unna")
    make_organisation("library", district="Bochum")
    response = client.get("/api/v1/organisations?district=Kreis%20Unna&page_size=2")
    assert response.status_code == 200
    assert len(response.json) == 2
    assert json.loads(response.headers["X-Pagination"])["total"] == 4
    schools = client.get("/api/v1/organisations?kind=school").json
    assert [o["kind"] for o in schools] == ["school"]
    assert schools[0]["school_form"] == "gymnasium"
    assert client.get("/api/v1/organisations?kind=zoo").status_code == 422


def test_only_site_admins_create_organisations(make_client, make_user, admin):
    school = {
        "name": "Gymnasium Süd",
        "kind": "school",
        "school_form": "gymnasium",
        "municipality": "Hagen",
        "district": "Hagen",
        "postcode": "58095",
    }
    assert make_client(admin).post("/api/v1/organisations", school).status_code == 403
    site_admin = make_client(make_user(site_admin=True))
    response = site_admin.post("/api/v1/organisations", school)
    assert response.status_code == 201
    assert response.json["school_form"] == "gymnasium"


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"name": "Schule", "kind": "school"}, "school_form"),
        ({"name": "Museum", "kind": "museum", "school_form": "gymnasium"}, "school_form"),
        ({"name": "   ", "kind": "museum"}, "name"),
        ({"name": "Museum", "kind": "museum", "lat": 91}, "lat"),
        ({"name": "Museum", "kind": "museum", "postcode": "ABC"}, "postcode"),
    ],
)
def test_organisation_input_is_checked(make_client, make_user, fields, bad_field):
    site_admin = make_client(make_user(site_admin=True))
    response = site_admin.post("/api/v1/organisations", fields)
    assert response.status_code == 422
    assert field_errors(response) == {bad_field}
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_admins_edit_their_organisation_only(
    make_client, make_user, museum, admin, make_organisation
):
    browser = make_client(admin)
    response = browser.patch(f"/api/v1/organisations/{museum.id}", {"municipality": "Dortmund"})
    assert response.status_code == 200
    assert response.json["municipality"] == "Dortmund"
    other = make_organisation("museum")
    assert (
        browser.patch(f"/api/v1/organisations/{other.id}", {"municipality": "Essen"}).status_code
        == 403
    )
    educator = make_client(make_user(roles={museum: ["educator"]}))
    assert (
        educator.patch(f"/api/v1/organisations/{museum.id}", {"municipality": "Essen"}).status_code
        == 403
    )
    assert (
        make_client()
        .patch(f"/api/v1/organisations/{museum.id}", {"municipality": "Essen"})
        .status_code
        == 401
    )


@pytest.mark.parametrize(
    "change",
    [{"kind": "school", "school_form": "gymnasium"}, {"district": "Kreis Unna"}],
)
def test_only_site_admins_change_what_an_organisation_is(
    make_client, make_user, museum, admin, change
):
    """Kind and district decide what a school sees and which office reads its reports."""
    response = make_client(admin).patch(
        f"/api/v1/organisations/{museum.id}", change | {"municipality": "Dortmund"}
    )
    assert response.status_code == 403
    assert error_code(response) == "site_admin_only"
    db.session.refresh(museum)
    assert (museum.kind, museum.district, museum.municipality) == ("museum", "Bochum", "Bochum")
    unchanged = {"kind": "museum", "district": "Bochum", "municipality": "Dortmund"}
    assert (
        make_client(admin).patch(f"/api/v1/organisations/{museum.id}", unchanged).status_code == 200
    )
    site_admin = make_client(make_user(site_admin=True))
    response = site_admin.patch(f"/api/v1/organisations/{museum.id}", change)
    assert response.status_code == 200
    assert {name: response.json[name] for name in change} == change


def test_members_and_their_roles(make_client, make_user, museum, admin):
    educator = make_user(roles={museum: ["educator"]}, name="Zoe")
    response = make_client(admin).get(members_path(museum))
    assert response.status_code == 200
    roles = {m["user"]["id"]: m["roles"] for m in response.json}
    assert roles == {admin.id: ["admin"], educator.id: ["educator"]}
    assert make_client(educator).get(members_path(museum)).status_code == 200


def test_outsiders_do_not_see_members(make_client, make_user, museum, admin, make_organisation):
    stranger = make_user(roles={make_organisation("museum"): ["admin"]})
    assert make_client(stranger).get(members_path(museum)).status_code == 403
    assert make_client().get(members_path(museum)).status_code == 401


def test_admin_sets_roles(make_client, make_user, museum, admin):
    member = make_user(roles={museum: ["educator"]})
    response = make_client(admin).put(
        members_path(museum, member), {"roles": ["educator", "admin"]}
    )
    assert response.status_code == 200
    assert response.json["roles"] == ["admin", "educator"]
    assert service.set_member_roles(admin, museum, member.id, [Role.teacher]).roles == [
        Role.teacher
    ]


def test_non_admins_cannot_change_roles(make_client, make_user, museum, admin):
    educator = make_user(roles={museum: ["educator"]})
    response = make_client(educator).put(members_path(museum, educator), {"roles": ["admin"]})
    assert response.status_code == 403
    assert {m.role for m in educator.memberships} == {Role.educator}


def test_the_last_admin_stays(make_client, make_user, museum, admin):
    browser = make_client(admin)
    demote = browser.put(members_path(museum, admin), {"roles": ["educator"]})
    assert demote.status_code == 409
    assert error_code(demote) == "last_admin"
    remove = browser.delete(members_path(museum, admin))
    assert remove.status_code == 409
    second = make_user(roles={museum: ["admin"]})
    assert browser.delete(members_path(museum, second)).status_code == 204
    make_user(roles={museum: ["admin"]})
    assert browser.put(members_path(museum, admin), {"roles": ["educator"]}).status_code == 200


@pytest.mark.parametrize("roles", [[], ["curator"], "admin", None])
def test_role_input_is_checked(make_client, make_user, museum, admin, roles):
    member = make_user(roles={museum: ["educator"]})
    response = make_client(admin).put(members_path(museum, member), {"roles": roles})
    assert response.status_code == 422
    assert field_errors(response) == {"roles"}


def test_unknown_members_and_organisations_are_404(make_client, make_user, museum, admin):
    browser = make_client(admin)
    outsider = make_user()
    assert browser.put(members_path(museum, outsider), {"roles": ["educator"]}).status_code == 404
    assert browser.get("/api/v1/organisations/999999/members").status_code == 404


# --- Invitations -------------------------------------------------------------------------


def invite(browser, org, **fields):
    response = browser.post(
        f"/api/v1/organisations/{org.id}/invites", {"role": "educator"} | fields
    )
    assert response.status_code == 201, response.json
    return response.json


def token_of(invite_json) -> str:
    """The token of an invite's link: shown to the admin, or mailed to the address it names."""
    if invite_json["url"] is not None:
        return invite_json["url"].rsplit("/invite#", 1)[1]
    return mailed_tokens(invite_json["email"], "/invite")[-1]


def preview(browser, token):
    return browser.post("/api/v1/invites/preview", {"token": token})


def accept(browser, token, **fields):
    return browser.post("/api/v1/invites/accept", {"token": token} | fields)


NEW_ACCOUNT = {"display_name": "Nele", "password": "ein sicheres Passwort"}


def test_invite_link_creates_an_account_and_logs_it_in(make_client, museum, admin):
    created = invite(make_client(admin), museum, role="educator")
    assert created["url"].startswith("http://127.0.0.1:5000/invite#")
    token = token_of(created)
    newcomer = make_client()
    previewed = preview(newcomer, token)
    assert previewed.status_code == 200
    assert previewed.json["organisation"]["name"] == museum.name
    assert previewed.json["role"] == "educator"
    response = accept(newcomer, token, email="new@example.org", **NEW_ACCOUNT)
    assert response.status_code == 200
    assert response.json["memberships"][0]["roles"] == ["educator"]
    assert newcomer.get("/api/v1/me").json["email"] == "new@example.org"


def test_only_a_hash_of_the_token_is_stored(make_client, museum, admin):
    token = token_of(invite(make_client(admin), museum))
    stored = db.session.scalar(select(Invite))
    assert token not in stored.token_hash


def test_logged_in_user_accepts_with_their_account(
    make_client, make_user, museum, admin, make_organisation
):
    teacher = make_user(roles={make_organisation("school"): ["teacher"]})
    token = token_of(invite(make_client(admin), museum, role="educator"))
    response = accept(make_client(teacher), token)
    assert response.status_code == 200
    assert len(response.json["memberships"]) == 2


def test_a_used_invite_cannot_be_used_again(make_client, make_user, museum, admin):
    token = token_of(invite(make_client(admin), museum))
    assert accept(make_client(make_user()), token).status_code == 200
    again = accept(make_client(make_user()), token)
    assert again.status_code == 410
    assert error_code(again) == "invite_used"
    assert error_code(preview(make_client(), token)) == "invite_used"


def test_an_expired_invite_is_refused(make_client, make_user, museum, admin):
    token = token_of(invite(make_client(admin), museum))
    db.session.scalar(select(Invite)).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    user = make_user()
    response = accept(make_client(user), token)
    assert response.status_code == 410
    assert error_code(response) == "invite_expired"
    assert not user.memberships


def test_unknown_invite_is_404(client):
    assert error_code(preview(client, "not-a-token")) == "not_found"


def test_invite_for_an_address_is_only_for_that_address(make_client, make_user, museum, admin):
    token = token_of(invite(make_client(admin), museum, email="Nele@Example.org"))
    wrong = make_client(make_user("someone@example.org"))
    response = accept(wrong, token)
    assert response.status_code == 403
    assert error_code(response) == "invite_email_mismatch"
    right = make_client(make_user("nele@example.org"))
    assert accept(right, token).status_code == 200


def test_an_invite_for_an_address_creates_the_account_for_that_address_only(
    make_client, museum, admin
):
    token = token_of(invite(make_client(admin), museum, email="Nele@Example.org"))
    assert preview(make_client(), token).json["email"] == "nele@example.org"
    other = accept(make_client(), token, email="mallory@example.org", **NEW_ACCOUNT)
    assert other.status_code == 403
    assert error_code(other) == "invite_email_mismatch"
    assert service.accounts.find_user_by_email("mallory@example.org") is None
    newcomer = make_client()
    assert accept(newcomer, token, **NEW_ACCOUNT).status_code == 200
    assert newcomer.get("/api/v1/me").json["email"] == "nele@example.org"


def test_an_invite_for_an_address_goes_by_mail_and_its_link_to_no_one_else(
    make_client, museum, admin
):
    created = invite(make_client(admin), museum, email="Nele@Example.org", role="teacher")
    assert created["url"] is None
    (message,) = mails_to("nele@example.org")
    assert message["Subject"] == f"Einladung zu {museum.name} in OpenParcours"
    assert message["From"].addresses[0].display_name == museum.name
    text = text_of(message)
    assert "(Lehrkraft)" in text
    assert "http://127.0.0.1:5000/invite#" in text
    expires = db.session.scalar(select(Invite)).expires_at
    assert timedelta(days=14) - (expires - utcnow()) < timedelta(minutes=1)
    assert f"{expires.astimezone(ZoneInfo('Europe/Berlin')):%d.%m.%Y}" in text
    token = token_of(created)
    assert preview(make_client(), token).json["email"] == "nele@example.org"


def test_an_invite_mail_is_in_the_language_of_the_account_with_that_address(
    make_client, make_user, museum, admin
):
    known = make_user("known@example.org")
    known.language = "en"
    db.session.commit()
    invite(make_client(admin), museum, email="known@example.org")
    (mail,) = mails_to("known@example.org")
    assert mail["Subject"] == f"Invitation to {museum.name} on OpenParcours"


def test_resending_mails_a_new_link_and_the_old_stops_working(make_client, museum, admin):
    browser = make_client(admin)
    created = invite(browser, museum, email="nele@example.org")
    first = token_of(created)
    stored = db.session.get(Invite, created["id"])
    stored.expires_at = utcnow() - timedelta(days=1)  # expired: resending renews it
    db.session.commit()
    resent = browser.post(f"/api/v1/organisations/{museum.id}/invites/{created['id']}/resend")
    assert resent.status_code == 200
    assert resent.json["id"] == created["id"]
    old, new = mailed_tokens("nele@example.org", "/invite")
    assert old == first != new
    assert preview(make_client(), first).status_code == 404
    newcomer = make_client()
    assert accept(newcomer, new, **NEW_ACCOUNT).status_code == 200
    again = browser.post(f"/api/v1/organisations/{museum.id}/invites/{created['id']}/resend")
    assert (again.status_code, error_code(again)) == (410, "invite_used")


def test_a_link_without_an_address_is_not_resent(
    make_client, make_user, museum, admin, make_organisation
):
    browser = make_client(admin)
    created = invite(browser, museum)
    resent = browser.post(f"/api/v1/organisations/{museum.id}/invites/{created['id']}/resend")
    assert (resent.status_code, error_code(resent)) == (409, "invite_without_email")
    elsewhere = make_organisation("museum")
    path = f"/api/v1/organisations/{elsewhere.id}/invites/{created['id']}/resend"
    other_admin = make_user(roles={elsewhere: ["admin"]})
    assert make_client(other_admin).post(path).status_code == 404  # not that museum's invite


def test_invites_expire_after_14_days(make_client, make_user, museum, admin):
    token = token_of(invite(make_client(admin), museum))
    stored = db.session.scalar(select(Invite))
    assert stored.expires_at - stored.created_at == timedelta(days=14)
    stored.created_at = stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert error_code(accept(make_client(make_user()), token)) == "invite_expired"


def test_a_revoked_invite_link_stops_working(make_client, museum, admin):
    browser = make_client(admin)
    created = invite(browser, museum, email="nele@example.org")
    token = token_of(created)
    path = f"/api/v1/organisations/{museum.id}/invites/{created['id']}"
    assert browser.delete(path).status_code == 204
    assert preview(make_client(), token).status_code == 404


def test_the_invite_token_stays_out_of_paths(app, make_client, museum, admin):
    """Access logs keep paths: the link carries the token in its fragment, which browsers do
    not send, and the API takes it in the body."""
    token = token_of(invite(make_client(admin), museum))
    paths = {rule.rule for rule in app.url_map.iter_rules() if "invite" in rule.rule}
    assert not any("token" in path for path in paths), paths
    assert make_client().get(f"/api/v1/invites/{token}").status_code == 404
    assert preview(make_client(), token).status_code == 200


def test_accepting_with_an_existing_email_asks_to_log_in(make_client, make_user, museum, admin):
    existing = make_user("taken@example.org")
    token = token_of(invite(make_client(admin), museum))
    response = accept(make_client(), token, email=existing.email, **NEW_ACCOUNT)
    assert response.status_code == 409
    assert error_code(response) == "email_taken"
    assert db.session.scalar(select(Invite)).used_at is None


def test_accepting_anonymously_needs_the_account_fields(make_client, museum, admin):
    token = token_of(invite(make_client(admin), museum))
    response = accept(make_client(), token, email="a@example.org")
    assert response.status_code == 422
    assert field_errors(response) == {"display_name", "password"}
    short = accept(make_client(), token, email="a@example.org", display_name="A", password="kurz")
    assert field_errors(short) == {"password"}
    assert db.session.scalar(select(Invite)).used_at is None


def test_open_invites_are_listed_and_revoked_by_admins(make_client, make_user, museum, admin):
    browser = make_client(admin)
    first = invite(browser, museum)
    invite(browser, museum, role="teacher")
    listed = browser.get(f"/api/v1/organisations/{museum.id}/invites")
    assert listed.status_code == 200
    assert len(listed.json) == 2
    assert "url" not in listed.json[0]  # the link is shown once, when it is made
    assert (
        browser.delete(f"/api/v1/organisations/{museum.id}/invites/{first['id']}").status_code
        == 204
    )
    assert len(browser.get(f"/api/v1/organisations/{museum.id}/invites").json) == 1
    assert preview(make_client(), token_of(first)).status_code == 404


def test_non_admins_cannot_invite(make_client, make_user, museum, admin):
    educator = make_client(make_user(roles={museum: ["educator"]}))
    response = educator.post(f"/api/v1/organisations/{museum.id}/invites", {"role": "admin"})
    assert response.status_code == 403
    assert educator.get(f"/api/v1/organisations/{museum.id}/invites").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_accept_keeps_existing_roles(app, make_user, museum, admin):
    member = make_user(roles={museum: ["educator"]})
    _, token = service.create_invite(admin, museum, Role.teacher)
    service.accept_invite(token, member)
    roles = db.session.scalars(select(Membership.role).where(Membership.user_id == member.id))
    assert set(roles) == {Role.educator, Role.teacher}


def test_new_organisations_get_a_unique_slug(make_client, make_user):
    site_admin = make_client(make_user(site_admin=True))
    fields = {"name": "Museum für Stadtgeschichte Köln", "kind": "museum"}
    first = site_admin.post("/api/v1/organisations", fields).json
    second = site_admin.post("/api/v1/organisations", fields).json
    assert first["slug"] == "museum-fuer-stadtgeschichte-koeln"
    assert second["slug"] == "museum-fuer-stadtgeschichte-koeln-2"
    taken = site_admin.post("/api/v1/organisations", fields | {"slug": first["slug"]})
    assert taken.status_code == 422
    assert field_errors(taken) == {"slug"}
    assert service.get_organisation_by_slug(first["slug"]).id == first["id"]
