"""OpenParcours: location-based learning trails for school–institution partnerships."""

import os
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from werkzeug.middleware.proxy_fix import ProxyFix

from openparcours import config as settings
from openparcours.database import answer_unique_violation
from openparcours.extensions import api, db, failure_limiter, migrate
from openparcours.fields import MAX_ID, IdConverter

MIGRATIONS = Path(__file__).parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # Without busy_timeout SQLite drops concurrent writes; WAL lets readers and a writer overlap.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder=None,
        instance_path=os.environ.get("INSTANCE_PATH", str(settings.PROJECT_ROOT / "instance")),
    )
    app.config.update(settings.FIXED)
    app.config.update(
        settings.from_environment(
            Path(app.instance_path), need_secret_key=not (config and "SECRET_KEY" in config)
        )
    )
    app.config.update(config or {})
    app.config["SESSION_COOKIE_SECURE"] = app.config["PUBLIC_URL"].startswith("https://")
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        # Flask's way to add WSGI middleware, though it types wsgi_app as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n
        )

    # Before any route: every <int:…> is a database id, larger numbers match no route.
    app.url_map.converters["int"] = IdConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    failure_limiter.init_app(app)
    api.init_app(app)
    api.register_converter(
        IdConverter, lambda _: {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    )

    from openparcours.accounts import service as accounts
    from openparcours.accounts.api import blp as accounts_blp
    from openparcours.accounts.cli import users_cli
    from openparcours.catalogue.api import blp as catalogue_blp
    from openparcours.core import schedule, security
    from openparcours.core.api import blp as system_blp
    from openparcours.core.backup import backup_cli
    from openparcours.core.web import ClientPath, web
    from openparcours.curriculum.api import blp as curriculum_blp
    from openparcours.demo import demo_command
    from openparcours.forum.api import blp as forum_blp
    from openparcours.mail.api import blp as mail_blp
    from openparcours.mail.cli import mail_cli
    from openparcours.media.api import blp as media_blp
    from openparcours.media.api import files as media_files
    from openparcours.media.cli import media_cli
    from openparcours.notifications.api import blp as notifications_blp
    from openparcours.organisations.api import blp as organisations_blp
    from openparcours.partnerships.api import blp as partnerships_blp
    from openparcours.planning.api import blp as planning_blp
    from openparcours.play.api import blp as play_blp
    from openparcours.practice.api import blp as practice_blp
    from openparcours.registry.api import blp as registry_blp
    from openparcours.registry.cli import registry_cli
    from openparcours.trails.api import blp as trails_blp
    from openparcours.trails.cli import trails_cli
    from openparcours.visits.api import blp as visits_blp
    from openparcours.visits.cli import retention_cli

    for blueprint in (
        system_blp,
        accounts_blp,
        organisations_blp,
        partnerships_blp,
        forum_blp,
        trails_blp,
        catalogue_blp,
        media_blp,
        visits_blp,
        play_blp,
        mail_blp,
        notifications_blp,
        registry_blp,
        curriculum_blp,
        planning_blp,
        practice_blp,
    ):
        api.register_blueprint(blueprint)
    app.register_blueprint(media_files)
    app.url_map.converters["client_path"] = ClientPath
    app.register_blueprint(web)
    app.before_request(accounts.check_csrf)
    app.register_error_handler(IntegrityError, answer_unique_violation)
    security.init_app(app)
    schedule.init_app(app)
    app.cli.add_command(users_cli)
    app.cli.add_command(trails_cli)
    app.cli.add_command(registry_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(demo_command)
    return app
