"""`flask demo`: a demo museum, school, partnership and one login per role (idempotent)."""

import json
from dataclasses import dataclass

import click
from flask import current_app
from sqlalchemy import select

from server.accounts import service as accounts
from server.accounts.models import User
from server.config import PROJECT_ROOT
from server.extensions import db
from server.organisations import service as organisations
from server.organisations.models import Organisation, OrganisationKind, Role, SchoolForm
from server.partnerships.service import find_or_create_partnership
from server.trails import format as trail_format
from server.trails import service as trail_service
from server.trails.models import Trail

DISTRICT = "Kreis Recklinghausen"
SAMPLE_TRAILS = PROJECT_ROOT / "trails"

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
        package = trail_format.read_folder(folder)
        trail = db.session.scalar(select(Trail).where(
            Trail.organisation_id == museum.id, Trail.title == package.document["trail"]["title"]
        ))  # fmt: skip
        if trail is None:
            trail = trail_format.import_trail(package, museum, author)
        if not trail.versions:
            trail_service.publish(author, trail)
        trails.append(trail)
    return trails


def load_demo() -> dict:
    """Create what is missing and describe the demo for tools that drive it."""
    orgs = {key: _organisation(fields) for key, fields in ORGANISATIONS.items()}
    partnership = find_or_create_partnership(orgs["school"], orgs["museum"])
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
                "version": trail.latest_version.number,
                "stations": len(trail.stations),
            }
            for trail in trails
        ],
    }


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the demo as one JSON object.")
def demo_command(as_json: bool) -> None:
    """Load the demo organisations, partnership, logins and sample trails (safe to run again)."""
    demo = load_demo()
    if as_json:
        click.echo(json.dumps(demo, ensure_ascii=False, indent=2))
        return
    click.echo(f"Demo ready at {demo['base_url']}")
    for user in demo["users"]:
        click.echo(f"  {user['role']:<15} {user['email']:<40} {user['password']}")
    for trail in demo["trails"]:
        click.echo(f"  trail {trail['id']}: {trail['title']} (version {trail['version']})")
