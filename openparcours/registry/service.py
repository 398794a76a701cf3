from dataclasses import dataclass

from sqlalchemy import select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import paginate, utcnow
from openparcours.extensions import db
from openparcours.registry import importing
from openparcours.registry.models import RegisteredSchool

# Large enough for the whole state's list (about 6,000 schools, 2 MB) with room to grow.
MAX_UPLOAD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    # Rows of other districts, which a network office's import leaves to their own offices.
    other_districts: int
    problems: list[dict]
    saved: bool


def import_schools(actor: User, data: bytes, *, check: bool = False) -> ImportReport:
    """A site admin imports the whole list; a network office the rows of its district."""
    policy.require(actor, "registry.import")
    district = None if actor.is_site_admin else actor.network_office_district
    return import_school_list(data, district=district, check=check)


def import_school_list(
    data: bytes, *, district: str | None = None, check: bool = False
) -> ImportReport:
    """Create or update the schools of the list (of one district, if given) by their
    Schulnummer, never twice. With `check`, report what would change without saving."""
    parsed = importing.parse(data)
    rows = [row for row in parsed.rows if district is None or row.fields["district"] == district]
    known = {
        school.schulnummer: school
        for school in db.session.scalars(
            select(RegisteredSchool).where(
                RegisteredSchool.schulnummer.in_([row.schulnummer for row in rows])
            )
        )
    }
    now = utcnow()
    created = updated = 0
    for row in rows:
        school = known.get(row.schulnummer)
        if school is None:
            db.session.add(
                RegisteredSchool(
                    schulnummer=row.schulnummer, imported_at=now, updated_at=now, **row.fields
                )
            )
            created += 1
            continue
        school.imported_at = now
        if any(getattr(school, name) != value for name, value in row.fields.items()):
            for name, value in row.fields.items():
                setattr(school, name, value)
            school.updated_at = now
            updated += 1
    if check:
        db.session.rollback()
    else:
        db.session.commit()
    return ImportReport(
        created=created,
        updated=updated,
        unchanged=len(rows) - created - updated,
        other_districts=len(parsed.rows) - len(rows),
        problems=parsed.problems,
        saved=not check,
    )


def list_schools(
    actor: User,
    page: int,
    page_size: int,
    *,
    district: str | None = None,
    school_form_key: str | None = None,
    municipality: str | None = None,
    q: str | None = None,
) -> tuple[list[RegisteredSchool], int]:
    """The state's schools, public data of the open-data list, for staff to find a school by."""
    policy.require(actor, "registry.view")
    query = select(RegisteredSchool)
    if district is not None:
        query = query.where(RegisteredSchool.district == district)
    if school_form_key is not None:
        query = query.where(RegisteredSchool.school_form_key == school_form_key)
    if municipality is not None:
        query = query.where(RegisteredSchool.municipality == municipality)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            RegisteredSchool.name.ilike(pattern, escape="\\")
            | (RegisteredSchool.schulnummer == q.strip())
        )
    return paginate(
        query.order_by(RegisteredSchool.name, RegisteredSchool.schulnummer), page, page_size
    )
