"""`flask demo`: a demo museum, school, partnership and one login per role (idempotent), in
a database of its own: it marks the database as a demo and refuses one with real data."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Mapped, mapped_column

from openparcours import registry
from openparcours.accounts import service as accounts
from openparcours.accounts.models import User
from openparcours.config import PROJECT_ROOT
from openparcours.database import UTCDateTime, local_today, utcnow
from openparcours.extensions import Model, db
from openparcours.organisations import service as organisations
from openparcours.organisations.models import Organisation, OrganisationKind, Role, SchoolForm
from openparcours.partnerships import service as partnerships
from openparcours.partnerships.models import Partnership
from openparcours.registry.service import import_school_list
from openparcours.tasks import registry as tasks
from openparcours.trails import publishing
from openparcours.trails.format import importing, reading
from openparcours.trails.models import Trail
from openparcours.visits import service as visits
from openparcours.visits.models import Visit

DISTRICT = "Kreis Recklinghausen"
SAMPLE_TRAILS = PROJECT_ROOT / "trails"
# A made-up school list in the state's real format: the demo school and a few neighbours.
SCHOOL_LIST = Path(registry.__file__).parent / "data" / "schuldaten_demo.csv"

ORGANISATIONS = {
    "museum": dict(
        name="Stadtmuseum Beispielstadt (Demo)",
        slug="stadtmuseum-beispielstadt",
        kind=OrganisationKind.museum,
        street="Am Markt 1",
        postcode="45657",
        municipality="Recklinghausen",
        district=DISTRICT,
        lat=51.6141,
        lon=7.1979,
        description="Das Stadtmuseum erzählt die Geschichte von Zeche, Stadt und Menschen. "
        "Schulklassen erkunden es mit Parcours auf dem Handy.",
        website="https://museum.example.org",
        opening_hours="Di–Fr 10–17 Uhr\nSa, So und feiertags 11–18 Uhr",
        contacts=[
            {
                "name": "Emil Vermittler",
                "role": "Museumspädagogik",
                "email": "educator@demo.openparcours.de",
                "phone": None,
            }
        ],
    ),
    "school": dict(
        name="Gesamtschule am Stadtgarten (Demo)",
        slug="gesamtschule-am-stadtgarten",
        kind=OrganisationKind.school,
        school_form=SchoolForm.gesamtschule,
        street="Stadtgarten 5",
        postcode="45657",
        municipality="Recklinghausen",
        district=DISTRICT,
        lat=51.6105,
        lon=7.2050,
        schulnummer="165432",  # its entry in SCHOOL_LIST
    ),
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: str
    organisation: str | None = None  # key of ORGANISATIONS
    roles: tuple[Role, ...] = ()
    site_admin: bool = False
    district: str | None = None

    @property
    def password(self) -> str:
        return f"demo-{self.role.replace('_', '-')}-2026"


USERS = [
    DemoUser(
        "museum-admin@demo.openparcours.de",
        "Miriam Museumsleitung",
        "museum_admin",
        "museum",
        (Role.admin, Role.educator),
    ),
    DemoUser(
        "educator@demo.openparcours.de", "Emil Vermittler", "educator", "museum", (Role.educator,)
    ),
    DemoUser(
        "school-admin@demo.openparcours.de",
        "Sabine Schulleitung",
        "school_admin",
        "school",
        (Role.admin, Role.teacher),
    ),
    DemoUser("teacher@demo.openparcours.de", "Tarek Lehrer", "teacher", "school", (Role.teacher,)),
    DemoUser(
        "network-office@demo.openparcours.de",
        "Nora Bildungsbüro",
        "network_office",
        district=DISTRICT,
    ),
    DemoUser("site-admin@demo.openparcours.de", "Sami Betrieb", "site_admin", site_admin=True),
]


class DemoDatabase(Model):
    """Its one row says that `flask demo` created this database: the demo's logins, with
    passwords anyone can read, exist only here, and the app shows a "Demo" banner."""

    __tablename__ = "demo_database"

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RealDatabase(Exception):
    """The database holds accounts or organisations that the demo did not create."""


def is_demo_database() -> bool:
    return db.session.execute(select(exists(select(DemoDatabase.id)))).scalar_one()


def _claim_database() -> None:
    """Mark an empty database as the demo's; refuse one that holds real accounts."""
    if is_demo_database():
        return
    if db.session.scalar(select(exists(select(User.id)) | exists(select(Organisation.id)))):
        raise RealDatabase(
            "This database holds accounts or organisations that the demo did not create: the "
            "demo's logins (their passwords are public) never go into a real installation. "
            "Run the demo on a database of its own."
        )
    db.session.add(DemoDatabase())


