"""Fixtures: an app per test on a clean database (SQLite, and PostgreSQL when configured),
factories that store the domain's objects, an API client that logs in like the PWA, a query
counter. Builders that need no database are in tests/factories.py."""

import os
from contextlib import contextmanager
from itertools import count

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from openparcours import create_app
from openparcours.accounts import service as accounts
from openparcours.config import config_for_tests
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.organisations.models import Organisation, OrganisationKind, Role, SchoolForm
from openparcours.organisations.service import add_member
from tests.factories import PASSWORD, from_address, single_choice_task
from tests.s3_server import S3Server, s3_env

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to the current schema, once per backend and session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
    app = create_app(config_for_tests(tmp_path_factory.mktemp("instance"), url))
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(config_for_tests(tmp_path, database_url))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS's S3, started once for the session when a test first asks for it."""
    server = S3Server(tmp_path_factory.mktemp("s3"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def media_storage(request, app, monkeypatch):
    """The app's media storage: the folder MEDIA_DIR, or a fresh bucket of the S3 server."""
    if request.param == "s3":
        server = request.getfixturevalue("s3_server")
        for name, value in s3_env(server, server.new_bucket()).items():
            monkeypatch.setenv(name, value)
        app.config["MEDIA_URL"] = os.environ["MEDIA_URL"]
    return media_service.storage()


class ApiClient:
    """The test client as the PWA uses it: JSON, session cookie and the CSRF header."""

    def __init__(self, flask_client):
        self.http = flask_client
        self.csrf_token: str | None = None

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.csrf_token and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf_token)
        response = self.http.open(path, method=method, json=json, headers=headers, **kwargs)
        response.get_data()  # buffer the body, so that file responses can be closed at once
        response.close()
        if response.is_json and response.data and "csrf_token" in (response.json or {}):
            self.csrf_token = response.json["csrf_token"]
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def attempt_login(self, user, password: str = PASSWORD, address: str | None = None):
        """A login from `address` (the test client's own by default), whatever it answers."""
        body = {"email": user.email, "password": password}
        return self.post("/api/v1/auth/login", body, **from_address(address))

    def login(self, user, password: str = PASSWORD):
        response = self.attempt_login(user, password)
        assert response.status_code == 200, response.json
        return self


@pytest.fixture
def client(app):
    return ApiClient(app.test_client())


@pytest.fixture
def make_client(app):
    """More browsers: `make_client(user)` is a new client logged in as `user`."""

    def make(user=None):
        api = ApiClient(app.test_client())
        return api.login(user) if user is not None else api

    return make


_sequence = count(1)


@pytest.fixture
def make_organisation(app):
    def make(kind: str = "museum", **fields) -> Organisation:
        n = next(_sequence)
        kind = OrganisationKind(kind)
        defaults = dict(
            name=f"{'Schule' if kind == OrganisationKind.school else 'Museum'} {n}",
            slug=f"organisation-{n}",
            kind=kind,
            school_form=SchoolForm.gymnasium if kind == OrganisationKind.school else None,
            municipality="Bochum",
            district="Bochum",
        )
        organisation = Organisation(**(defaults | fields))
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_user(app):
    """`make_user(roles={org: ["admin"]}, site_admin=False, district=None)`."""

    def make(
        email: str | None = None,
        *,
        roles: dict | None = None,
        site_admin=False,
        district: str | None = None,
        password: str = PASSWORD,
        name: str | None = None,
    ):
        n = next(_sequence)
        user = accounts.create_user(
            email or f"user{n}@example.org",
            name or f"Person {n}",
            password,
            is_site_admin=site_admin,
            network_office_district=district,
        )
        for organisation, role_names in (roles or {}).items():
            add_member(organisation, user, [Role(r) for r in role_names])
        db.session.commit()
        return user

    return make


@pytest.fixture
def count_queries(app):
    """`with count_queries() as queries: ...` then `len(queries)` is the number of statements."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def make_registered_school(app):
    """`make_registered_school(district="Bochum", **fields)`: a school of the state's list."""
    from openparcours.registry.models import RegisteredSchool

    def make(district: str = "Bochum", **fields):
        n = next(_sequence)
        defaults = dict(
            schulnummer=f"{100000 + n}",
            name=f"Registrierte Schule {n}",
            school_form_key="20",
            municipality=district,
            municipality_key="05911000",
            district=district,
            lat=51.48,
            lon=7.22,
        )
        school = RegisteredSchool(**(defaults | fields))
        db.session.add(school)
        db.session.commit()
        return school

    return make


@pytest.fixture
def make_trail(app, make_organisation):
    """`make_trail(organisation, stations=2, published=False, checkin="qr", tasks=None,
    **fields)`: stations each with these tasks (default: one complete single-choice task);
    `published` adds version 1."""
    from openparcours.tasks.registry import validate_task
    from openparcours.trails.models import (
        Checkin,
        Station,
        Task,
        Trail,
        TrailOrder,
        TrailVersion,
        Visibility,
    )
    from openparcours.trails.publishing import snapshot
    from openparcours.trails.service import new_station_code

    def make(
        organisation=None,
        *,
        stations: int = 1,
        published: bool = False,
        checkin: str = "qr",
        tasks: list[dict] | None = None,
        **fields,
    ):
        trail = Trail(
            organisation=organisation or make_organisation("museum"),
            title=fields.pop("title", "Unter Tage"),
            order=TrailOrder(fields.pop("order", "fixed")),
            visibility=Visibility(fields.pop("visibility", "partners")),
            **fields,
        )
        for position in range(stations):
            station = Station(
                position=position,
                title=f"Station {position + 1}",
                code=new_station_code(),
                checkin=Checkin(checkin),
            )
            station.tasks = [
                Task(position=n, **validate_task(task))
                for n, task in enumerate(tasks or [single_choice_task()])
            ]
            trail.stations.append(station)
        db.session.add(trail)
        db.session.flush()
        if published:
            db.session.add(TrailVersion(trail=trail, number=1, content=snapshot(trail)))
        db.session.commit()
        return trail

    return make


@pytest.fixture
def make_partnership(app):
    """`make_partnership(school, institution, trails=(), signed=True, **content)`: a
    partnership whose agreement (version 1, started a year ago, open-ended) is signed by both
    sides and in force, offering `trails`, with these sections (e.g. `contacts_school`);
    `signed=False` leaves it a draft."""
    from datetime import timedelta

    from openparcours.database import utcnow
    from openparcours.partnerships.models import (
        AgreementState,
        AgreementVersion,
        Signature,
        offer_of,
    )
    from openparcours.partnerships.service import empty_content, find_or_create_partnership

    def make(school, institution, *, trails=(), signed: bool = True, **content):
        partnership = find_or_create_partnership(school, institution)
        now = utcnow()
        version = AgreementVersion(
            partnership=partnership,
            number=1,
            content=empty_content() | {"goals": "Lernen"} | content,
            starts_on=(now - timedelta(days=365)).date(),
            trails=list(trails),
        )
        if signed:
            # As proposing does: what is signed keeps the offers as they read then.
            version.offers = [offer_of(trail) for trail in trails]
            version.state, version.proposed_at, version.signed_at = (
                AgreementState.signed,
                now,
                now,
            )
            version.signatures = [
                Signature(
                    organisation_id=side.id, signer_name="Unterschrift", signer_role="Leitung"
                )
                for side in (school, institution)
            ]
        db.session.add(version)
        db.session.commit()
        return partnership

    return make


@pytest.fixture
def make_visit(app, make_trail):
    """`make_visit(trail=None, starts=-1h, ends=+2h, **settings)`: an open visit of version 1."""
    from datetime import timedelta

    from openparcours.database import utcnow
    from openparcours.visits.models import Visit
    from openparcours.visits.service import new_join_code

    def make(trail=None, *, starts=timedelta(hours=-1), ends=timedelta(hours=2), **settings):
        trail = trail or make_trail(stations=2, published=True)
        now = utcnow()
        visit = Visit(
            trail=trail,
            version=trail.latest_version,
            class_label=settings.pop("class_label", "7b"),
            join_code=new_join_code(now),
            starts_at=now + starts,
            ends_at=now + ends,
            **settings,
        )
        db.session.add(visit)
        db.session.commit()
        return visit

    return make


@pytest.fixture(scope="session")
def mail_certificate(tmp_path_factory):
    from tests.mail_server import make_certificate

    return make_certificate(tmp_path_factory.mktemp("smtp"))


@pytest.fixture
def smtp_server(app, mail_certificate, monkeypatch):
    """A real SMTP server with STARTTLS and a login, the app's MAIL_URL pointing at it, and its
    certificate trusted as a private certificate authority would be (SSL_CERT_FILE)."""
    from tests.mail_server import MailServer

    server = MailServer(*mail_certificate)
    server.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(mail_certificate[0]))
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url():
    """The test Redis (its database 15); the tests that need it skip without one, except in CI."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()
    return REDIS_URL
