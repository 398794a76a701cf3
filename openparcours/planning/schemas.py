import marshmallow as ma
from marshmallow import fields, validate

from openparcours.accounts.schemas import OrganisationRefSchema


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
