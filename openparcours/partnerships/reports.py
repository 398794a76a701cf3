"""Reports without student data: a partnership's documentation per school year, and the
figures of a district for its network office. Both are built from the visits' anonymous
counts, so they survive the deletion of teams, answers and photos."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import local_today, local_zone
from openparcours.extensions import db
from openparcours.forum.service import thread_counts
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import AgreementVersion, Partnership
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit
from openparcours.visits.results import anonymous_counts


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


@dataclass(frozen=True)
class Counts:
    """How many teams and players, how many teams did every station, their mean points."""

    teams: int
    players: int
    completed_teams: int
    mean_points: float | None

    @property
    def completion_rate(self) -> float | None:
        return round(self.completed_teams / self.teams, 2) if self.teams else None


@dataclass(frozen=True)
class VisitCounts(Counts):
    """A visit in the documentation: when, which class, which trail, and its counts."""

    date: datetime
    class_label: str
    trail_title: str
    data_deleted: bool
    mean_points: float  # 0 without teams


@dataclass(frozen=True)
class Totals(Counts):
    """The school year's: its visits' counts summed, the points' mean over all teams (None
    without teams)."""

    visits: int


@dataclass(frozen=True)
class SchoolYearReport:
    partnership: Partnership
    year: int
    visits: list[VisitCounts]

    @property
    def school_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def totals(self) -> Totals:
        teams = sum(v.teams for v in self.visits)
        points = sum(v.mean_points * v.teams for v in self.visits)
        return Totals(
            teams=teams,
            players=sum(v.players for v in self.visits),
            completed_teams=sum(v.completed_teams for v in self.visits),
            mean_points=round(points / teams, 1) if teams else None,
            visits=len(self.visits),
        )


def _counts(visit: Visit) -> VisitCounts:
    counts = visit.summary if visit.data_deleted_at else anonymous_counts(visit)
    assert counts is not None, "deleting a visit's data keeps its counts in the summary"
    return VisitCounts(
        **{name: counts[name] for name in ("teams", "players", "completed_teams", "mean_points")},
        date=visit.starts_at,
        class_label=visit.class_label,
        trail_title=visit.trail.title,
        data_deleted=visit.data_deleted_at is not None,
    )


def partnership_report(actor: User, partnership: Partnership, year: int) -> SchoolYearReport:
    """The documentation of one school year: every visit with its anonymous counts."""
    policy.require(actor, "partnership.view", partnership)
    visits = _visits_of([partnership], *school_year(year))
    return SchoolYearReport(partnership, year, [_counts(visit) for visit in visits])


def district_overview(actor: User, district: str) -> dict:
    """A network office's view of its district: partnerships by kind and school form, the
    agreements' state, visits per month over the last twelve months, and the threads with
    messages. Counts only."""
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
    agreements: Counter[str] = Counter()
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
        # That partners talk, never what they say.
        "threads": dict(
            zip(("active", "messages"), thread_counts([p.id for p in partnerships]), strict=True)
        ),
    }
