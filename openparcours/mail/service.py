"""Queueing mails: a domain says what to tell whom (`Mail`), the outbox renders and keeps it
until the schedule delivers it (openparcours/mail/delivery.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from html import escape
from typing import TYPE_CHECKING

from flask import current_app
from marshmallow import ValidationError, validate
from sqlalchemy import delete, inspect, select

from openparcours import policy
from openparcours.database import paginate, utcnow
from openparcours.errors import ValidationFailed
from openparcours.extensions import db
from openparcours.mail.models import FailingAddress, MailState, OutboxMail

if TYPE_CHECKING:
    from openparcours.accounts.models import User

LANGUAGES = ("de", "en")
MAX_ADDRESS_LENGTH = 254
# What a signature says under every mail, before the reason.
_SENT_BY = {"de": "Gesendet von OpenParcours", "en": "Sent by OpenParcours"}
_check_address = validate.Email()


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Mail:
    """What a domain says; the mail package renders it as plain text and HTML, with the sender's
    name (the institution's or school's), the link into the app, and the line why the recipient
    gets it."""

    subject: str
    paragraphs: tuple[str, ...]  # plain text, no markup; rendered escaped in HTML
    reason: str  # "Sie erhalten diese Mail, weil … Ändern unter …"
    link: str | None = None  # absolute URL into the app (config PUBLIC_URL + path)
    link_label: str | None = None
    organisation_name: str | None = None
    attachments: tuple[Attachment, ...] = ()


def language_of(user: "User | None") -> str:
    """The recipient's chosen language, German unless they chose English."""
    language = getattr(user, "language", None)
    return language if language in LANGUAGES else "de"


def one_line(field: str, value: str) -> str:
    """A text that goes into a header: a line break there would start a header of its own
    (another recipient, another body), so any control character is refused."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationFailed(field, "Line breaks and control characters are not allowed here.")
    return value


def checked_address(address: str, field: str = "email") -> str:
    """A single addr-spec as the SMTP envelope takes it, lower-cased like the accounts'."""
    address = one_line(field, address.strip())
    try:
        if len(address) > MAX_ADDRESS_LENGTH:
            raise ValidationError("too long")
        _check_address(address)
    except ValidationError:
        raise ValidationFailed(field, validate.Email.default_message) from None
    return address.lower()


def is_failing(address: str) -> bool:
    return db.session.get(FailingAddress, address.lower()) is not None


def failing_among(addresses: Iterable[str]) -> set[str]:
    """Those of the (lower-cased) addresses that are marked failing, in one query."""
    listed = list(addresses)
    return set(
        db.session.scalars(select(FailingAddress.address).where(FailingAddress.address.in_(listed)))
    )


def forget_failure(address: str) -> None:
    """The address works after all (its owner proved it by a link mailed to it)."""
    db.session.execute(delete(FailingAddress).where(FailingAddress.address == address.lower()))


def list_failed(actor: "User", page: int, page_size: int) -> tuple[list[OutboxMail], int]:
    """Mails given up, newest first, for the site admins who look after the mail server."""
    policy.require(actor, "mail.view_failed")
    query = select(OutboxMail).where(OutboxMail.state == MailState.FAILED)
    return paginate(
        query.order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc()), page, page_size
    )


def queue_mail(to: "User | str", mail: Mail, *, despite_failing: bool = False) -> OutboxMail | None:
    """Adds the mail to the outbox in the current session: the caller commits it together with
    the change that caused it. Refuses header injection (CR/LF) and invalid addresses
    (ValidationFailed). To a removed (deleted) user it queues nothing and returns None; to an
    address marked failing it keeps the mail withheld, never to be sent, unless the recipient
    asked for it just now (`despite_failing`: a new password), which tries the address again."""
    if isinstance(to, str):
        user, name, address = None, None, checked_address(to)
    else:
        state = inspect(to)
        if state.deleted or state.was_deleted:
            return None
        user, name, address = to, to.display_name, checked_address(to.email)
    message = render(address, mail, language_of(user), name)
    row = OutboxMail(
        recipient=address,
        user=user,
        subject=mail.subject[:255],
        message=message.as_string(policy=SMTP),
        next_attempt_at=utcnow(),
    )
    if not despite_failing and is_failing(address):
        row.state = MailState.WITHHELD
        row.last_error = "The address is marked failing."
    db.session.add(row)
    return row


def _sender(organisation_name: str | None) -> Address:
    configured_name, address = parseaddr(current_app.config["MAIL_FROM"])
    name = organisation_name or configured_name or "OpenParcours"
    username, _, domain = address.partition("@")
    return Address(display_name=name, username=username, domain=domain)


def _text(mail: Mail, language: str) -> str:
    parts = list(mail.paragraphs)
    if mail.link:
        parts.append(f"{mail.link_label}:\n{mail.link}" if mail.link_label else mail.link)
    signature = mail.organisation_name or ""
    parts.append(f"-- \n{signature}\n{_SENT_BY[language]}".replace("\n\n", "\n"))
    parts.append(mail.reason)
    return "\n\n".join(parts) + "\n"


def _html(mail: Mail, language: str) -> str:
    """Plain markup with no images, scripts or styles from elsewhere: nothing tracks a reader."""
    body = [f"<p>{escape(p)}</p>".replace("\n", "<br>\n") for p in mail.paragraphs]
    if mail.link:
        label = escape(mail.link_label or mail.link)
        body.append(f'<p><a href="{escape(mail.link)}">{label}</a></p>')
    signature = [escape(s) for s in (mail.organisation_name, _SENT_BY[language]) if s]
    body.append("<hr>")
    body.append(f"<p>{'<br>'.join(signature)}</p>")
    body.append(f"<p><small>{escape(mail.reason)}</small></p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f"<title>{escape(mail.subject)}</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _check_link(link: str | None) -> None:
    if link is not None and not link.startswith(("https://", "http://")):
        raise ValidationFailed("link", "A mail links to an absolute http(s) URL only.")


def render(address: str, mail: Mail, language: str, name: str | None = None) -> EmailMessage:
    """The message as it is sent: plain text and HTML, then the attachments."""
    one_line("subject", mail.subject)
    if mail.organisation_name is not None:
        one_line("organisation_name", mail.organisation_name)
    if name is not None:
        one_line("display_name", name)
    _check_link(mail.link)
    sender = _sender(mail.organisation_name)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = mail.subject
    message["From"] = sender
    username, _, domain = address.partition("@")
    message["To"] = Address(display_name=name or "", username=username, domain=domain)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.domain or None)
    # No out-of-office answers or vacation replies to a machine's mail.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_text(mail, language))
    message.add_alternative(_html(mail, language), subtype="html")
    for attachment in mail.attachments:
        kind, *parameters = (part.strip() for part in one_line("mime", attachment.mime).split(";"))
        maintype, _, subtype = kind.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=one_line("filename", attachment.filename),
            params=dict(p.split("=", 1) for p in parameters if "=" in p),
        )
    # Last: making the message multipart moves every Content-* header into its first part.
    message["Content-Language"] = language
    return message


def latest(limit: int = 20) -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail)
            .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
            .limit(limit)
        )
    )
