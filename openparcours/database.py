"""Column types shared by every domain."""

import enum
from datetime import UTC, date, datetime
from typing import cast
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import CursorResult, DateTime, Delete, Enum, Float, Select, Update, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from openparcours.errors import Conflict, handle_database_error, handle_service_error


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Strings with a CHECK constraint: portable, and a new value is a small migration."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


def local_zone() -> ZoneInfo:
    """Where the schools are (TIMEZONE, Europe/Berlin): their calendar and their clocks."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_today() -> date:
    """Today's calendar day where the schools are: from midnight in Bochum (22:00 or 23:00 UTC)
    the UTC date is still yesterday. Every calendar day taken from the clock comes from here."""
    return utcnow().astimezone(local_zone()).date()


def utcnow() -> datetime:
    return datetime.now(UTC)


def paginate(query: Select, page: int, page_size: int) -> tuple[list, int]:
    """One page of an ordered SELECT and the total count, for flask-smorest's pagination."""
    from openparcours.extensions import db

    total = db.session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    offset = (page - 1) * page_size
    if offset >= total:  # past the end; a huge page number would overflow the database's integer
        return [], total
    items = db.session.scalars(query.limit(page_size).offset(offset)).all()
    return list(items), total


def updated_rows(statement: Update | Delete) -> int:
    """How many rows an UPDATE or DELETE changed (its result is a cursor's, though typed as
    rows')."""
    from openparcours.extensions import db

    return cast(CursorResult, db.session.execute(statement)).rowcount


class SecondsBetween(FunctionElement):
    """`SecondsBetween(later, earlier)`: the seconds between two datetimes, in SQL."""

    type = Float()
    inherit_cache = True


@compiles(SecondsBetween)
def _seconds_between(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(SecondsBetween, "sqlite")
def _seconds_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def is_unique_violation(error: IntegrityError) -> bool:
    """A row that a unique constraint already has (PostgreSQL's 23505, SQLite's message)."""
    return getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        error.orig
    )


def answer_unique_violation(error: IntegrityError):
    """Two requests both found a name (a team's, a slug, an e-mail, a membership) free and
    both wrote it: the later one hears of the conflict, as it would have a moment later.
    Other integrity errors are bugs and stay with the database errors' handler."""
    if not is_unique_violation(error):
        return handle_database_error(error)
    return handle_service_error(
        Conflict("Another request wrote the same at the same moment; please try again.")
    )
