"""`flask demo` loads the demo organisations, partnership and a login per role, only into a
database of its own."""

import json

from sqlalchemy import func, select

from openparcours import create_app
from openparcours.accounts.models import User
from openparcours.config import config_for_tests
from openparcours.extensions import db
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import Partnership
from openparcours.trails.models import TrailVersion
from tests.factories import Phone


def run_demo(app) -> dict:
    result = app.test_cli_runner().invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_demo_json_describes_working_logins(app, make_client):
    demo = run_demo(app)
    assert demo["base_url"] == "http://127.0.0.1:5000"
    roles = {user["role"] for user in demo["users"]}
    assert roles == {
        "museum_admin",
        "educator",
        "school_admin",
        "teacher",
        "network_office",
        "site_admin",
    }
    for user in demo["users"]:
        browser = make_client()
        response = browser.post(
            "/api/v1/auth/login", json={"email": user["email"], "password": user["password"]}
        )
        assert response.status_code == 200, user
        names = {m["organisation"]["name"] for m in response.json["memberships"]}
        assert names == ({user["organisation"]} if user["organisation"] else set())


def test_demo_is_idempotent(app):
    first = run_demo(app)
    second = run_demo(app)
    assert first == second
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2
    assert db.session.scalar(select(func.count()).select_from(Partnership)) == 1
    assert db.session.scalar(select(func.count()).select_from(TrailVersion)) == 2


def test_demo_publishes_the_sample_trails(app, make_client):
    demo = run_demo(app)
    assert {t["title"] for t in demo["trails"]} == {
        "Zeche und Stadt – Leben im Ruhrgebiet um 1900",
        "Unterwegs in der Altstadt Recklinghausen",
    }
    teacher = next(u for u in demo["users"] if u["role"] == "teacher")
    browser = make_client()
    browser.post(
        "/api/v1/auth/login", json={"email": teacher["email"], "password": teacher["password"]}
    )
    for trail in demo["trails"]:
        version = browser.get(f"/api/v1/trails/{trail['id']}/versions/{trail['version']}")
        assert version.status_code == 200
        assert len(version.json["content"]["stations"]) == trail["stations"]


def test_demo_prints_logins_for_people(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert "educator@demo.openparcours.de" in result.output


def test_demo_has_an_open_visit_and_right_answers(app, make_client):
    demo = run_demo(app)
    assert run_demo(app)["join_code"] == demo["join_code"]  # the same visit, reused
    phone = Phone(make_client(), demo["join_code"], "A")
    events = [
        {
            "id": f"00000000-0000-4000-8000-00000000000{n}",
            "type": "answer",
            "at": "2026-11-22T09:00:00+00:00",
            **a,
        }
        for n, a in enumerate([*demo["checkins"], *demo["answers"]])
    ]
    body = phone.send(*events)
    assert len(body["acked"]) == len(demo["answers"]) + len(demo["checkins"])
    assert len(demo["answers"]) == 4
    assert all(r["correct"] for r in body["results"])
    assert body["score"] > 0


def demo_accounts() -> list[str]:
    return list(db.session.scalars(select(User.email).where(User.email.like("%@demo.%"))))


def test_a_production_setup_has_no_demo_account(tmp_path):
    """What docs/operations.md does: `db upgrade` and `users create-admin`, no `make run`."""
    app = create_app(config_for_tests(tmp_path, f"sqlite:///{tmp_path / 'real.sqlite3'}"))
    cli = app.test_cli_runner()
    with app.app_context():
        assert cli.invoke(args=["db", "upgrade"]).exit_code == 0
        admin = ["users", "create-admin", "--email", "ops@example.org", "--name", "Ops"]
        result = cli.invoke(args=[*admin, "--password", "a long admin passphrase"])
        assert result.exit_code == 0, result.output
        assert list(db.session.scalars(select(User.email))) == ["ops@example.org"]
        assert app.test_client().get("/api/v1/settings").json["demo"] is False
        refused = cli.invoke(args=["demo"])
        assert refused.exit_code != 0
        assert "did not create" in refused.output
        assert demo_accounts() == []
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
        db.engine.dispose()


def test_the_demo_refuses_a_database_with_real_organisations(app, make_organisation):
    make_organisation("school", name="Echte Schule")
    result = app.test_cli_runner().invoke(args=["demo", "--json"])
    assert result.exit_code != 0
    assert demo_accounts() == []


def test_settings_say_whether_the_database_is_a_demo(app, client):
    assert client.get("/api/v1/settings").json["demo"] is False
    run_demo(app)
    assert client.get("/api/v1/settings").json["demo"] is True
    run_demo(app)  # the demo's own database: it runs again
    assert len(demo_accounts()) == 6
