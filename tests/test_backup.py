"""`flask backup create` and `restore` bring back the database and the media files, on SQLite
and on PostgreSQL, from the folder or the bucket."""

from sqlalchemy import func, select

from openparcours.core.backup import create_backup, restore_backup
from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.storage import LocalStorage
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit
from tests.factories import png
from tests.helpers import damage


def test_a_backup_restores_what_was_lost(
    media_storage, tmp_path, make_trail, make_visit, make_organisation
):
    museum = make_organisation("museum")
    trail = make_trail(museum, stations=2, published=True, title="Gesichert")
    make_visit(trail, class_label="8c")
    photo = media_service.store_media(png((10, 120, 60), (64, 48)), None, None)
    db.session.commit()
    original = media_storage.read(photo.file)
    backup = tmp_path / "backup"

    create_backup(backup)
    db.session.delete(db.session.get(Trail, trail.id))  # the visit goes with it
    db.session.commit()
    media_storage.delete(photo.file)
    assert db.session.scalar(select(func.count()).select_from(Trail)) == 0

    restore_backup(backup)
    assert db.session.scalar(select(Trail.title)) == "Gesichert"
    assert db.session.scalar(select(Visit.class_label)) == "8c"
    assert media_storage.read(photo.file) == original


def test_the_commands(app, media_storage, tmp_path):
    media_service.store_media(png((10, 120, 60), (64, 48)), None, None)
    runner = app.test_cli_runner()
    created = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output
    assert "Media files: 1 copied" in created.output
    restored = runner.invoke(args=["backup", "restore", "--yes", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert "Media files: 0 copied, 1 already there" in restored.output
    taken = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert taken.exit_code != 0  # never over an earlier backup


def test_a_damaged_file_is_named_and_left_out(app, media_storage, tmp_path):
    kept = media_service.store_media(png((10, 120, 60), (64, 48)), None, None).file
    damaged = LocalStorage(tmp_path / "elsewhere").put(b"rotting", "pdf")
    damage(media_storage, damaged, b"rotted")
    created = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 1
    assert f"Damaged, not copied (their bytes no longer match their name): {damaged}" in (
        created.output
    )
    assert list(LocalStorage(tmp_path / "b" / "media").names()) == [kept]
