"""The migrations build exactly the schema the models describe, on every backend."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from openparcours.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("WAL, foreign keys and the busy timeout are SQLite's settings")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000


def test_downgrading_and_upgrading_again_keeps_every_row(tmp_path):
    """SQLite rebuilds a table to change it (copy, drop, rename): with foreign keys on, the
    drop would delete or empty every row that refers to it (agreements' trails, covers)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from openparcours import create_app
    from openparcours.config import config_for_tests
    from openparcours.demo import load_demo

    app = create_app(config_for_tests(tmp_path, f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"))
    with app.app_context():
        upgrade()
        load_demo()

        def rows() -> dict:
            with db.engine.connect() as connection:
                counts = {
                    table.name: connection.execute(
                        text(f'SELECT count(*) FROM "{table.name}"')
                    ).scalar()
                    for table in db.metadata.sorted_tables
                }
                counts["covers"] = connection.execute(
                    text("SELECT count(cover_media_id) FROM trails")
                ).scalar()
            return counts

        before = rows()
        assert before["covers"] == 2
        assert before["agreement_trails"] == 1
        downgrade(revision="2396f95175a8")  # before team photos and agreement offers
        # Tables made after that revision go with the downgrade, and their rows with them.
        with db.engine.connect() as connection:
            kept = set(inspect(connection).get_table_names()) | {"covers"}
        upgrade()

        def of_kept_tables(counts: dict) -> dict:
            return {name: n for name, n in counts.items() if name in kept}

        assert of_kept_tables(rows()) == of_kept_tables(before)
        with db.engine.connect() as connection:  # what was signed keeps its offers
            offers = connection.execute(text("SELECT offers FROM agreement_versions")).scalar()
        assert "Zeche und Stadt" in offers
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        db.engine.dispose()


def test_teams_playing_keep_their_score_and_count_of_events(tmp_path):
    """Score and count of events moved onto the team row: the migration fills them in."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from openparcours import create_app
    from openparcours.config import config_for_tests
    from openparcours.demo import load_demo

    app = create_app(config_for_tests(tmp_path, f"sqlite:///{tmp_path / 'score.sqlite3'}"))
    with app.app_context():
        # The demo as the models are now, then back to before the team row kept them.
        upgrade()
        visit_id = load_demo()["visit"]["id"]
        db.session.remove()
        downgrade(revision="7aa7d930d9d7")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM events")
            connection.exec_driver_sql("DELETE FROM teams")
            for team_id, points in ((1, [3, 4]), (2, [])):
                connection.execute(
                    text(
                        "INSERT INTO teams (id, visit_id, name, name_key, players, token_hash, "
                        "created_at) VALUES (:id, :visit, :name, :name, 1, :name, '2026-12-07')"
                    ),
                    {"id": team_id, "visit": visit_id, "name": f"team {team_id}"},
                )
                for n, p in enumerate(points):
                    connection.execute(
                        text(
                            "INSERT INTO events (event_id, visit_id, team_id, type, station_id, "
                            "client_at, received_at, credit, points) VALUES (:event, :visit, "
                            ":team, 'answer', 1, '2026-12-07', '2026-12-07', 1, :points)"
                        ),
                        {"event": f"e{n}", "visit": visit_id, "team": team_id, "points": p},
                    )
        upgrade()
        with db.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT id, score, event_count FROM teams ORDER BY id")
            ).all()
        assert [tuple(row) for row in kept] == [(1, 7, 2), (2, 0, 0)]
        db.engine.dispose()
