"""Schemathesis against the OpenAPI document, anonymous and as a site admin: no 5xx for any
generated input, and every answer as the document describes it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import PASSWORD, Phone

CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz(app, headers=None, cookies=None, skip: tuple[str, ...] = ()) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers, cookies=cookies)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as error:  # a check failed: collect them all, then report
            failures.append(f"{operation.label}: {str(error)[:400]}")
    return failures


def test_anonymous(app):
    assert fuzz(app) == []


def session_of(app, user) -> tuple[dict, dict]:
    """Headers and cookies of a logged-in browser: the session cookie and the CSRF header."""
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 200
    return {"X-CSRF-Token": login.json["csrf_token"]}, {
        "session": client.get_cookie("session").value
    }


# Logging out or changing the password would end the session the rest needs.
KEEP_THE_SESSION = ("POST /api/v1/auth/logout", "POST /api/v1/me/password")


@pytest.mark.parametrize("role", ["site admin", "org admin", "educator", "teacher"])
def test_staff(app, make_user, make_organisation, role):
    """Logged in, with the CSRF header: the generated input reaches the services."""
    museum, school = make_organisation("museum"), make_organisation("school")
    user = {
        "site admin": lambda: make_user(site_admin=True),
        "org admin": lambda: make_user(roles={museum: ["admin"]}),
        "educator": lambda: make_user(roles={museum: ["educator"]}),
        "teacher": lambda: make_user(roles={school: ["teacher"]}),
    }[role]()
    headers, cookies = session_of(app, user)
    assert fuzz(app, headers, cookies, KEEP_THE_SESSION) == []


def test_a_team(app, client, make_visit):
    """With a team's token: the play API takes whatever comes, without failing."""
    visit = make_visit()
    assert fuzz(app, Phone(client, visit).headers) == []
