"""The public catalogue of learning offers: published, public trails of institutions, for
anyone, without login. Never a draft, an archived or a partners-only trail, nor a school."""

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    column,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import selectinload

from openparcours.curriculum import tables as curriculum
from openparcours.database import paginate
from openparcours.extensions import db
from openparcours.organisations.models import Organisation, OrganisationKind
from openparcours.trails.models import Station, Trail, TrailVersion, Visibility


def _contains(json_list, value) -> ColumnElement[bool]:
    """SQL: the JSON list column holds this value (PostgreSQL and SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(json_list, JSONB).contains(func.jsonb_build_array(value))
    items = func.json_each(json_list).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(column("value") == value))


def _tagged(tags: str, value: str) -> ColumnElement[bool]:
    """SQL: the trail or one of its stations has this subject or media competence."""
    return or_(
        _contains(getattr(Trail, tags), value),
        exists().where(Station.trail_id == Trail.id, _contains(getattr(Station, tags), value)),
    )


def live_offers() -> Select:
    """Trails that are learning offers: published, not archived, of an institution (for
    partner schools, or also public)."""
    return (
        select(Trail)
        .join(Organisation, Trail.organisation_id == Organisation.id)
        .where(
            Trail.archived_at.is_(None),
            exists().where(TrailVersion.trail_id == Trail.id),
            Organisation.kind != OrganisationKind.school,
        )
    )


def _offers(**filters) -> Select:
    query = live_offers().where(Trail.visibility == Visibility.public)
    for name in ("district", "municipality"):
        if filters.get(name):
            query = query.where(getattr(Organisation, name) == filters[name])
    if filters.get("kind"):
        query = query.where(Organisation.kind == OrganisationKind(filters["kind"]))
    if filters.get("language"):
        query = query.where(Trail.language == filters["language"])
    if filters.get("subject"):
        query = query.where(_tagged("subjects", filters["subject"]))
    if filters.get("competence"):
        query = query.where(_tagged("media_competences", filters["competence"]))
    if filters.get("grade"):
        query = query.where(_contains(Trail.grades, filters["grade"]))
    if filters.get("q"):
        words = (
            "%"
            + filters["q"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        query = query.where(
            or_(
                func.lower(Trail.title).like(words, escape="\\"),
                func.lower(cast(Trail.description, String)).like(words, escape="\\"),
            )
        )
    return query


def list_offers(page: int, page_size: int, **filters) -> tuple[list[Trail], int]:
    """One page of offers, by institution and title."""
    query = (
        _offers(**filters)
        .options(selectinload(Trail.stations), selectinload(Trail.cover))
        .order_by(Organisation.name, Trail.title, Trail.id)
    )
    return paginate(query, page, page_size)


def filter_values() -> dict:
    """The values that occur among the offers, for the filter menus."""
    offers = _offers()
    rows = db.session.execute(
        offers.with_only_columns(
            Organisation.district,
            Organisation.municipality,
            Organisation.kind,
            Trail.subjects,
            Trail.grades,
            Trail.media_competences,
            Trail.language,
        )
    ).all()
    stations = db.session.execute(
        select(Station.subjects, Station.media_competences).where(
            Station.trail_id.in_(offers.with_only_columns(Trail.id).scalar_subquery())
        )
    ).all()
    tagged = [*rows, *stations]
    keys = {k for r in tagged for k in r.media_competences or []}
    return {
        "districts": sorted({r.district for r in rows if r.district}),
        "municipalities": sorted({r.municipality for r in rows if r.municipality}),
        "kinds": sorted({r.kind.value for r in rows}),
        "subjects": sorted({s for r in tagged for s in r.subjects or []}),
        "grades": sorted({g for r in rows for g in r.grades or []}),
        # The areas of the Medienkompetenzrahmen with the competences that offers teach.
        "media_competences": [
            {"key": area["key"], "name": area["name"], "competences": found}
            for area in curriculum.media_competences()
            if (found := [c for c in area["competences"] if c["key"] in keys])
        ],
        "languages": sorted({r.language for r in rows}),
    }


def institutions_geojson(**filters) -> dict:
    """Institutions with offers and a location, as GeoJSON points for a map."""
    offers = _offers(**filters).with_only_columns(Trail.organisation_id).subquery()
    counts: dict[int, int] = dict(
        db.session.execute(
            select(offers.c.organisation_id, func.count()).group_by(offers.c.organisation_id)
        ).all()
    )
    institutions = db.session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(list(counts)), Organisation.lat.is_not(None))
        .order_by(Organisation.name)
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [o.lon, o.lat]},
                "properties": {
                    "id": o.id,
                    "name": o.name,
                    "slug": o.slug,
                    "kind": o.kind.value,
                    "municipality": o.municipality,
                    "district": o.district,
                    "offers": counts[o.id],
                },
            }
            for o in institutions
        ],
    }