def _organisation(fields: dict) -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == fields["slug"])
    )
    if organisation is None:
        organisation = Organisation(**fields)
        db.session.add(organisation)
        db.session.flush()
    return organisation


def _user(spec: DemoUser) -> User:
    user = accounts.find_user_by_email(spec.email)
    if user is None:
        user = accounts.create_user(
            spec.email,
            spec.display_name,
            spec.password,
            is_site_admin=spec.site_admin,
            network_office_district=spec.district,
        )
    return user


def _sample_trails(museum: Organisation, author: User) -> list[Trail]:
    """The sample trails of trails/, imported into the demo museum and published once."""
    trails = []
    for folder in sorted(p for p in SAMPLE_TRAILS.iterdir() if (p / "trail.geojson").is_file()):
        package = reading.read_folder(folder)
        trail = db.session.scalar(
            select(Trail).where(
                Trail.organisation_id == museum.id,
                Trail.title == package.document["trail"]["title"],
            )
        )
        if trail is None:
            trail = importing.import_trail(package, museum, author)
        if not trail.versions:
            publishing.publish(author, trail)
        trails.append(trail)
    return trails


def _open_visit(trail: Trail, teacher: User) -> Visit:
    """An open visit of the museum trail, reused while it lasts."""
    now = utcnow()
    visit = db.session.scalar(
        select(Visit).where(
            Visit.trail_id == trail.id,
            Visit.opened_by_id == teacher.id,
            ~Visit.is_over(now + timedelta(days=1)),
        )
    )
    if visit is None:
        starts_at = now - timedelta(hours=1)
        visit = visits.open_visit(
            teacher,
            trail,
            class_label="8a (Demo)",
            starts_at=starts_at,
            # As long as a visit may last: a new one follows when this one nears its end.
            ends_at=starts_at + timedelta(days=current_app.config["MAX_VISIT_DAYS"]),
            show_points=True,
        )
    return visit


def _agreement(partnership: Partnership, trail: Trail, museum_admin: User, school_admin: User):
    """A signed agreement offering the museum trail, in force since the school year began."""
    if partnerships.partnership_versions(partnership):
        return
    draft = partnerships.start_partnership(
        museum_admin, partnership.school, partnership.institution
    )
    start = local_today().replace(month=8, day=1)
    if start > local_today():
        start = start.replace(year=start.year - 1)
    partnerships.update_draft(
        museum_admin,
        draft,
        content=partnerships.empty_content()
        | {
            "goals": "Die Schüler:innen erleben das Museum als Lernort und verbinden "
            "Stadtgeschichte mit dem Unterricht.",
            "activities": "Jede 8. Klasse spielt einmal im Schuljahr den Museumsparcours; "
            "die Ergebnisse werden im Geschichtsunterricht besprochen.",
            "subjects": ["Geschichte", "Gesellschaftslehre"],
            "grades": [8],
            "curriculum": "Gesellschaftslehre, Jahrgang 8: Industrialisierung im Ruhrgebiet.",
            "contacts_school": [
                {
                    "name": "Tarek Lehrer",
                    "role": "Fachleitung Geschichte",
                    "email": "teacher@demo.openparcours.de",
                    "phone": None,
                }
            ],
            "contacts_institution": [
                {
                    "name": "Emil Vermittler",
                    "role": "Museumspädagogik",
                    "email": "educator@demo.openparcours.de",
                    "phone": None,
                }
            ],
            "visits_per_year": 4,
            "booking_privilege": True,
            "costs": "Der Eintritt für Schulklassen ist frei.",
        },
        starts_on=start,
        ends_on=start.replace(year=start.year + 3),
        review_on=start.replace(year=start.year + 1),
        trail_ids=[trail.id],
    )
    partnerships.propose(museum_admin, draft)
    for admin, side, role in (
        (school_admin, partnership.school_id, "Schulleitung"),
        (museum_admin, partnership.institution_id, "Museumsleitung"),
    ):
        partnerships.sign(admin, draft, side, signer_name=admin.display_name, signer_role=role)


