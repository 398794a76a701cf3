"""The outbox: what a queued mail holds, refusals, and delivery as .eml files (the embedded
default). Delivery over SMTP is in tests/test_mail_smtp.py."""

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from openparcours.database import utcnow
from openparcours.errors import ValidationFailed
from openparcours.extensions import db
from openparcours.mail import delivery
from openparcours.mail.models import FailingAddress, MailState, OutboxMail
from openparcours.mail.service import Attachment, Mail, language_of, queue_mail

MAIL = Mail(
    subject="Ihr Zugang zu OpenParcours",
    paragraphs=("Guten Tag,", "bitte klicken Sie <hier> & dort."),
    reason="Sie erhalten diese Mail, weil Sie ein Konto haben. Ändern unter Konto.",
    link="http://127.0.0.1:5000/konto",
    link_label="Zum Konto",
    organisation_name="Stadtmuseum Bochum",
)


def parsed(row: OutboxMail):
    return message_from_bytes(row.message.encode(), policy=policy.default)


def eml_files(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))


def test_a_mail_has_text_html_sender_link_and_reason(app, make_user):
    user = make_user("lehrerin@example.org", name="Anna Lehrerin")
    row = queue_mail(user, MAIL)
    db.session.commit()
    message = parsed(row)
    assert message["To"] == "Anna Lehrerin <lehrerin@example.org>"
    assert message["From"].addresses[0].display_name == "Stadtmuseum Bochum"
    assert message["Subject"] == MAIL.subject
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "de"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "bitte klicken Sie <hier> & dort." in text
    assert "Zum Konto:\nhttp://127.0.0.1:5000/konto" in text
    assert MAIL.reason in text
    assert "Stadtmuseum Bochum" in text
    assert "bitte klicken Sie &lt;hier&gt; &amp; dort." in html
    assert '<a href="http://127.0.0.1:5000/konto">Zum Konto</a>' in html
    assert '<html lang="de">' in html
    # Nothing fetched from elsewhere when the mail is opened.
    assert not any(tag in html for tag in ("<img", "<script", "<link", "<style"))
    assert row.message.isascii()


def test_the_recipients_language(app, make_user):
    user = make_user()
    assert language_of(user) == "de"
    assert language_of(None) == "de"
    user.language = "en"
    assert language_of(user) == "en"
    assert parsed(queue_mail(user, MAIL))["Content-Language"] == "en"


def test_attachments_keep_their_type_and_parameters(app):
    invitation = Attachment("termin.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")
    row = queue_mail(
        "a@example.org", Mail("Termin", ("Hallo",), "Grund", attachments=(invitation,))
    )
    (part,) = parsed(row).iter_attachments()
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "termin.ics"
    assert part.get_content() == "BEGIN:VCALENDAR\r\n"


HOSTILE = "Hallo\r\nBcc: everyone@example.org"


@pytest.mark.parametrize(
    ("to", "mail"),
    [
        (HOSTILE, MAIL),
        ("a@example.org\nBcc: b@example.org", MAIL),
        ("a@example.org", Mail(HOSTILE, ("x",), "y")),
        ("a@example.org", Mail("Betreff", ("x",), "y", organisation_name=HOSTILE)),
        ("a@example.org", Mail("Betreff", ("x",), "y", organisation_name="Museum\rBcc: b@x.org")),
        (
            "a@example.org",
            Mail("Betreff", ("x",), "y", attachments=(Attachment(HOSTILE, "text/plain", b""),)),
        ),
        (
            "a@example.org",
            Mail("Betreff", ("x",), "y", attachments=(Attachment("a.txt", HOSTILE, b""),)),
        ),
    ],
)
def test_line_breaks_never_reach_a_header(app, to, mail):
    with pytest.raises(ValidationFailed):
        queue_mail(to, mail)
    assert db.session.query(OutboxMail).count() == 0


def test_line_breaks_in_a_name_never_reach_a_header(app, make_user):
    user = make_user()
    user.display_name = HOSTILE
    with pytest.raises(ValidationFailed):
        queue_mail(user, MAIL)


