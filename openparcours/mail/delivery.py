"""Delivering the outbox: to the SMTP server of MAIL_URL, or as .eml files into MAIL_DIR.

Several processes deliver (each app process's schedule, `flask mail send` from cron). A process
claims a mail with a conditional UPDATE that moves its next attempt past a lease, sends it, and
marks it sent once the server has answered 250 to its data. A process that dies between the
server's 250 and that mark leaves the mail claimed; when the lease is over it is sent again:
a crash costs at most one duplicate, never a lost mail.
"""

import logging
import os
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app
from sqlalchemy import select, update

from openparcours.database import updated_rows, utcnow
from openparcours.extensions import db
from openparcours.mail.models import FailingAddress, MailState, OutboxMail

log = logging.getLogger(__name__)

# Longer than one mail's delivery can take (SMTP_TIMEOUT for each step of the dialogue).
CLAIM_LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 30
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=48)
BATCH = 200


class TemporaryFailure(Exception):
    """Try again later; `server_away` when no mail can go now (no connection)."""

    def __init__(self, message: str, *, server_away: bool = False):
        super().__init__(message)
        self.server_away = server_away


class PermanentFailure(Exception):
    """The server refused the mail for good; `address_failing` when it refused the recipient."""

    def __init__(self, message: str, *, address_failing: bool = False):
        super().__init__(message)
        self.address_failing = address_failing


class Transport(Protocol):
    def send(self, mail: OutboxMail) -> None: ...


def _sender_address() -> str:
    return parseaddr(current_app.config["MAIL_FROM"])[1]


class FileTransport:
    """The embedded default: each mail becomes a file a developer opens in a mail program."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, mail: OutboxMail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{mail.created_at:%Y%m%d-%H%M%S}-{mail.id}.eml"
        partial = path.with_suffix(".partial")
        partial.write_bytes(mail.message.encode())
        os.replace(partial, path)  # whoever reads the folder never sees half a mail


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"


class SmtpTransport:
    """One connection for a round of mails, opened with the first one."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("MAIL_URL must be smtp://user:password@host:587 or smtps://…:465")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.username = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        # The system's certificate authorities (SSL_CERT_FILE names another bundle).
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if self.implicit_tls:
            connection = smtplib.SMTP_SSL(
                self.host, self.port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
        try:
            if not self.implicit_tls:
                # Never in the clear: without STARTTLS, password and mails would be readable.
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, mail: OutboxMail) -> None:
        if self.connection is None:
            try:
                self.connection = self._connect()
            except (OSError, smtplib.SMTPException, ssl.SSLError) as error:
                raise TemporaryFailure(f"No connection: {error}", server_away=True) from error
        try:
            self.connection.sendmail(_sender_address(), [mail.recipient], mail.message.encode())
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = error.recipients.get(mail.recipient, (0, b""))
            text = _reply(code, reason)
            if code >= 500:
                raise PermanentFailure(text, address_failing=True) from error
            raise TemporaryFailure(text) from error
        except smtplib.SMTPResponseException as error:
            text = _reply(error.smtp_code, error.smtp_error)
            if error.smtp_code >= 500:
                raise PermanentFailure(text) from error
            raise TemporaryFailure(text) from error
        except OSError as error:  # the connection broke (smtplib's disconnect is one too)
            self.connection = None
            raise TemporaryFailure(f"Connection lost: {error}", server_away=True) from error

    def close(self) -> None:
        if self.connection is not None:
            with suppress(OSError, smtplib.SMTPException):
                self.connection.quit()
            self.connection = None


@contextmanager
def transport() -> Iterator[Transport]:
    url = current_app.config["MAIL_URL"]
    if not url:
        yield FileTransport(Path(current_app.config["MAIL_DIR"]))
        return
    smtp = SmtpTransport(url)
    try:
        yield smtp
    finally:
        smtp.close()


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _due(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMail.id)
            .where(OutboxMail.state == MailState.QUEUED, OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(BATCH)
        )
    )


def _claim(mail_id: int, now: datetime) -> bool:
    """True for exactly one process: the UPDATE only matches while the mail is due."""
    claimed = updated_rows(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.state == MailState.QUEUED,
            OutboxMail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + CLAIM_LEASE, attempts=OutboxMail.attempts + 1)
    )
    db.session.commit()
    return bool(claimed)


def mark_sent(mail: OutboxMail, now: datetime) -> None:
    mail.state = MailState.SENT
    mail.sent_at = now
    mail.last_error = None
    db.session.commit()


def _retry_or_fail(mail: OutboxMail, error: str, now: datetime) -> bool:
    """True when the mail is given up (48 hours after it was queued)."""
    mail.last_error = error[:500]
    failed = now - mail.created_at >= GIVE_UP_AFTER
    if failed:
        mail.state = MailState.FAILED
        log.warning("Mail %s to %s failed for good: %s", mail.id, mail.recipient, error)
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
    db.session.commit()
    return failed


def _fail(mail: OutboxMail, failure: PermanentFailure, now: datetime) -> None:
    mail.state = MailState.FAILED
    mail.last_error = str(failure)[:500]
    if failure.address_failing:
        db.session.merge(FailingAddress(address=mail.recipient, since=now, error=mail.last_error))
    log.warning("Mail %s to %s refused: %s", mail.id, mail.recipient, failure)
    db.session.commit()


def before_delivery(app: Flask, queue: Callable[[], None]) -> None:
    """Have `queue` run before every round of delivery (the schedule's and `flask mail send`'s):
    for mails that are decided after the request that asks for them (a password reset link)."""
    app.extensions.setdefault("mail_before_delivery", []).append(queue)


def deliver_due(now: datetime | None = None) -> DeliveryReport:
    """Send every mail that is due, once each, in the order they were queued."""
    for queue in current_app.extensions.get("mail_before_delivery", []):
        queue()
    now = now or utcnow()
    report = DeliveryReport()
    with transport() as sender:
        for mail_id in _due(now):
            if not _claim(mail_id, now):
                continue  # another process has it
            mail = db.session.get_one(OutboxMail, mail_id)
            try:
                sender.send(mail)
            except TemporaryFailure as error:
                if _retry_or_fail(mail, str(error), now):
                    report.failed += 1
                else:
                    report.retried += 1
                if error.server_away:
                    break  # the rest wait for the next round instead of each timing out
            except PermanentFailure as error:
                _fail(mail, error, now)
                report.failed += 1
            else:
                mark_sent(mail, now)
                report.sent += 1
    return report


def scheduled_delivery() -> None:
    report = deliver_due()
    if report.retried or report.failed:
        log.info(
            "Mail: %s sent, %s to retry, %s failed", report.sent, report.retried, report.failed
        )
