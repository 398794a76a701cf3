"""Setting a new password with a mailed link, and changing the e-mail address with a link to
the new one."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from openparcours.accounts import links
from openparcours.accounts.models import LoginSession, MailedLink, PasswordResetRequest
from openparcours.config import FIXED
from openparcours.extensions import db
from openparcours.mail.models import FailingAddress, MailState, OutboxMail
from tests.factories import PASSWORD, from_address
from tests.helpers import error_code, mailed_token, mails_to

NEW_PASSWORD = "ein-ganz-neues-passwort"


def ask_for_reset(client, email: str, address: str | None = None):
    """Ask as the login page does, then let the schedule mail the link."""
    answer = client.post("/api/v1/auth/password-reset", {"email": email}, **from_address(address))
    links.mail_reset_links()
    return answer


def reset(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/api/v1/auth/password-reset/{token}", {"new_password": password})


def test_a_reset_link_sets_a_new_password_and_ends_every_login(client, make_client, make_user):
    user = make_user("anna@example.org", name="Anna")
    elsewhere = make_client(user)
    assert ask_for_reset(client, " Anna@Example.org ").status_code == 202
    (mail,) = mails_to("anna@example.org")
    assert mail["Subject"] == "Neues Passwort für OpenParcours"
    assert "Guten Tag Anna," in mail.get_body(("plain",)).get_content()
    token = mailed_token("anna@example.org", "/password-reset")
    assert len(token) >= 40

    assert reset(client, token).status_code == 204
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert db.session.scalar(select(func.count(LoginSession.id))) == 0
    assert client.attempt_login(user).status_code == 401
    assert client.attempt_login(user, NEW_PASSWORD).status_code == 200
    notice = mails_to("anna@example.org")[-1]
    assert notice["Subject"] == "Ihr Passwort wurde geändert"
    assert error_code(reset(client, token, "noch-ein-passwort")) == "link_used"


def test_an_unknown_address_gets_the_same_answer_after_the_same_work(
    client, make_user, count_queries
):
    make_user("anna@example.org")
    answers, statements = [], []
    for email in ("niemand@example.org", "anna@example.org"):
        with count_queries() as queries:
            answers.append(client.post("/api/v1/auth/password-reset", {"email": email}))
        statements.append(queries)
    assert answers[0].status_code == answers[1].status_code == 202
    assert answers[0].data == answers[1].data
    assert statements[0] == statements[1]
    # Until the schedule has looked the addresses up, nothing is mailed …
    assert mails_to("anna@example.org") == []
    # … and then only to the account's address.
    links.mail_reset_links()
    assert len(mails_to("anna@example.org")) == 1
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 1
    assert mails_to("niemand@example.org") == []
    assert db.session.scalar(select(func.count(MailedLink.id))) == 1


def test_the_link_is_in_the_users_language(client, make_client, make_user):
    me = make_client(make_user("ann@example.org"))
    assert me.get("/api/v1/me").json["language"] == "de"
    assert me.patch("/api/v1/me", {"language": "en"}).json["language"] == "en"
    assert me.patch("/api/v1/me", {"language": "fr"}).status_code == 422
    ask_for_reset(client, "ann@example.org")
    assert mails_to("ann@example.org")[0]["Subject"] == "New password for OpenParcours"


def test_a_reset_link_is_valid_for_an_hour(app, client, make_user):
    make_user("anna@example.org")
    ask_for_reset(client, "anna@example.org")
    token = mailed_token("anna@example.org", "/password-reset")
    link = db.session.scalar(select(MailedLink))
    assert link.expires_at - link.created_at == timedelta(hours=1)
    link.expires_at = link.created_at
    db.session.commit()
    answer = reset(client, token)
    assert answer.status_code == 410
    assert error_code(answer) == "link_expired"


def test_an_unknown_link_is_refused(client):
    answer = reset(client, "x" * 43)
    assert answer.status_code == 404
    assert error_code(answer) == "link_invalid"


def test_a_too_short_password_keeps_the_link(client, make_user):
    make_user("anna@example.org")
    ask_for_reset(client, "anna@example.org")
    token = mailed_token("anna@example.org", "/password-reset")
    assert error_code(reset(client, token, "kurz")) == "password_too_short"
    assert reset(client, token).status_code == 204


def test_one_used_link_ends_the_others(client, make_user):
    make_user("anna@example.org")
    ask_for_reset(client, "anna@example.org")
    first = mailed_token("anna@example.org", "/password-reset")
    ask_for_reset(client, "anna@example.org")
    second = mailed_token("anna@example.org", "/password-reset")
    assert first != second
    assert reset(client, second).status_code == 204
    assert error_code(reset(client, first)) == "link_used"


def test_resets_are_limited_per_account_from_anywhere(client, make_user):
    make_user("anna@example.org")
    limit = int(FIXED["RATELIMITS"]["password_reset"].split()[0])
    for n in range(limit):
        assert ask_for_reset(client, "anna@example.org", f"192.0.2.{n + 1}").status_code == 202
    answer = ask_for_reset(client, "anna@example.org", "198.51.100.7")
    assert answer.status_code == 429
    assert "Retry-After" in answer.headers
    # The same for an address without an account: a 429 tells nothing either.
    for n in range(limit):
        ask_for_reset(client, "niemand@example.org", f"192.0.2.{n + 1}")
    assert ask_for_reset(client, "niemand@example.org", "198.51.100.7").status_code == 429
    assert len(mails_to("anna@example.org")) == limit


def test_resets_are_limited_per_client_address(client):
    limit = int(FIXED["RATELIMITS"]["password_reset_address"].split()[0])
    for n in range(limit):
        assert ask_for_reset(client, f"p{n}@example.org", "192.0.2.9").status_code == 202
    assert ask_for_reset(client, "another@example.org", "192.0.2.9").status_code == 429
    assert ask_for_reset(client, "another@example.org", "192.0.2.10").status_code == 202


def test_a_reset_proves_a_failing_address_works(client, make_user):
    make_user("anna@example.org")
    db.session.add(FailingAddress(address="anna@example.org", error="550 mailbox unavailable"))
    db.session.commit()
    ask_for_reset(client, "anna@example.org")
    # Its owner asks for the link: the address is tried again.
    assert db.session.scalar(select(OutboxMail.state)) == MailState.QUEUED
    token = mailed_token("anna@example.org", "/password-reset")
    assert reset(client, token).status_code == 204
    assert db.session.get(FailingAddress, "anna@example.org") is None


@pytest.mark.parametrize("email", ["", "keine-adresse", "a@example.org\r\nBcc: b@example.org"])
def test_a_reset_needs_an_address(client, email):
    assert ask_for_reset(client, email).status_code == 422


# --- A new e-mail address -----------------------------------------------------------------


def change_email(client, new_email: str, password: str = PASSWORD):
    return client.post("/api/v1/me/email", {"new_email": new_email, "password": password})


def confirm(client, token: str):
    return client.post(f"/api/v1/auth/email-change/{token}")


def test_a_new_address_counts_once_its_link_is_opened(client, make_client, make_user):
    user = make_user("alt@example.org", name="Bea")
    me = make_client(user)
    assert change_email(me, "Neu@Example.org").status_code == 202
    assert me.get("/api/v1/me").json["email"] == "alt@example.org"  # not yet
    (confirmation,) = mails_to("neu@example.org")
    assert confirmation["Subject"] == "Neue E-Mail-Adresse bestätigen"
    token = mailed_token("neu@example.org", "/email-confirm")

    answer = confirm(client, token)  # from another browser: the mail program's
    assert answer.status_code == 200
    assert answer.json == {"email": "neu@example.org"}
    assert me.get("/api/v1/me").json["email"] == "neu@example.org"
    (notice,) = mails_to("alt@example.org")
    assert notice["Subject"] == "Ihre E-Mail-Adresse wurde geändert"
    assert "neu@example.org" in notice.get_body(("plain",)).get_content()
    assert error_code(confirm(client, token)) == "link_used"
    user.email = "neu@example.org"
    assert make_client().attempt_login(user).status_code == 200


def test_a_new_address_needs_the_password(client, make_client, make_user):
    me = make_client(make_user())
    answer = change_email(me, "neu@example.org", "falsch")
    assert answer.status_code == 422
    assert error_code(answer) == "wrong_password"
    assert mails_to("neu@example.org") == []


def test_a_new_address_must_be_free_and_new(client, make_client, make_user):
    user = make_user("alt@example.org")
    make_user("belegt@example.org")
    me = make_client(user)
    assert error_code(change_email(me, "belegt@example.org")) == "email_in_use"
    assert error_code(change_email(me, "alt@example.org")) == "same_email"
    assert change_email(me, "neu@example.org").status_code == 202
    token = mailed_token("neu@example.org", "/email-confirm")
    make_user("neu@example.org")  # someone else took it meanwhile
    answer = confirm(client, token)
    assert answer.status_code == 409
    assert error_code(answer) == "email_in_use"
    assert db.session.get(type(user), user.id).email == "alt@example.org"


@pytest.mark.parametrize(
    "new_email", ["keine-adresse", "neu@example.org\r\nBcc: b@example.org", "a@" + "b" * 260]
)
def test_a_new_address_is_checked(client, make_client, make_user, new_email):
    me = make_client(make_user())
    assert change_email(me, new_email).status_code == 422
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 0


def test_changing_the_address_needs_a_login(client):
    assert change_email(client, "neu@example.org").status_code == 401


def test_the_confirmation_link_expires_after_a_day(client, make_client, make_user):
    change_email(make_client(make_user()), "neu@example.org")
    token = mailed_token("neu@example.org", "/email-confirm")
    link = db.session.scalar(select(MailedLink))
    assert link.expires_at - link.created_at == timedelta(days=1)
    link.expires_at = link.created_at
    db.session.commit()
    assert error_code(confirm(client, token)) == "link_expired"


def test_a_reset_link_confirms_no_address_and_the_other_way_round(client, make_client, make_user):
    user = make_user("alt@example.org")
    change_email(make_client(user), "neu@example.org")
    token = mailed_token("neu@example.org", "/email-confirm")
    assert error_code(reset(client, token)) == "link_invalid"
    ask_for_reset(client, "alt@example.org")
    token = mailed_token("alt@example.org", "/password-reset")
    assert error_code(confirm(client, token)) == "link_invalid"


@pytest.mark.parametrize("name", ["Anna\r\nBcc: b@example.org", "Anna\nX", "Anna\x00"])
def test_names_that_reach_a_mail_header_are_one_line(
    client, make_organisation, make_client, make_user, name
):
    from openparcours.organisations.models import Role
    from openparcours.organisations.service import create_invite

    museum = make_organisation()
    admin = make_user(roles={museum: ["admin"]})
    _, token = create_invite(admin, museum, Role.educator)
    body = {"token": token, "email": "x@example.org", "display_name": name, "password": PASSWORD}
    assert client.post("/api/v1/invites/accept", body).status_code == 422
    site_admin = make_client(make_user(site_admin=True))
    answer = site_admin.post("/api/v1/organisations", {"name": name, "kind": "museum"})
    assert answer.status_code == 422


def test_the_schedule_mails_each_reset_link_once(app, client, make_user):
    from openparcours.core.schedule import run_due_jobs

    make_user("anna@example.org")
    client.post("/api/v1/auth/password-reset", {"email": "anna@example.org"})
    assert "mail" in run_due_jobs(app)  # the link is made and sent in the same round
    assert db.session.scalar(select(func.count(PasswordResetRequest.id))) == 0
    links.mail_reset_links()
    assert len(mails_to("anna@example.org")) == 1
    assert db.session.scalar(select(OutboxMail.state)) == MailState.SENT


def test_flask_mail_send_mails_the_reset_links_too(app, client, make_user):
    make_user("anna@example.org")
    client.post("/api/v1/auth/password-reset", {"email": "anna@example.org"})
    assert "Sent 1," in app.test_cli_runner().invoke(args=["mail", "send"]).output
    assert mails_to("anna@example.org")[0]["Subject"] == "Neues Passwort für OpenParcours"
