"""Benchmark: a district's coverage and its report pack (PDF and XLSX), for a district of 500
schools of the state's list (half of them in OpenParcours), 200 institutions with a published
trail each, an agreement for every school and 5 school years of visits.

Run:
    .venv/bin/python benchmarks/district_reports.py              # SQLite in a temporary folder
    .venv/bin/python benchmarks/district_reports.py --postgres   # local PostgreSQL, database
                                                                 # openparcours_bench (made afresh)

Prints the median of 5 requests through the app (site admin, session login), after a first one.
"""

import argparse
import random
import tempfile
from datetime import UTC, date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import insert

from benchmarks.results import POSTGRES, fresh_postgres, median_ms
from openparcours import create_app
from openparcours.accounts.service import create_user
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind, SchoolForm
from openparcours.partnerships.models import AgreementState, AgreementVersion, Partnership
from openparcours.partnerships.reports import current_school_year
from openparcours.registry.models import RegisteredSchool
from openparcours.trails.models import Trail, TrailVersion
from openparcours.visits.models import Visit

DISTRICT = "Kreis Benchmark"
SCHOOLS, INSTITUTIONS, YEARS, VISITS_PER_YEAR = 500, 200, 5, 2000


def fill(rng: random.Random) -> None:
    kinds = [k for k in OrganisationKind if k != OrganisationKind.school]
    forms = list(SchoolForm)
    db.session.execute(
        insert(RegisteredSchool),
        [
            {
                "schulnummer": f"{100000 + n}",
                "name": f"Schule {n}",
                "school_form_key": rng.choice(["02", "04", "10", "15", "20"]),
                "municipality": f"Stadt {n % 10}",
                "municipality_key": "05562000",
                "district": DISTRICT,
                "lat": 51.6,
                "lon": 7.2,
            }
            for n in range(SCHOOLS)
        ],
    )
    schools = [
        Organisation(
            name=f"Schule {n}",
            slug=f"schule-{n}",
            kind=OrganisationKind.school,
            school_form=rng.choice(forms),
            district=DISTRICT,
            schulnummer=f"{100000 + n}",
        )
        for n in range(0, SCHOOLS, 2)
    ]
    institutions = [
        Organisation(
            name=f"Einrichtung {n}",
            slug=f"einrichtung-{n}",
            kind=kinds[n % len(kinds)],
            district=DISTRICT,
        )
        for n in range(INSTITUTIONS)
    ]
    db.session.add_all(schools + institutions)
    db.session.flush()
    trails = [
        Trail(
            organisation=institution,
            title=f"Parcours {n}",
            subjects=[rng.choice(["Geschichte", "Deutsch", "Biologie", "Kunst"])],
            grades=rng.sample(range(1, 14), 3),
            language=rng.choice(["de", "de", "en"]),
        )
        for n, institution in enumerate(institutions)
    ]
    db.session.add_all(trails)
    db.session.flush()
    versions = [TrailVersion(trail=trail, number=1, content={}) for trail in trails]
    db.session.add_all(versions)
    this_year = current_school_year()
    for n, school in enumerate(schools):
        partnership = Partnership(school=school, institution=institutions[n % INSTITUTIONS])
        start = date(this_year - rng.randrange(YEARS), 8, 1) + timedelta(days=rng.randrange(300))
        db.session.add(
            AgreementVersion(
                partnership=partnership,
                number=1,
                state=AgreementState.signed,
                starts_on=start,
                ended_on=start + timedelta(days=900) if n % 3 == 0 else None,
                signed_at=datetime.combine(start, datetime.min.time(), UTC),
            )
        )
    db.session.flush()
    first = datetime(this_year - YEARS + 1, 8, 1, 9, tzinfo=UTC)
    rows = []
    for _ in range(YEARS * VISITS_PER_YEAR):
        n = rng.randrange(INSTITUTIONS)
        at = first + timedelta(days=rng.randrange(YEARS * 365), hours=rng.randrange(6))
        rows.append(
            {
                "trail_id": trails[n].id,
                "trail_version_id": versions[n].id,
                "school_id": schools[n % len(schools)].id,
                "class_label": "7b",
                "join_code": "BENCH1",
                "starts_at": at,
                "ends_at": at + timedelta(hours=3),
            }
        )
    db.session.execute(insert(Visit), rows)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    if args.postgres:
        fresh_postgres()
    database = POSTGRES if args.postgres else f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database,
            "MEDIA_DIR": f"{folder}/media",
            "JOB_CHECK_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
        fill(random.Random(7))
        create_user("bench@example.org", "Bench", "benchmark-password", is_site_admin=True)
        db.session.commit()
        year = current_school_year()
    client = app.test_client()
    login = {"email": "bench@example.org", "password": "benchmark-password"}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    base = "/api/v1/districts/Kreis%20Benchmark"
    for name, url in (
        ("coverage", f"{base}/coverage"),
        ("report pack PDF", f"{base}/report-pack.pdf?school_year={year}"),
        ("report pack XLSX", f"{base}/report-pack.xlsx?school_year={year}"),
    ):
        print(f"{name}: {median_ms(lambda url=url: client.get(url)):.0f} ms")


if __name__ == "__main__":
    main()
