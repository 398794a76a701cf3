"""Benchmark: importing a 200-station trail and printing a 50-page QR poster PDF.

Run: .venv/bin/python benchmarks/trails.py  (SQLite in a temporary folder; prints medians)
"""

import json
import statistics
import tempfile
import time

from flask_migrate import upgrade

from openparcours import create_app
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind
from openparcours.trails import posters
from openparcours.trails.format import exporting, importing
from openparcours.trails.format.package import TrailPackage

ROUNDS = 5


def big_trail(stations: int) -> dict:
    task = {
        "type": "single_choice",
        "prompt": "Welche Antwort stimmt?",
        "points": 10,
        "definition": {
            "options": [{"id": "a", "text": "diese"}, {"id": "b", "text": "jene"}],
            "correct": "a",
        },
    }
    return {
        "type": "FeatureCollection",
        "openparcours": 1,
        "trail": {"title": f"Großer Parcours mit {stations} Stationen"},
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7.1 + n / 10000, 51.6 + n / 10000]},
                "properties": {
                    "title": f"Station {n + 1}",
                    "content": "Ein **kurzer** Text.",
                    "checkin": "gps_qr",
                    "radius_m": 30,
                    "tasks": [task, task],
                },
            }
            for n in range(stations)
        ],
    }


def median_seconds(run) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "MEDIA_DIR": f"{folder}/media",
                "SQLALCHEMY_DATABASE_URI": database,
            }
        )
        with app.app_context():
            upgrade()
            museum = Organisation(name="Bench", slug="bench", kind=OrganisationKind.museum)
            db.session.add(museum)
            db.session.commit()
            document = big_trail(200)
            trails = []

            def import_once():
                package = TrailPackage(json.loads(exporting.dumps(document)))
                trails.append(importing.import_trail(package, museum, None))

            seconds = median_seconds(import_once)
            print(
                f"import of a 200-station trail (400 tasks): median {seconds * 1000:.0f} ms "
                f"over {ROUNDS} rounds"
            )
            trail = trails[0]
            trail.stations[:] = trail.stations[:50]
            pdf = {}

            def print_once():
                pdf["bytes"] = posters.posters_pdf(trail, "pages")

            seconds = median_seconds(print_once)
            print(
                f"50-page poster PDF: median {seconds * 1000:.0f} ms over {ROUNDS} rounds, "
                f"{len(pdf['bytes']) / 1024:.0f} KB"
            )
            db.session.rollback()
            db.engine.dispose()


if __name__ == "__main__":
    main()
