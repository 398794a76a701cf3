"""The app factory, configuration, health, the error shape and the OpenAPI document."""

from pathlib import Path

import pytest
from openapi_spec_validator import validate

from openparcours import create_app
from openparcours.config import from_environment
from tests.helpers import error_code, field_errors


def test_defaults_run_the_embedded_setup(tmp_path):
    config = from_environment(tmp_path, env={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'openparcours.sqlite3'}"
    assert config["MEDIA_DIR"] == str(tmp_path / "media")
    assert config["MEDIA_URL"] is None
    assert config["RATELIMIT_STORAGE_URI"] == f"sqlite:///{tmp_path / 'ratelimits.sqlite3'}"
    assert config["PUBLIC_URL"] == "http://127.0.0.1:5000"


@pytest.mark.parametrize("url", ["/srv/media", "s3://", "https://s3.example.org/bucket"])
def test_a_media_url_that_names_no_bucket_is_refused_at_start(tmp_path, url):
    with pytest.raises(ValueError, match="not an s3://bucket/prefix URL"):
        from_environment(tmp_path, env={"MEDIA_URL": url})


def test_environment_overrides_defaults(tmp_path):
    env = {
        "DATABASE_URL": "postgresql+psycopg://db/op",
        "MEDIA_DIR": "/srv/media",
        "MEDIA_URL": "s3://openparcours-media/media",
        "PORT": "8080",
        "RATELIMIT_STORAGE_URI": "redis://cache:6379",
        "SECRET_KEY": "k" * 40,
        "PUBLIC_URL": "https://parcours.example.org/",
    }
    config = from_environment(tmp_path, env=env)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/op"
    assert config["MEDIA_DIR"] == "/srv/media"
    assert config["MEDIA_URL"] == "s3://openparcours-media/media"
    assert config["PORT"] == 8080
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert config["SECRET_KEY"] == "k" * 40
    assert config["PUBLIC_URL"] == "https://parcours.example.org"
    assert from_environment(tmp_path, env={"PORT": "8080"})["PUBLIC_URL"] == "http://127.0.0.1:8080"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = from_environment(tmp_path, env={})["SECRET_KEY"]
    assert len(first) == 64
    assert from_environment(tmp_path, env={})["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_health_checks_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_settings_give_the_live_boards_pace_from_the_configuration(app, client):
    assert client.get("/api/v1/settings").json["live_board_poll_seconds"] == 10
    app.config["LIVE_BOARD_POLL_SECONDS"] = 2
    assert client.get("/api/v1/settings").json["live_board_poll_seconds"] == 2


def test_health_is_503_json_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        }
    )
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert error_code(response) == "database_unavailable"


def test_api_is_503_json_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        }
    )
    response = app.test_client().post(
        "/api/v1/auth/login", json={"email": "a@example.org", "password": "whatever"}
    )
    assert response.status_code == 503
    assert error_code(response) == "database_unavailable"


def test_openapi_document_is_valid_openapi_3(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert {
        "/api/v1/health",
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/organisations/{organisation_id}/invites",
    } <= set(spec["paths"])


def test_every_operation_documents_its_errors_in_one_shape(client):
    spec = client.get("/api/v1/openapi.json").json
    error_schema = spec["components"]["schemas"]["Error"]
    assert set(error_schema["required"]) == {"code", "message"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert "default" in operation["responses"], f"{method.upper()} {path}"


def test_api_docs_page_uses_only_local_assets(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http" not in html.replace('href="/', "").replace('src="/', "")
    assert "<script>" not in html  # no inline script under the strict CSP
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "init.js"):
        response = client.get(f"/api/v1/docs/{asset}")
        assert response.status_code == 200, asset
        response.close()
    assert client.get("/api/v1/docs/../../secret_key").status_code == 404


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_api_paths_are_404_json(client, method):
    response = client.request(method, "/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_wrong_method_is_405_json_with_allow(client):
    response = client.delete("/api/v1/health")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}


def test_malformed_json_is_400_and_names_the_problem(client):
    response = client.post(
        "/api/v1/auth/login", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_wrong_types_and_unknown_fields_are_422_naming_the_fields(client):
    response = client.post(
        "/api/v1/auth/login", json={"email": 5, "password": "x", "remember": True}
    )
    assert response.status_code == 422
    assert error_code(response) == "validation_error"
    assert field_errors(response) == {"email", "remember"}


def test_oversized_body_is_413_json(client):
    response = client.post(
        "/api/v1/auth/login", json={"email": "a@example.org", "password": "x" * (2 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_unexpected_errors_are_500_json_without_details(app, client):
    @app.get("/api/v1/test-boom")
    def boom():
        raise RuntimeError("secret internals")

    app.testing = False  # let the error handler answer, as in production
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert error_code(response) == "internal_error"
    assert "secret" not in response.get_data(as_text=True)


def test_security_headers_and_strict_csp(client):
    response = client.get("/api/v1/health")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "https://tile.openstreetmap.org" in csp  # map tiles: the one remote origin
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_csp_names_the_configured_tile_server(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        }
    )
    csp = app.test_client().get("/api/v1/docs").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in csp


def test_migrations_are_packaged_with_the_server():
    migrations = Path(__file__).parent.parent / "openparcours" / "migrations"
    assert any((migrations / "versions").glob("*.py"))


def test_nul_characters_and_huge_ids_are_refused(make_client, make_user, make_organisation):
    from openparcours.extensions import db
    from openparcours.organisations.models import Organisation

    museum = make_organisation("museum")
    admin = make_client(make_user(roles={museum: ["admin"]}))
    before = db.session.get(Organisation, museum.id).description
    response = admin.patch(f"/api/v1/organisations/{museum.id}", {"description": "a\x00b"})
    assert (response.status_code, response.json["code"]) == (422, "nul_character")
    db.session.expire_all()
    assert db.session.get(Organisation, museum.id).description == before
    assert admin.get("/api/v1/organisations?district=Bo%00chum").status_code == 422
    huge = admin.get("/api/v1/visits/99999999999")
    assert (huge.status_code, huge.json["code"]) == (404, "not_found")
    body = {"organisation_id": 2**40, "title": "Zu groß"}
    assert admin.post("/api/v1/trails", body).status_code == 422
    assert admin.get("/api/v1/trails?organisation_id=99999999999").status_code == 422
