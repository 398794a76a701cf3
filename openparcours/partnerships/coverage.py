"""The district's coverage, for its network office: which schools of the state's list have a
partner, which institutions have none, how the share changed over the school years, and which
subjects and year groups the district's offers leave out. Counts and organisation names only,
in a fixed number of queries whatever the district's size."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.catalogue.service import live_offers
from openparcours.curriculum import tables as curriculum
from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind
from openparcours.partnerships.models import AgreementState, AgreementVersion, Partnership
from openparcours.partnerships.reports import current_school_year
from openparcours.registry import tables as registry
from openparcours.registry.models import RegisteredSchool
from openparcours.trails.models import Trail

YEARS_SHOWN = 5


class SchoolStatus:
    partner = "partner"  # in OpenParcours, with an agreement in force
    member = "member"  # in OpenParcours, without one
    absent = "absent"  # only in the state's list


@dataclass(frozen=True)
class Filters:
    school_form_key: str | None = None
    institution_kind: OrganisationKind | None = None
    municipality: str | None = None


def _school_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 8, 1), date(year + 1, 8, 1)


def label(year: int) -> str:
    """The school year starting in August `year`: "2026/27"."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class DistrictData:
    """What the district's reports are made of, read in four queries whatever its size."""

    schools: list[RegisteredSchool]  # of the state's list
    linked: dict[str, Organisation]  # Schulnummer → the school in OpenParcours
    institutions: list[Organisation]
    # Signed versions of partnerships of these schools or institutions: a partnership counts
    # for the other side only if that side is in the report too.
    signed: list[tuple[AgreementVersion, int, int]]  # (version, school id, institution id)


def district_data(district: str, filters: Filters) -> DistrictData:
    schools_query = select(RegisteredSchool).where(RegisteredSchool.district == district)
    if filters.school_form_key:
        schools_query = schools_query.where(
            RegisteredSchool.school_form_key == filters.school_form_key
        )
    if filters.municipality:
        schools_query = schools_query.where(RegisteredSchool.municipality == filters.municipality)
    schools = db.session.scalars(
        schools_query.order_by(RegisteredSchool.name, RegisteredSchool.schulnummer)
    ).all()
    numbers = [school.schulnummer for school in schools]
    linked = {
        organisation.schulnummer: organisation
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.schulnummer.in_(numbers))
        )
        if organisation.schulnummer is not None
    }
    institutions_query = select(Organisation).where(
        Organisation.district == district, Organisation.kind != OrganisationKind.school
    )
    if filters.institution_kind:
        institutions_query = institutions_query.where(Organisation.kind == filters.institution_kind)
    if filters.municipality:
        institutions_query = institutions_query.where(
            Organisation.municipality == filters.municipality
        )
    institutions = db.session.scalars(
        institutions_query.order_by(Organisation.name, Organisation.id)
    ).all()
    school_ids = [organisation.id for organisation in linked.values()]
    institution_ids = [institution.id for institution in institutions]
    signed = db.session.execute(
        select(AgreementVersion, Partnership.school_id, Partnership.institution_id)
        .join(Partnership, AgreementVersion.partnership_id == Partnership.id)
        .where(
            AgreementVersion.state == AgreementState.signed,
            or_(
                Partnership.school_id.in_(school_ids),
                Partnership.institution_id.in_(institution_ids),
            ),
        )
        # The reports read dates and parties, never the signatures or the offered trails.
        .options(lazyload(AgreementVersion.signatures), lazyload(AgreementVersion.trails))
    ).all()
    return DistrictData(
        list(schools),
        linked,
        list(institutions),
        [(version, school_id, institution_id) for version, school_id, institution_id in signed],
    )


def shares_per_school_year(data: DistrictData, years: range) -> list[dict]:
    """For each school year: the schools of the list open by its end, and how many of them had
    an agreement in force on some day of it."""
    shares = []
    for year in years:
        start, end = _school_year_bounds(year)
        partners_then = {
            school_id
            for version, school_id, _ in data.signed
            if version.in_force_during(start, end)
        }
        existing = [s for s in data.schools if s.opened_on is None or s.opened_on < end]
        count = sum(
            1
            for s in existing
            if s.schulnummer in data.linked and data.linked[s.schulnummer].id in partners_then
        )
        shares.append(
            {
                "school_year": label(year),
                "schools": len(existing),
                "covered": count,
                "share": _share(count, len(existing)),
            }
        )
    return shares


