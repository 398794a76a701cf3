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
