"""Schemathesis against the OpenAPI document, anonymous and as a site admin: no 5xx for any
generated input, and every answer as the document describes it."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import PASSWORD

CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz(app, headers=None, cookies=None, skip: tuple[str, ...] = ()) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
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


def test_site_admin(app, make_user):
    """Logged in, with the CSRF header: the generated input reaches the services."""
    admin = make_user(site_admin=True)
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"email": admin.email, "password": PASSWORD})
    cookies = {"session": client.get_cookie("session").value}
    headers = {"X-CSRF-Token": login.json["csrf_token"]}
    assert (
        client.get("/api/v1/me", headers={"Cookie": f"session={cookies['session']}"}).status_code
        == 200
    )
    # Logging out or changing the password would end the session the rest needs.
    skip = ("POST /api/v1/auth/logout", "POST /api/v1/me/password")
    assert fuzz(app, headers, cookies, skip) == []
