"""A school's Lernweg for a school year: per year group and subject, what its agreements plan
(their anchoring rows) and what its classes did (visits), with the partner and the media
competences; per year group, the competences that out-of-school learning covers. Class
labels and counts only, never pupils; two queries whatever the school's size."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.curriculum import tables as curriculum
from openparcours.database import local_zone
from openparcours.extensions import db
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import AgreementState, AgreementVersion, Partnership
from openparcours.partnerships.printing import anchoring_offer
from openparcours.visits.models import Visit


@dataclass(frozen=True)
class Planned:
    partner: str
    teaching_unit: str
    offer: str
    media_competences: list[str]
    term: int | None


@dataclass(frozen=True)
class Done:
    partner: str
    trail_title: str
    class_label: str
    date: datetime


@dataclass
class Cell:
    subject: str | None  # None: a visit whose trail names no subject of the table
    planned: list[Planned] = field(default_factory=list)
    done: list[Done] = field(default_factory=list)


@dataclass
class YearGroup:
    year_group: int | None  # None: visits of classes whose label names no year group
    by_subject: dict[str | None, Cell] = field(default_factory=dict)
    competences: set[str] = field(default_factory=set)

    def cell(self, subject: str | None) -> Cell:
        return self.by_subject.setdefault(subject, Cell(subject))

    @property
    def cells(self) -> list[Cell]:
        return list(self.by_subject.values())

    @property
    def media_competences(self) -> list[str]:
        """As the Medienkompetenzrahmen orders them: 1.1 … 6.4."""
        return sorted(self.competences, key=lambda key: tuple(map(int, key.split("."))))


@dataclass(frozen=True)
class Lernweg:
    school: Organisation
    year: int
    year_groups: list[YearGroup]

    @property
    def school_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def subjects(self) -> list[str | None]:
        """The subjects that have an entry, in the table's order; the rest last."""
        used = {subject for group in self.year_groups for subject in group.by_subject}
        order = curriculum.subject_names()
        return sorted(
            used, key=lambda s: (s is None, order.index(s) if s in order else len(order), s or "")
        )


def lernweg(actor: User, school: Organisation, year: int) -> Lernweg:
    policy.require(actor, "lernweg.view", school)
    start, end = date(year, 8, 1), date(year + 1, 8, 1)
    groups: dict[int | None, YearGroup] = {}

    def group(year_group: int | None) -> YearGroup:
        return groups.setdefault(year_group, YearGroup(year_group))

    versions = db.session.scalars(
        select(AgreementVersion)
        .join(Partnership, AgreementVersion.partnership_id == Partnership.id)
        .where(Partnership.school_id == school.id, AgreementVersion.state == AgreementState.signed)
        .options(selectinload(AgreementVersion.trails))
    ).all()
    # Each partnership's latest version of that school year plans it: an amendment replaces
    # its rows, it does not add to them.
    planning: dict[int, AgreementVersion] = {}
    for version in versions:
        if version.in_force_during(start, end):
            latest = planning.get(version.partnership_id)
            if latest is None or version.number > latest.number:
                planning[version.partnership_id] = version
    for version in planning.values():
        partner = version.partnership.institution.name
        for row in version.content.get("anchoring") or []:
            target = group(row["year_group"])
            target.cell(row["subject"]).planned.append(
                Planned(
                    partner=partner,
                    teaching_unit=row["teaching_unit"],
                    offer=anchoring_offer(version, row),
                    media_competences=row.get("media_competences") or [],
                    term=row.get("term"),
                )
            )
            target.competences.update(row.get("media_competences") or [])

    zone = local_zone()
    visits = db.session.scalars(
        select(Visit)
        .where(
            Visit.school_id == school.id,
            Visit.starts_at >= datetime.combine(start, time(), zone),
            Visit.starts_at < datetime.combine(end, time(), zone),
        )
        .options(selectinload(Visit.trail))
        .order_by(Visit.starts_at, Visit.id)
    ).all()
    known = set(curriculum.subject_names())
    planned_subjects: dict[tuple[int, int], set[str]] = defaultdict(set)
    for version in planning.values():
        for row in version.content.get("anchoring") or []:
            if row.get("trail_id") is not None:
                planned_subjects[row["year_group"], row["trail_id"]].add(row["subject"])
    for visit in visits:
        year_group = curriculum.year_group_of_class(visit.class_label)
        # Where the agreement planned this trail for the year group, its subject; else the
        # trail's own subjects that the table knows.
        subjects = planned_subjects.get((year_group, visit.trail_id)) if year_group else None
        if not subjects:
            subjects = {s for s in visit.trail.subjects or [] if s in known}
        done = Done(
            partner=visit.trail.organisation.name,
            trail_title=visit.trail.title,
            class_label=visit.class_label,
            date=visit.starts_at,
        )
        cells: list[str | None] = [*sorted(subjects)] or [None]
        for subject in cells:
            group(year_group).cell(subject).done.append(done)
    ordered = sorted(groups.values(), key=lambda g: (g.year_group is None, g.year_group or 0))
    return Lernweg(school, year, ordered)