def district_coverage(actor: User, district: str, filters: Filters) -> dict:
    policy.require(actor, "district.view", district)
    today = local_today()
    data = district_data(district, filters)
    schools, linked, institutions = data.schools, data.linked, data.institutions
    institution_ids = [institution.id for institution in institutions]

    in_force_today = [
        (school_id, institution_id)
        for version, school_id, institution_id in data.signed
        if version.in_force(today)
    ]
    partner_schools = {school_id for school_id, _ in in_force_today}
    institutions_with_partner = {institution_id for school_id, institution_id in in_force_today}

    def status(school: RegisteredSchool) -> str:
        organisation = linked.get(school.schulnummer)
        if organisation is None:
            return SchoolStatus.absent
        return SchoolStatus.partner if organisation.id in partner_schools else SchoolStatus.member

    statuses = {school.schulnummer: status(school) for school in schools}
    covered = [s for s in schools if statuses[s.schulnummer] == SchoolStatus.partner]

    by_form: dict[str, Counter] = defaultdict(Counter)
    by_municipality: dict[str, Counter] = defaultdict(Counter)
    for school in schools:
        is_covered = statuses[school.schulnummer] == SchoolStatus.partner
        for table, key in (
            (by_form, school.school_form_key),
            (by_municipality, school.municipality),
        ):
            table[key]["total"] += 1
            table[key]["covered"] += is_covered

    this_year = current_school_year(today)
    years = shares_per_school_year(data, range(this_year - YEARS_SHOWN + 1, this_year + 1))

    institution_by_id = {institution.id: institution for institution in institutions}
    school_by_org = {organisation.id: number for number, organisation in linked.items()}
    return {
        "district": district,
        "school_year": label(this_year),
        "schools": {
            "total": len(schools),
            "covered": len(covered),
            "in_openparcours": len(linked),
            "share": _share(len(covered), len(schools)),
        },
        "by_school_form": [
            {
                "key": key,
                "name": registry.school_form_name(key),
                "total": counts["total"],
                "covered": counts["covered"],
            }
            for key, counts in sorted(by_form.items())
        ],
        "by_municipality": [
            {"municipality": name, "total": counts["total"], "covered": counts["covered"]}
            for name, counts in sorted(by_municipality.items())
        ],
        "years": years,
        "institutions_without_partner": [
            {"id": institution.id, "name": institution.name, "kind": institution.kind}
            for institution in institutions
            if institution.id not in institutions_with_partner
        ],
        "offers": offers_by_subject(offer_rows(institution_ids)),
        "map": {
            "schools": [
                {
                    "schulnummer": school.schulnummer,
                    "name": school.name,
                    "school_form_name": registry.school_form_name(school.school_form_key),
                    "municipality": school.municipality,
                    "lat": school.lat,
                    "lon": school.lon,
                    "status": statuses[school.schulnummer],
                }
                for school in schools
            ],
            "institutions": [
                {
                    "id": institution.id,
                    "name": institution.name,
                    "kind": institution.kind,
                    "lat": institution.lat,
                    "lon": institution.lon,
                }
                for institution in institutions
            ],
            "lines": [
                {"schulnummer": schulnummer, "institution_id": institution_id}
                for schulnummer, institution_id in sorted(
                    {
                        (school_by_org[school_id], institution_id)
                        for school_id, institution_id in in_force_today
                        if school_id in school_by_org and institution_id in institution_by_id
                    }
                )
            ],
        },
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def offer_rows(institution_ids: list[int]) -> list[tuple[list[str], list[int], str]]:
    """(subjects, year groups, language) of the institutions' published offers."""
    return [
        (subjects or [], grades or [], language)
        for subjects, grades, language in db.session.execute(
            live_offers()
            .where(Trail.organisation_id.in_(institution_ids))
            .with_only_columns(Trail.subjects, Trail.grades, Trail.language)
        )
    ]


def offers_by_subject(rows: list[tuple[list[str], list[int], str]]) -> dict:
    """The offers by subject × year group, with the gaps: a subject's year group that no offer
    serves. A trail's subject counts by its name in NRW's table."""
    cells: Counter[tuple[str, int]] = Counter()
    known = {subject["name"].casefold(): subject["name"] for subject in curriculum.subjects()}
    for subjects, grades, _ in rows:
        for subject in subjects:
            name = known.get(subject.casefold())
            if name is None:
                continue
            for grade in grades:
                cells[name, grade] += 1
    return {
        "subjects": [
            {
                "name": subject["name"],
                "year_groups": [
                    {"year_group": year, "offers": cells[subject["name"], year]}
                    for year in curriculum.year_groups_of(subject)
                ],
            }
            for subject in curriculum.subjects()
        ],
        "gaps": sum(
            1
            for subject in curriculum.subjects()
            for year in curriculum.year_groups_of(subject)
            if not cells[subject["name"], year]
        ),
    }
