"""`flask backup create|restore`: the database and the media files in one folder.

SQLite is copied with its online backup API (consistent while the app runs); PostgreSQL with
`pg_dump --format=custom` and restored with `pg_restore --clean`. Media files (from the folder
or the bucket) are named by their content: each is copied and checked against its name, and
restoring adds back what is missing. Restore while the app is stopped.
"""

import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from openparcours.extensions import db
from openparcours.media.cli import report
from openparcours.media.service import storage
from openparcours.media.storage import LocalStorage, Transfer, copy_all

backup_cli = AppGroup("backup", help="Back up and restore the database and the media files.")

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


def _database():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq(url) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_backup(folder: Path) -> Transfer:
    folder.mkdir(parents=True, exist_ok=False)
    url = _database()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(folder / SQLITE_FILE)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={folder / POSTGRES_FILE}",
                _libpq(url),
            ],
            check=True,
        )
    (folder / "media").mkdir()
    return copy_all(storage(), LocalStorage(folder / "media"))


def restore_backup(folder: Path) -> Transfer:
    url = _database()
    db.session.remove()
    db.engine.dispose()  # no connection may hold the old database
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(folder / SQLITE_FILE)
        target = sqlite3.connect(url.database)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq(url)}",
                str(folder / POSTGRES_FILE),
            ],
            check=True,
        )
    return copy_all(LocalStorage(folder / "media"), storage())


@backup_cli.command("create")
@click.argument("folder", type=click.Path(path_type=Path))
def create_command(folder: Path) -> None:
    """Write the database and the media files into FOLDER (a new folder)."""
    transfer = create_backup(folder)
    click.echo(f"Backed up to {folder}")
    report(transfer)


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the database and add the media files from FOLDER?")
def restore_command(folder: Path) -> None:
    """Replace the database with FOLDER's and copy its media files back (app stopped)."""
    transfer = restore_backup(folder)
    click.echo(f"Restored from {folder}")
    report(transfer)
