"""Assertions shared by the API tests."""

import re


def error_code(response) -> str:
    assert response.is_json, response.data[:200]
    body = response.json
    assert set(body) >= {"code", "message"}, body
    return body["code"]


def field_errors(response) -> set[str]:
    return set(response.json.get("errors", {}))


def assert_iso(value: str) -> None:
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", value), value


def mails_to(address: str):
    """The messages queued for `address`, oldest first, parsed."""
    from email import message_from_string, policy

    from sqlalchemy import select

    from openparcours.extensions import db
    from openparcours.mail.models import OutboxMail

    rows = db.session.scalars(
        select(OutboxMail).where(OutboxMail.recipient == address).order_by(OutboxMail.id)
    )
    return [message_from_string(row.message, policy=policy.default) for row in rows]


def mailed_token(address: str, path: str) -> str:
    """The token of the link to `path` in the latest mail to `address` (`…/path#token`)."""
    text = mails_to(address)[-1].get_body(("plain",)).get_content()
    found = re.search(rf"https?://\S+{re.escape(path)}#(\S+)", text)
    assert found, text
    return found.group(1)
