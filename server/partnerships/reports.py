"""Reports without student data: a partnership's documentation per school year, and the
figures of a district for its network office. Both are built from the visits' anonymous
counts, so they survive the deletion of teams, answers and photos."""

from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from server import policy
from server.accounts.models import User
from server.database import local_today, local_zone
from server.extensions import db
from server.organisations.models import Organisation
from server.partnerships.models import AgreementVersion, Partnership
from server.trails.models import Trail
from server.visits.models import Visit
from server.visits.results import anonymous_counts


def school_year(year: int) -> tuple[datetime, datetime]:
    """1 August `year` to 1 August `year + 1`, local time: the school year "2026/27"."""
    zone = local_zone()
    return (
        datetime.combine(date(year, 8, 1), time(), zone),
        datetime.combine(date(year + 1, 8, 1), time(), zone),
    )


def current_school_year(on: date | None = None) -> int:
    on = on or local_today()
    return on.year if on.month >= 8 else on.year - 1


def _visits_of(partnerships: list[Partnership], start: datetime, end: datetime) -> list[Visit]:
    """Visits of each partnership's school to trails of its institution, in the time span."""
    if not partnerships:
        return []
    pairs = [
        (Visit.school_id == p.school_id) & (Trail.organisation_id == p.institution_id)
        for p in partnerships
    ]
    return list(
        db.session.scalars(
            select(Visit)
            .join(Trail, Visit.trail_id == Trail.id)
            .where(or_(*pairs), Visit.starts_at >= start, Visit.starts_at < end)
            .options(selectinload(Visit.trail))
            .order_by(Visit.starts_at, Visit.id)
        )
    )


def _counts(visit: Visit) -> dict:
    counts = visit.summary if visit.data_deleted_at else anonymous_counts(visit)
    teams = counts["teams"]
    return counts | {
        "completion_rate": round(counts["completed_teams"] / teams, 2) if teams else None
    }


def partnership_report(actor: User | None, partnership: Partnership, year: int) -> dict:
    """The documentation of one school year: every visit with its anonymous counts."""
    policy.require(actor, "partnership.view", partnership)
    start, end = school_year(year)
    rows = []
    for visit in _visits_of([partnership], start, end):
        rows.append(
            {
                "date": visit.starts_at,
                "class_label": visit.class_label,
                "trail_title": visit.trail.title,
                "data_deleted": visit.data_deleted_at is not None,
                **_counts(visit),
            }
        )
    teams = sum(r["teams"] for r in rows)
    return {
        "partnership": partnership,
        "school_year": f"{year}/{(year + 1) % 100:02d}",
        "visits": rows,
        "totals": {
            "visits": len(rows),
            "teams": teams,
            "players": sum(r["players"] for r in rows),
            "completion_rate": round(sum(r["completed_teams"] for r in rows) / teams, 2)
            if teams
            else None,
            "mean_points": round(sum(r["mean_points"] * r["teams"] for r in rows) / teams, 1)
            if teams
            else None,
        },
    }


def district_overview(actor: User | None, district: str) -> dict:
    """A network office's view of its district: partnerships by kind and school form, the
    agreements' state, and visits per month over the last twelve months. Counts only."""
    policy.require(actor, "district.view", district)
    in_district = select(Organisation.id).where(Organisation.district == district)
    partnerships = db.session.scalars(
        select(Partnership).where(
            or_(Partnership.school_id.in_(in_district), Partnership.institution_id.in_(in_district))
        )
    ).all()
    versions = db.session.scalars(
        select(AgreementVersion).where(
            AgreementVersion.partnership_id.in_([p.id for p in partnerships])
        )
    ).all()
    agreements = Counter()
    for version in versions:
        state = version.status
        if state in ("draft", "proposed"):
            agreements["in_writing"] += 1
        elif state in ("active", "signed"):
            agreements[state] += 1
            agreements.update(version.warnings)
    on = local_today()
    first_month = date(on.year - 1, on.month, 1) + timedelta(days=32)
    first_month = first_month.replace(day=1)
    start = datetime.combine(first_month, time(), local_zone())
    per_month = Counter(
        visit.starts_at.astimezone(start.tzinfo).strftime("%Y-%m")
        for visit in _visits_of(
            list(partnerships), start, datetime.max.replace(tzinfo=start.tzinfo)
        )
    )
    months = []
    month = first_month
    for _ in range(12):
        months.append(
            {"month": month.strftime("%Y-%m"), "visits": per_month[month.strftime("%Y-%m")]}
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return {
        "district": district,
        "partnerships": len(partnerships),
        "by_institution_kind": dict(Counter(p.institution.kind.value for p in partnerships)),
        "by_school_form": dict(
            Counter(
                p.school.school_form.value if p.school.school_form else "other"
                for p in partnerships
            )
        ),
        "agreements": {
            key: agreements[key]
            for key in ("active", "signed", "in_writing", "review_due", "ending_soon")
        },
        "visits_per_month": months,
    }
