"""Assertions shared by the API tests, what the outbox holds for an address, uploads and
damaged media files."""

import re
from email import message_from_string
from email import policy as email_policy
from email.message import EmailMessage

from sqlalchemy import select

from openparcours.media.storage import LocalStorage


def error_code(response) -> str:
    assert response.is_json, response.data[:200]
    body = response.json
    assert set(body) >= {"code", "message"}, body
    return body["code"]


def field_errors(response) -> set[str]:
    return set(response.json.get("errors", {}))


def assert_iso(value: str) -> None:
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", value), value


def mails_to(address: str) -> list[EmailMessage]:
    """The mails queued for `address`, parsed, the oldest first."""
    from openparcours.extensions import db
    from openparcours.mail.models import OutboxMail

    rows = db.session.scalars(
        select(OutboxMail).where(OutboxMail.recipient == address).order_by(OutboxMail.id)
    )
    return [message_from_string(row.message, policy=email_policy.default) for row in rows]


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return body.get_content()


def _token_in(text: str, path: str) -> str | None:
    found = re.search(rf"https?://\S+{re.escape(path)}#(\S+)", text)
    return found.group(1) if found else None


def mailed_tokens(address: str, path: str) -> list[str]:
    """The tokens of the links to `path` (`…/path#token`) mailed to `address`, oldest first."""
    found = (_token_in(text_of(mail), path) for mail in mails_to(address))
    return [token for token in found if token]


def mailed_token(address: str, path: str) -> str:
    """The token of the link to `path` in the latest mail to `address`."""
    text = text_of(mails_to(address)[-1])
    token = _token_in(text, path)
    assert token, text
    return token


def damage(storage, name: str, data: bytes) -> None:
    """Store `data` under `name` behind the storage's back, as bit rot or a broken copy would."""
    if isinstance(storage, LocalStorage):
        storage.path(name).parent.mkdir(parents=True, exist_ok=True)
        storage.path(name).write_bytes(data)
    else:
        storage.client.put_object(Bucket=storage.bucket, Key=storage.key(name), Body=data)


def file_upload(data: bytes, name: str) -> dict:
    """The keyword arguments of a request uploading one file as the form field `file`.

    The multipart body by hand: werkzeug's test client leaves its temporary file for bodies
    over 500 KB open, which `filterwarnings=error` turns into a failure."""
    body = (
        b"--b0undary\r\n"
        + f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + data
        + b"\r\n--b0undary--\r\n"
    )
    return {"data": body, "content_type": "multipart/form-data; boundary=b0undary"}