def load_demo() -> dict:
    """Create what is missing and describe the demo for tools that drive it."""
    _claim_database()
    orgs = {key: _organisation(fields) for key, fields in ORGANISATIONS.items()}
    # The network office's coverage has schools to count.
    import_school_list(SCHOOL_LIST.read_bytes())
    partnership = partnerships.find_or_create_partnership(orgs["school"], orgs["museum"])
    users = []
    by_role = {}
    for spec in USERS:
        user = by_role[spec.role] = _user(spec)
        if spec.organisation:
            organisations.add_member(orgs[spec.organisation], user, spec.roles)
        users.append(
            {
                "email": spec.email,
                "password": spec.password,
                "role": spec.role,
                "organisation": orgs[spec.organisation].name if spec.organisation else None,
            }
        )
    db.session.commit()
    trails = _sample_trails(orgs["museum"], by_role["educator"])
    museum_trail = next(t for t in trails if all(s.lat is None for s in t.stations))
    _agreement(partnership, museum_trail, by_role["museum_admin"], by_role["school_admin"])
    visit = _open_visit(museum_trail, by_role["teacher"])
    # Each type's example answer, where the type judges it right (not a survey's, a photo's).
    scored = [
        {"station_id": station["id"], "task_id": task["id"], "answer": answer}
        for station in visit.version.content["stations"]
        for task in station["tasks"]
        if (answer := tasks.example_answer(task)) is not None and tasks.score(task, answer).correct
    ]
    return {
        "base_url": current_app.config["PUBLIC_URL"],
        "users": users,
        "organisations": [
            {"id": o.id, "name": o.name, "kind": o.kind.value} for o in orgs.values()
        ],
        "partnerships": [
            {
                "id": partnership.id,
                "school_id": partnership.school_id,
                "institution_id": partnership.institution_id,
            }
        ],
        "trails": [
            {
                "id": trail.id,
                "title": trail.title,
                "version": trail.versions[-1].number,  # the demo publishes every trail
                "stations": len(trail.stations),
            }
            for trail in trails
        ],
        "visit": {
            "id": visit.id,
            "trail_id": visit.trail_id,
            "class_label": visit.class_label,
            "join_code": visit.join_code,
            "join_url": visit.join_url,
            "ends_at": visit.ends_at.isoformat(),
        },
        "join_code": visit.join_code,
        "answers": scored[:4],
        # Answers count after the check-in at their station: send these first.
        "checkins": [
            {"type": "checkin", "station_id": station["id"], "code": station["code"]}
            for station in visit.version.content["stations"]
            if station["id"] in {answer["station_id"] for answer in scored[:4]}
        ],
    }


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the demo as one JSON object.")
def demo_command(as_json: bool) -> None:
    """Load the demo organisations, partnership, logins and sample trails (safe to run again;
    only on an empty database or the demo's own)."""
    try:
        demo = load_demo()
    except RealDatabase as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(demo, ensure_ascii=False, indent=2))
        return
    click.echo(f"Demo ready at {demo['base_url']}")
    for user in demo["users"]:
        click.echo(f"  {user['role']:<15} {user['email']:<40} {user['password']}")
    for trail in demo["trails"]:
        click.echo(f"  trail {trail['id']}: {trail['title']} (version {trail['version']})")
    click.echo(f"  open visit: join code {demo['join_code']} – {demo['visit']['join_url']}")
