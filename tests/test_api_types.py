"""The PWA's API types are generated from the OpenAPI document (pwa/tools/api_types.py), which
says that a successful answer carries every field of its schema: both are checked here."""

import re

import jsonschema
import pytest

from openparcours.demo import load_demo
from openparcours.trails.schemas import (
    READER_TASK_FIELDS,
    SECRET_STATION_FIELDS,
    StationOutSchema,
    TaskOutSchema,
)
from pwa.tools.api_types import OUTPUT, write_types


def test_the_committed_api_types_are_generated_from_the_current_schemas(tmp_path):
    # Needs node (as the PWA's build does): without it this fails instead of passing unchecked.
    fresh = tmp_path / "api-types.ts"
    write_types(fresh)
    assert fresh.read_text() == OUTPUT.read_text(), "stale: run pwa/tools/api_types.py"


def test_the_document_marks_what_readers_of_a_trail_do_not_get():
    def marked(schema):
        return {name for name, f in schema().fields.items() if f.metadata.get("x-authors-only")}

    assert marked(StationOutSchema) == set(SECRET_STATION_FIELDS)
    assert set(TaskOutSchema().fields) - marked(TaskOutSchema) == set(READER_TASK_FIELDS)


class Conformance:
    """Checks answers against the document's schema of their operation and status."""

    def __init__(self, document: dict):
        self.document = document
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
            for path in document["paths"]
        ]
        self.checked: set[str] = set()

    def check(self, method: str, url: str, response) -> None:
        path = url.split("?")[0]
        template = next(t for pattern, t in self.templates if pattern.match(path))
        answers = self.document["paths"][template][method.lower()]["responses"]
        schema = answers[str(response.status_code)]["content"]["application/json"]["schema"]
        # The schema's references point into the document's components.
        root = {**schema, "components": self.document["components"]}
        jsonschema.Draft202012Validator(root).validate(response.json)
        self.checked.add(f"{method} {template}")


@pytest.fixture
def conformance(client):
    return Conformance(client.get("/api/v1/openapi.json").json)


def test_successful_answers_carry_every_field_of_their_schema(app, make_client, conformance):
    demo = load_demo()
    users = {user["role"]: user for user in demo["users"]}
    visit, trail = demo["visit"], demo["trails"][0]

    def client_of(role):
        client = make_client()
        user = users[role]
        login = {"email": user["email"], "password": user["password"]}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        return client

    def get(client, url):
        response = client.get("/api/v1" + url)
        assert response.status_code == 200, (url, response.json)
        conformance.check("GET", "/api/v1" + url, response)
        return response.json

    team = make_client()
    joined = team.post("/api/v1/play/join", json={"code": demo["join_code"], "team_name": "A"})
    conformance.check("POST", "/api/v1/play/join", joined)
    token = {"Authorization": f"Bearer {joined.json['token']}"}
    events = [
        {"id": f"00000000-0000-4000-8000-00000000000{n}", "at": "2026-11-22T09:00:00+00:00"}
        | {"type": "answer"}
        | event
        for n, event in enumerate([*demo["checkins"], *demo["answers"]])
    ]
    synced = team.post("/api/v1/play/sync", json={"events": events}, headers=token)
    conformance.check("POST", "/api/v1/play/sync", synced)
    bundle = team.get("/api/v1/play/bundle", headers=token)
    conformance.check("GET", "/api/v1/play/bundle", bundle)

    anonymous = make_client()
    for url in ["/settings", "/health", "/catalogue/trails", "/catalogue/filters"]:
        get(anonymous, url)
    teacher = client_of("teacher")
    for url in ["/me", "/visits", "/trails/offered", f"/visits/{visit['id']}"]:
        get(teacher, url)
    # A reader of a trail, who gets neither check-in codes nor solutions.
    for url in ["", f"/versions/{trail['version']}"]:
        get(teacher, f"/trails/{trail['id']}{url}")
    for url in ["/live", "/results"]:
        get(teacher, f"/visits/{visit['id']}{url}")
    team_id = joined.json["team"]["id"]
    get(teacher, f"/visits/{visit['id']}/teams/{team_id}/timeline")
    educator = client_of("educator")
    get(educator, "/trails")
    for url in ["", "/publish-check", "/statistics", "/preview", f"/versions/{trail['version']}"]:
        get(educator, f"/trails/{trail['id']}{url}")
    admin = client_of("museum_admin")
    museum = next(o for o in demo["organisations"] if o["kind"] == "museum")
    for url in ["", "/members", "/invites", "/offers"]:
        get(admin, f"/organisations/{museum['id']}{url}")
    partnership = demo["partnerships"][0]["id"]
    for url in ["/partnerships", f"/partnerships/{partnership}"]:
        get(admin, url)
    get(admin, f"/partnerships/{partnership}/report")
    get(client_of("network_office"), "/districts/Kreis%20Recklinghausen/overview")
    assert len(conformance.checked) == 28
