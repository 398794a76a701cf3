import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from openparcours.registry import tables


class SchoolListUploadSchema(ma.Schema):
    file = Upload(
        required=True,
        metadata={"description": "schuldaten.csv of the Schulgrunddaten NRW (UTF-8, `sep=;`)"},
    )


class ImportQuerySchema(ma.Schema):
    check = fields.Boolean(
        load_default=False,
        metadata={"description": "Only check the file and report what would change"},
    )


class RowProblemSchema(ma.Schema):
    line = fields.Integer(required=True, metadata={"description": "Counted from 1"})
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In English, for logs"})
    params = fields.Dict(keys=fields.String(), values=fields.Raw())


class ImportReportSchema(ma.Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    other_districts = fields.Integer(
        required=True, metadata={"description": "Rows of other districts, left to their offices"}
    )
    problems = fields.List(
        fields.Nested(RowProblemSchema),
        required=True,
        metadata={"description": "Rows left out, by line"},
    )
    saved = fields.Boolean(required=True)


class RegisteredSchoolSchema(ma.Schema):
    schulnummer = fields.String(required=True)
    name = fields.String(required=True)
    short_name = fields.String(required=True)
    school_form_key = fields.String(required=True)
    school_form_name = fields.Function(
        lambda school: tables.school_form_name(school.school_form_key),
        required=True,
        metadata={"type": "string", "description": "German; an unknown key as “Schulform 99”"},
    )
    postcode = fields.String(required=True)
    municipality = fields.String(required=True)
    street = fields.String(required=True)
    district = fields.String(required=True)
    municipality_key = fields.String(required=True)
    public = fields.Boolean(required=True)
    email = fields.String(required=True)
    website = fields.String(required=True)
    opened_on = fields.Date(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    updated_at = fields.AwareDateTime(required=True)


class SchoolQuerySchema(ma.Schema):
    district = fields.String(validate=validate.Length(max=120))
    school_form_key = fields.String(validate=validate.Regexp(r"^\d{1,4}$"))
    municipality = fields.String(validate=validate.Length(max=120))
    q = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "Part of the name, or the Schulnummer"},
    )


class TableSourceSchema(ma.Schema):
    title = fields.String(required=True)
    source = fields.String(required=True)
    version = fields.String(required=True)


class SchoolFormSchema(ma.Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)


class ReferenceTablesSchema(ma.Schema):
    sources = fields.List(fields.Nested(TableSourceSchema), required=True)
    districts = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Kreisschlüssel → the district's name"},
    )
    school_forms = fields.List(fields.Nested(SchoolFormSchema), required=True)
