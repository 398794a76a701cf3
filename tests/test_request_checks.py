"""What every request passes before its view: JSON nested too deeply answers 400 with the
error shape on every route, and no NUL character gets in, whether the body comes with a
Content-Length, chunked, or as a trail import."""

import io
import json
import re

import pytest
from sqlalchemy import func, select

from openparcours.core.security import MAX_JSON_DEPTH
from openparcours.extensions import db
from openparcours.organisations.models import Organisation
from openparcours.trails.models import Trail
from tests.factories import single_choice_task
from tests.helpers import error_code
from tests.test_trail_format import station, trail_document, upload

KILOBYTE_OF_ARRAYS = "[" * 512 + "]" * 512
UNCLOSED_ARRAYS = "[" * 1024  # deeper than the parser's stack before it sees the end


def every_operation(browser) -> list[tuple[str, str]]:
    paths = browser.get("/api/v1/openapi.json").json["paths"]
    methods = {"get", "post", "put", "patch", "delete"}
    return [
        (method.upper(), "/api/v1" + re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        for method in operations
        if method in methods
    ]


@pytest.mark.parametrize("who", ["anonymous", "site admin"])
def test_deep_json_answers_400_on_every_route(client, make_client, make_user, who):
    browser = client if who == "anonymous" else make_client(make_user(site_admin=True))
    operations = every_operation(browser)
    assert len(operations) > 50
    answers = {
        (method, path, name): browser.request(
            method, path, data=body, headers={"Content-Type": "application/json"}
        )
        for method, path in operations
        for name, body in (("closed", KILOBYTE_OF_ARRAYS), ("open", UNCLOSED_ARRAYS))
    }
    wrong = {
        key: (response.status_code, response.data[:80])
        for key, response in answers.items()
        if response.status_code != 400 or error_code(response) != "json_too_deep"
    }
    assert wrong == {}
    shape = next(iter(answers.values())).json
    assert shape["params"] == {"max_depth": MAX_JSON_DEPTH}
    assert shape["message"]


def test_json_as_deep_as_allowed_reaches_the_view(client):
    deepest = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    response = client.post(
        "/api/v1/play/join", data=deepest, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422  # the view's schema: not a join request
    deeper = client.post(
        "/api/v1/play/join", data=f"[{deepest}]", headers={"Content-Type": "application/json"}
    )
    assert deeper.status_code == 400


def test_a_nul_in_a_chunked_body_is_refused(make_client, make_user, make_organisation):
    museum = make_organisation("museum")
    admin = make_client(make_user(roles={museum: ["admin"]}))
    before = museum.description
    body = json.dumps({"description": "a\x00b"}).encode()
    response = admin.http.open(
        f"/api/v1/organisations/{museum.id}",
        method="PATCH",
        input_stream=io.BytesIO(body),
        headers={
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
            "X-CSRF-Token": admin.csrf_token,
        },
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sends it
    )
    assert response.request.content_length is None
    assert (response.status_code, error_code(response)) == (422, "nul_character")
    db.session.expire_all()
    assert db.session.get(Organisation, museum.id).description == before


@pytest.mark.parametrize("where", ["title", "task option"])
def test_a_nul_in_a_trail_import_is_refused(make_client, make_user, make_organisation, where):
    museum = make_organisation("museum")
    author = make_client(make_user(roles={museum: ["educator"]}))
    if where == "title":
        document = trail_document(station("Zeche\x00"))
    else:
        task = single_choice_task()
        task["definition"]["options"][0]["text"] = "19\x0055"
        document = trail_document(station(tasks=[task]))
    response = upload(author, museum, json.dumps(document).encode(), "x.geojson")
    assert (response.status_code, error_code(response)) == (422, "nul_character")
    assert db.session.scalar(select(func.count()).select_from(Trail)) == 0


def test_a_deep_trail_import_is_refused(make_client, make_user, make_organisation):
    museum = make_organisation("museum")
    author = make_client(make_user(roles={museum: ["educator"]}))
    document = trail_document(station(extra=json.loads(KILOBYTE_OF_ARRAYS)))
    response = upload(author, museum, json.dumps(document).encode(), "x.geojson")
    assert (response.status_code, error_code(response)) == (400, "json_too_deep")
    assert db.session.scalar(select(func.count()).select_from(Trail)) == 0
