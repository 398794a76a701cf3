import marshmallow as ma
from marshmallow import fields, validate

from openparcours.accounts.schemas import OrganisationRefSchema
from openparcours.fields import Text
from openparcours.planning.models import PlanStatus


class SchoolYearQuerySchema(ma.Schema):
    school_year = fields.Integer(
        validate=validate.Range(2000, 2100),
        metadata={"description": "The year it begins: 2026 is 2026/27; the current one if none"},
    )


class PlannedSchema(ma.Schema):
    partner = fields.String(required=True)
    teaching_unit = fields.String(required=True, metadata={"description": "Unterrichtsvorhaben"})
    offer = fields.String(required=True)
    media_competences = fields.List(fields.String(), required=True)
    term = fields.Integer(required=True, allow_none=True, metadata={"description": "Halbjahr"})


class DoneSchema(ma.Schema):
    partner = fields.String(required=True)
    trail_title = fields.String(required=True)
    class_label = fields.String(required=True)
    date = fields.AwareDateTime(required=True)


class LernwegCellSchema(ma.Schema):
    subject = fields.String(
        required=True, allow_none=True, metadata={"description": "None: no subject of the table"}
    )
    planned = fields.List(fields.Nested(PlannedSchema), required=True)
    done = fields.List(fields.Nested(DoneSchema), required=True)


class LernwegYearGroupSchema(ma.Schema):
    year_group = fields.Integer(
        required=True, allow_none=True, metadata={"description": "None: the class names none"}
    )
    media_competences = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "What out-of-school learning covers here, e.g. 2.1"},
    )
    cells = fields.List(fields.Nested(LernwegCellSchema), required=True)


class LernwegSchema(ma.Schema):
    school = fields.Nested(OrganisationRefSchema, required=True)
    school_year = fields.String(required=True)
    subjects = fields.List(fields.String(allow_none=True), required=True)
    year_groups = fields.List(fields.Nested(LernwegYearGroupSchema), required=True)


class PlanItemSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    title = Text(200, required=True, metadata={"description": "What is planned"})
    month = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(1, 12)
    )
    term = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.OneOf([1, 2]),
        metadata={"description": "Halbjahr"},
    )
    year_group = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(1, 13)
    )
    class_label = Text(60, min_length=0, load_default="")
    responsible_school = Text(120, min_length=0, load_default="")
    responsible_institution = Text(120, min_length=0, load_default="")
    status = fields.Enum(PlanStatus, by_value=True, load_default=PlanStatus.planned)
    trail_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    visit_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    note = Text(2000, min_length=0, load_default="")
    trail_title = fields.Function(
        lambda item: item.trail.title if item.trail else None,
        dump_only=True,
        metadata={"type": ["string", "null"]},
    )
    visit_date = fields.Function(
        lambda item: item.visit.starts_at.isoformat() if item.visit else None,
        dump_only=True,
        metadata={"type": ["string", "null"], "format": "date-time"},
    )


class PlanItemUpdateSchema(PlanItemSchema):
    """Any subset of an item's fields; use with `partial=True`."""


class ReflectionSchema(ma.Schema):
    went_well = Text(5000, min_length=0, load_default="", metadata={"description": "Was gut lief"})
    changes = Text(5000, min_length=0, load_default="", metadata={"description": "Was sich ändert"})
    next_review_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "Becomes the review date of the agreement in force"},
    )
    updated_at = fields.AwareDateTime(dump_only=True)


class AnnualPlanSchema(ma.Schema):
    school_year = fields.String(required=True)
    items = fields.List(fields.Nested(PlanItemSchema), required=True)
    reflection = fields.Nested(ReflectionSchema, allow_none=True, required=True)
