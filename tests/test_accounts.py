"""Login, sessions, CSRF, password change and the login rate limit."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from openparcours.accounts import service
from openparcours.accounts.models import LoginSession
from openparcours.config import FIXED
from openparcours.database import utcnow
from openparcours.errors import Conflict, ValidationFailed
from openparcours.extensions import db
from tests.factories import PASSWORD
from tests.helpers import error_code, field_errors


def test_login_returns_profile_and_sets_a_safe_cookie(client, make_user, make_organisation):
    museum = make_organisation("museum", name="Zeche Zollern")
    user = make_user("Emil@Example.org", roles={museum: ["educator", "admin"]}, name="Emil")
    response = client.post(
        "/api/v1/auth/login", json={"email": "  emil@EXAMPLE.org ", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json
    assert body["email"] == "emil@example.org"
    assert body["display_name"] == "Emil"
    assert body["memberships"] == [
        {
            "organisation": {
                "id": museum.id,
                "name": "Zeche Zollern",
                "kind": "museum",
                "district": "Bochum",
            },
            "roles": ["admin", "educator"],
        }
    ]
    assert len(body["csrf_token"]) >= 32
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert user.last_login_at is not None


def test_session_cookie_is_secure_under_https(app, make_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user()
    response = app.test_client().post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_me_needs_a_login(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"


def test_wrong_password_and_unknown_email_look_the_same(client, make_user):
    user = make_user()
    wrong = client.post("/api/v1/auth/login", json={"email": user.email, "password": "nope"})
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert error_code(wrong) == "invalid_credentials"


def test_five_wrong_passwords_then_429_even_with_the_right_one(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": "wrong password"}
        )
        assert response.status_code == 401
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert error_code(response) == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_successful_logins_do_not_use_up_the_limit(make_client, make_user):
    # A whole staff room behind one school address logs in at once.
    users = [make_user() for _ in range(8)]
    for user in users:
        assert make_client(user).get("/api/v1/me").status_code == 200


def test_the_limit_is_per_client_address(client, make_user):
    user = make_user()
    for _ in range(5):
        client.post(
            "/api/v1/auth/login",
            json={"email": user.email, "password": "x"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
    elsewhere = client.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert elsewhere.status_code == 200


def test_a_colleagues_typos_do_not_lock_out_the_staff_room(client, make_user):
    """Teachers of one school share its address: one account's failures limit that account;
    many accounts tried from one address hit the address's own, looser limit."""
    typist, colleague = make_user(), make_user()

    def login(user, password, address="10.0.0.7"):
        return client.attempt_login(user, password, address).status_code

    assert [login(typist, "falsch") for _ in range(5)] == [401] * 5
    assert login(typist, PASSWORD) == 429
    assert login(colleague, PASSWORD) == 200
    assert login(typist, PASSWORD, "10.0.0.8") == 200  # at home
    others = [make_user() for _ in range(6)]
    tries = [login(user, "falsch") for user in others for _ in range(5)]
    assert tries == [401] * 25 + [429] * 5  # the address's 30 failures are used up
    assert login(colleague, PASSWORD) == 429


def test_logout_ends_the_session(make_client, make_user):
    browser = make_client(make_user())
    assert browser.post("/api/v1/auth/logout").status_code == 204
    assert browser.get("/api/v1/me").status_code == 401


def copy_of_cookie(browser, make_client):
    """Another browser holding a copy of this browser's session cookie."""
    name = browser.http.application.config["SESSION_COOKIE_NAME"]
    thief = make_client()
    thief.http.set_cookie(name, browser.http.get_cookie(name).value)
    return thief


def test_logout_ends_the_session_on_the_server(make_client, make_user):
    browser = make_client(make_user())
    thief = copy_of_cookie(browser, make_client)
    assert thief.get("/api/v1/me").status_code == 200
    assert browser.post("/api/v1/auth/logout").status_code == 204
    assert thief.get("/api/v1/me").status_code == 401


def test_the_cookie_names_a_session_whose_id_is_stored_hashed(make_client, make_user):
    browser = make_client(make_user())
    name = browser.http.application.config["SESSION_COOKIE_NAME"]
    cookie = browser.http.get_cookie(name).value
    stored = db.session.scalar(select(LoginSession))
    assert stored.token_hash not in cookie
    assert len(stored.token_hash) == 64