@pytest.mark.parametrize(
    "address", ["", "no-at-sign", "a@", "@example.org", "a b@example.org", "a@" + "x" * 250 + ".de"]
)
def test_invalid_addresses_are_refused(app, address):
    with pytest.raises(ValidationFailed):
        queue_mail(address, MAIL)


def test_a_link_goes_to_the_web_only(app):
    with pytest.raises(ValidationFailed):
        queue_mail("a@example.org", Mail("Betreff", ("x",), "y", link="javascript:alert(1)"))


def test_a_removed_user_gets_no_mail(app, make_user):
    user = make_user()
    queue_mail(user, MAIL)
    db.session.commit()
    db.session.delete(user)
    db.session.commit()
    assert queue_mail(user, MAIL) is None
    assert db.session.query(OutboxMail).count() == 0
    assert delivery.deliver_due().sent == 0


def test_an_address_marked_failing_gets_nothing(app):
    db.session.add(FailingAddress(address="weg@example.org", error="550 no such user"))
    row = queue_mail("Weg@Example.org", MAIL)
    db.session.commit()
    assert row.state == MailState.WITHHELD
    assert delivery.deliver_due().sent == 0
    assert eml_files(app) == []


def test_without_mail_url_mails_become_eml_files(app):
    row = queue_mail("a@example.org", MAIL)
    db.session.commit()
    assert delivery.deliver_due().sent == 1
    (file,) = eml_files(app)
    assert file.read_bytes() == row.message.encode()
    assert row.state == MailState.SENT
    assert row.sent_at is not None
    assert row.attempts == 1
    assert delivery.deliver_due().sent == 0  # sent once
    assert len(eml_files(app)) == 1


def test_a_mail_is_queued_with_its_change_or_not_at_all(app):
    queue_mail("a@example.org", MAIL)
    db.session.rollback()
    assert delivery.deliver_due().sent == 0


def test_a_claimed_mail_is_not_sent_by_another_process(app):
    row = queue_mail("a@example.org", MAIL)
    db.session.commit()
    now = utcnow()
    assert delivery._claim(row.id, now)
    assert not delivery._claim(row.id, now)
    assert delivery.deliver_due(now).sent == 0
    assert delivery.deliver_due(now + delivery.CLAIM_LEASE).sent == 1


def test_retries_back_off_up_to_an_hour():
    delays = [delivery.retry_delay(n) for n in range(1, 10)]
    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert delays[-1] == timedelta(hours=1)


def test_the_cli_lists_and_sends(app):
    queue_mail("a@example.org", MAIL)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "queued" in runner.invoke(args=["mail", "list"]).output
    assert "Sent 1," in runner.invoke(args=["mail", "send"]).output
    listed = runner.invoke(args=["mail", "list"]).output
    assert all(part in listed for part in ("sent", "a@example.org", MAIL.subject))


def test_the_schedule_delivers_mail(app):
    from openparcours.core.schedule import run_due_jobs

    queue_mail("a@example.org", MAIL)
    db.session.commit()
    assert "mail" in run_due_jobs(app)
    assert len(eml_files(app)) == 1


def test_site_admins_see_the_failed_mails(app, make_client, make_user):
    queue_mail("a@example.org", MAIL)
    failed = queue_mail("b@example.org", MAIL)
    db.session.commit()
    failed.state, failed.last_error = MailState.FAILED, "550 5.1.1 No such user"
    db.session.commit()
    answer = make_client(make_user(site_admin=True)).get("/api/v1/mail/failed")
    assert answer.status_code == 200
    (listed,) = answer.json
    assert listed["recipient"] == "b@example.org"
    assert listed["last_error"] == "550 5.1.1 No such user"
    assert listed["state"] == "failed"
    assert make_client(make_user()).get("/api/v1/mail/failed").status_code == 403


def test_admins_see_which_members_addresses_fail(app, make_client, make_user, make_organisation):
    museum = make_organisation()
    admin = make_user(roles={museum: ["admin"]})
    make_user("weg@example.org", roles={museum: ["educator"]})
    db.session.add(FailingAddress(address="weg@example.org", error="550 no such user"))
    db.session.commit()
    members = make_client(admin).get(f"/api/v1/organisations/{museum.id}/members").json
    failing = {m["user"]["email"]: m["email_failing"] for m in members}
    assert failing == {admin.email: False, "weg@example.org": True}
