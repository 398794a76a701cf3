import marshmallow as ma
from marshmallow import fields, validate

from openparcours.organisations.models import OrganisationKind, SchoolForm
from openparcours.partnerships.models import Side
from openparcours.practice.service import What


class ConsentSchema(ma.Schema):
    by = fields.String(
        required=True, allow_none=True, metadata={"description": "None: the account is gone"}
    )
    at = fields.AwareDateTime(required=True)


class ShareableSchema(ma.Schema):
    what = fields.Enum(What, by_value=True, required=True)
    school_year = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Of a reflection: 2026 is 2026/27"}
    )
    available = fields.Boolean(
        required=True,
        metadata={"description": "Something to show: an agreement in force, a written reflection"},
    )
    school = fields.Nested(ConsentSchema, required=True, allow_none=True)
    institution = fields.Nested(ConsentSchema, required=True, allow_none=True)
    shown = fields.Boolean(required=True, metadata={"description": "On the district's page now"})


class SharingSchema(ma.Schema):
    items = fields.List(fields.Nested(ShareableSchema), required=True)
    sides = fields.List(
        fields.Enum(Side, by_value=True),
        required=True,
        metadata={"description": "The sides I consent for"},
    )


class ConsentUpdateSchema(ma.Schema):
    what = fields.Enum(What, by_value=True, required=True)
    school_year = fields.Integer(
        strict=True,
        load_default=None,
        validate=validate.Range(2000, 2100),
        metadata={"description": "The reflection's school year (2026 is 2026/27)"},
    )
    side = fields.Enum(
        Side,
        by_value=True,
        load_default=None,
        metadata={"description": "Needed only by admins of both sides"},
    )
    shared = fields.Boolean(required=True, metadata={"description": "false withdraws at once"})


class ExampleSchoolSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    kind_name = fields.String(required=True, metadata={"description": "German, e.g. Schule"})
    school_form = fields.Enum(SchoolForm, by_value=True, required=True, allow_none=True)
    school_form_name = fields.String(required=True, metadata={"description": "German"})
    municipality = fields.String(required=True, allow_none=True)


class ExampleInstitutionSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    kind_name = fields.String(required=True, metadata={"description": "German, e.g. Museum"})
    municipality = fields.String(required=True, allow_none=True)


class ExampleOfferSchema(ma.Schema):
    title = fields.String(required=True)
    description = fields.String(required=True)
    subjects = fields.List(fields.String(), required=True)
    year_groups = fields.List(fields.Integer(), required=True)
    media_competences = fields.List(
        fields.String(), required=True, metadata={"description": "Medienkompetenzrahmen NRW"}
    )


class ExampleAnchoringSchema(ma.Schema):
    year_group = fields.Integer(required=True)
    subject = fields.String(required=True)
    teaching_unit = fields.String(required=True, metadata={"description": "Unterrichtsvorhaben"})
    offer = fields.String(required=True)
    media_competences = fields.List(fields.String(), required=True)
    term = fields.Integer(required=True, allow_none=True, metadata={"description": "Halbjahr"})


class ExampleReflectionSchema(ma.Schema):
    school_year = fields.String(required=True, metadata={"description": "e.g. 2026/27"})
    went_well = fields.String(required=True, metadata={"description": "Was gut lief"})
    changes = fields.String(required=True, metadata={"description": "Was sich ändert"})


class ExampleSchema(ma.Schema):
    school = fields.Nested(ExampleSchoolSchema, required=True)
    institution = fields.Nested(ExampleInstitutionSchema, required=True)
    offers = fields.List(
        fields.Nested(ExampleOfferSchema),
        required=True,
        metadata={"description": "Of the agreement in force, if both sides share them"},
    )
    anchoring = fields.List(fields.Nested(ExampleAnchoringSchema), required=True)
    reflections = fields.List(fields.Nested(ExampleReflectionSchema), required=True)


class GoodPracticeSchema(ma.Schema):
    district = fields.String(required=True)
    examples = fields.List(fields.Nested(ExampleSchema), required=True)