def age_sessions(**ago) -> None:
    """Move every session's times back: created=…, last_seen=… (timedeltas)."""
    for record in db.session.scalars(select(LoginSession)):
        if "created" in ago:
            record.created_at = utcnow() - ago["created"]
        if "last_seen" in ago:
            record.last_seen_at = utcnow() - ago["last_seen"]
    db.session.commit()


def test_a_session_ends_after_12_hours_without_a_request(make_client, make_user):
    browser = make_client(make_user())
    age_sessions(created=timedelta(hours=11, minutes=59), last_seen=timedelta(hours=11, minutes=59))
    assert browser.get("/api/v1/me").status_code == 200  # and counts as seen now
    age_sessions(last_seen=timedelta(hours=12, seconds=1))
    response = browser.get("/api/v1/me")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    make_client(make_user())  # the next login anywhere deletes expired records
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_a_session_ends_after_7_days_however_busy(make_client, make_user):
    browser = make_client(make_user())
    age_sessions(created=timedelta(days=6, hours=23), last_seen=timedelta(0))
    assert browser.get("/api/v1/me").status_code == 200
    age_sessions(created=timedelta(days=7, seconds=1), last_seen=timedelta(0))
    assert browser.get("/api/v1/me").status_code == 401


def test_a_request_notes_the_session_as_seen_at_most_once_a_minute(
    make_client, make_user, count_queries
):
    browser = make_client(make_user())
    age_sessions(last_seen=timedelta(minutes=2))
    with count_queries() as first:
        browser.get("/api/v1/me")
    with count_queries() as second:
        browser.get("/api/v1/me")
    writes = lambda queries: [q for q in queries if q.lstrip().upper().startswith("UPDATE")]  # noqa: E731
    assert len(writes(first)) == 1
    assert writes(second) == []
    seen = db.session.scalar(select(LoginSession)).last_seen_at
    assert utcnow() - seen < timedelta(seconds=30)


def test_writes_without_the_csrf_token_are_refused_and_change_nothing(make_client, make_user):
    user = make_user()
    browser = make_client(user)
    old_hash = user.password_hash
    response = browser.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": ""},
    )
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"
    forged = browser.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert forged.status_code == 403
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_password_change(make_client, make_user):
    user = make_user()
    browser, other_device = make_client(user), make_client(user)
    response = browser.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "ein ganz neues Passwort"},
    )
    assert response.status_code == 204
    assert browser.get("/api/v1/me").status_code == 200  # this session goes on
    assert other_device.get("/api/v1/me").status_code == 401  # every other session ends
    assert (
        make_client()
        .post(
            "/api/v1/auth/login", json={"email": user.email, "password": "ein ganz neues Passwort"}
        )
        .status_code
        == 200
    )


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("wrong current password", "ein ganz neues Passwort", "current_password"),
        (PASSWORD, "short", "new_password"),
        (PASSWORD, "x" * 201, "new_password"),
    ],
)
def test_password_change_errors_name_the_field(make_client, make_user, current, new, field):
    user = make_user()
    old_hash = user.password_hash
    response = make_client(user).post(
        "/api/v1/me/password", json={"current_password": current, "new_password": new}
    )
    assert response.status_code == 422
    assert field_errors(response) == {field}
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_passwords_are_hashed_strongly(app, make_user):
    assert FIXED["PASSWORD_HASH_METHOD"] == "scrypt"  # what production uses
    app.config["PASSWORD_HASH_METHOD"] = FIXED["PASSWORD_HASH_METHOD"]
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_create_user_refuses_duplicates_and_short_passwords(app, make_user):
    make_user("taken@example.org")
    with pytest.raises(Conflict):
        service.create_user("TAKEN@example.org", "Someone", "long enough password")
    with pytest.raises(ValidationFailed):
        service.create_user("new@example.org", "Someone", "short")


def test_create_admin_command(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--password",
            "a long admin passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert service.find_user_by_email("ops@example.org").is_site_admin
    again = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--password",
            "a long admin passphrase",
        ]
    )
    assert again.exit_code != 0
    assert "exists already" in again.output
