"""Delivery to a real SMTP server (aiosmtpd on a free port): STARTTLS and TLS, a login, a
server that is away and comes back, 4xx and 5xx answers, a crash after the server's 250."""

from datetime import timedelta

import pytest

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.mail import delivery
from openparcours.mail.models import FailingAddress, MailState, OutboxMail
from openparcours.mail.service import Mail, queue_mail
from tests.mail_server import MailServer

MAIL = Mail(
    subject="Passwort zurücksetzen – Stadtmuseum Bochum",
    paragraphs=("Guten Tag,", "hier ist Ihr Link."),
    reason="Sie erhalten diese Mail, weil jemand ein neues Passwort angefordert hat.",
    link="http://127.0.0.1:5000/passwort/abc",
    link_label="Neues Passwort festlegen",
    organisation_name="Stadtmuseum Bochum (Ruhr) – Ü",
)


def queued(to="lehrer@example.org", mail=MAIL) -> OutboxMail:
    row = queue_mail(to, mail)
    db.session.commit()
    assert row is not None
    return row


def test_delivered_over_starttls_with_a_login(app, smtp_server):
    row = queued()
    assert delivery.deliver_due().sent == 1
    (received,) = smtp_server.received
    assert received.tls
    assert received.recipients == ["lehrer@example.org"]
    assert received.sender == "openparcours@127.0.0.1"
    assert received.message["Subject"] == MAIL.subject
    assert received.message["From"].addresses[0].display_name == MAIL.organisation_name
    assert received.data.replace(b"\r\n", b"\n") == row.message.encode().replace(b"\r\n", b"\n")
    assert row.state == MailState.SENT
    assert delivery.deliver_due().sent == 0
    assert len(smtp_server.received) == 1


def test_delivered_over_tls_from_the_start(app, mail_certificate, monkeypatch):
    server = MailServer(*mail_certificate, implicit_tls=True)
    server.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(mail_certificate[0]))
        app.config["MAIL_URL"] = server.url
        row = queued()
        assert delivery.deliver_due().sent == 1, row.last_error
        assert server.received[0].tls
    finally:
        server.stop()


def test_an_untrusted_certificate_sends_nothing(app, smtp_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    row = queued()
    assert delivery.deliver_due().retried == 1
    assert smtp_server.received == []
    assert "certificate" in row.last_error.lower()


def test_a_wrong_login_sends_nothing_and_tries_again(app, smtp_server):
    app.config["MAIL_URL"] = smtp_server.url.replace("mail-secret", "wrong")
    row = queued()
    assert delivery.deliver_due().retried == 1
    assert smtp_server.received == []
    assert row.state == MailState.QUEUED
    assert row.last_error.startswith("No connection: (535")


def test_a_server_away_and_back_delivers_each_mail_once(app, smtp_server):
    first, second = queued("a@example.org"), queued("b@example.org")
    smtp_server.stop()
    now = utcnow()
    report = delivery.deliver_due(now)
    # The second mail is not tried against a server that is known to be away.
    assert (report.sent, report.retried) == (0, 1)
    assert (first.attempts, second.attempts) == (1, 0)
    assert first.next_attempt_at == now + delivery.FIRST_RETRY
    assert "refused" in first.last_error.lower()

    smtp_server.start()
    assert delivery.deliver_due(now).sent == 1  # the second, due all along
    assert delivery.deliver_due(now + timedelta(seconds=30)).sent == 0  # the first waits
    assert delivery.deliver_due(now + delivery.FIRST_RETRY).sent == 1
    assert delivery.deliver_due(now + timedelta(hours=1)).sent == 0
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "a@example.org",
        "b@example.org",
    ]
    assert first.state == second.state == MailState.SENT


def test_a_4xx_is_tried_again_with_backoff(app, smtp_server):
    smtp_server.handler.replies["voll@example.org"] = "452 4.2.2 Mailbox full"
    row = queued("voll@example.org")
    now = utcnow()
    assert delivery.deliver_due(now).retried == 1
    assert row.last_error == "452 4.2.2 Mailbox full"
    assert delivery.deliver_due(now + delivery.FIRST_RETRY).retried == 1
    assert row.next_attempt_at == now + delivery.FIRST_RETRY + 2 * delivery.FIRST_RETRY
    del smtp_server.handler.replies["voll@example.org"]
    assert delivery.deliver_due(row.next_attempt_at).sent == 1
    assert row.attempts == 3
    assert db.session.get(FailingAddress, "voll@example.org") is None


def test_a_mail_that_cannot_go_for_48_hours_fails(app, smtp_server):
    smtp_server.handler.replies["voll@example.org"] = "452 4.2.2 Mailbox full"
    row = queued("voll@example.org")
    assert delivery.deliver_due(row.created_at + timedelta(hours=47)).retried == 1
    assert delivery.deliver_due(row.created_at + delivery.GIVE_UP_AFTER).failed == 1
    assert row.state == MailState.FAILED
    assert delivery.deliver_due(row.created_at + timedelta(days=5)).failed == 0


def test_a_5xx_on_the_recipient_fails_and_marks_the_address(app, smtp_server):
    smtp_server.handler.replies["weg@example.org"] = "550 5.1.1 No such user"
    row = queued("weg@example.org")
    other = queued("da@example.org")
    report = delivery.deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    assert row.state == MailState.FAILED
    assert row.last_error == "550 5.1.1 No such user"
    assert db.session.get(FailingAddress, "weg@example.org").error == "550 5.1.1 No such user"
    assert other.state == MailState.SENT
    # From now on nothing goes to it.
    assert queued("weg@example.org").state == MailState.WITHHELD
    assert delivery.deliver_due().sent == 0


def test_a_crash_after_the_servers_250_sends_at_most_one_duplicate(app, smtp_server, monkeypatch):
    row = queued()
    now = utcnow()

    def crash(mail, when):
        raise SystemExit("the process died")

    with monkeypatch.context() as patched:
        patched.setattr(delivery, "mark_sent", crash)
        with pytest.raises(SystemExit):
            delivery.deliver_due(now)
    db.session.rollback()
    assert len(smtp_server.received) == 1
    # Still claimed: neither this process nor another sends it before the lease is over …
    assert delivery.deliver_due(now + timedelta(minutes=5)).sent == 0
    # … then it goes once more, and is marked sent.
    assert delivery.deliver_due(now + delivery.CLAIM_LEASE).sent == 1, row.last_error
    assert len(smtp_server.received) == 2
    assert db.session.get(OutboxMail, row.id).state == MailState.SENT
    assert delivery.deliver_due(now + timedelta(days=1)).sent == 0


def test_headers_on_the_wire_are_the_ones_written(app, smtp_server, make_user):
    user = make_user("empfaenger@example.org", name='Ä "Quote" <x@evil.example>, b@evil.example')
    queue_mail(user, MAIL)
    db.session.commit()
    delivery.deliver_due()
    (received,) = smtp_server.received
    assert received.recipients == ["empfaenger@example.org"]
    (to,) = received.message["To"].addresses
    assert to.addr_spec == "empfaenger@example.org"
    assert to.display_name == 'Ä "Quote" <x@evil.example>, b@evil.example'
    assert received.message["Cc"] is None
    assert received.message["Bcc"] is None
