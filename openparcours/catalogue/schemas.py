import marshmallow as ma
from marshmallow import fields, validate

from openparcours.curriculum.schemas import MediaCompetenceAreaSchema, MediaCompetenceSchema
from openparcours.curriculum.tables import media_competence_keys
from openparcours.organisations.models import OrganisationKind

INSTITUTION_KINDS = [kind.value for kind in OrganisationKind if kind != OrganisationKind.school]


class InstitutionFilterSchema(ma.Schema):
    district = fields.String(validate=validate.Length(max=120))
    municipality = fields.String(validate=validate.Length(max=120))
    kind = fields.String(validate=validate.OneOf(INSTITUTION_KINDS))


class CatalogueQuerySchema(InstitutionFilterSchema):
    subject = fields.String(
        validate=validate.Length(max=60),
        metadata={"description": "Of the trail or one of its stations"},
    )
    competence = fields.String(
        validate=validate.OneOf(media_competence_keys()),
        metadata={
            "description": 'A key of the Medienkompetenzrahmen NRW ("2.1"), of the trail or one '
            "of its stations"
        },
    )
    grade = fields.Integer(validate=validate.Range(1, 13))
    language = fields.String(validate=validate.OneOf(["de", "en"]))
    q = fields.String(
        validate=validate.Length(max=100), metadata={"description": "Words in title or text"}
    )


class CatalogueInstitutionSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    slug = fields.String()
    kind = fields.String(attribute="kind.value")
    municipality = fields.String(allow_none=True)
    district = fields.String(allow_none=True)


class CatalogueOfferSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.Function(
        lambda trail: trail.description[:300] + ("…" if len(trail.description) > 300 else ""),
        metadata={"description": "The beginning of the trail's description", "type": "string"},
    )
    subjects = fields.List(
        fields.String(),
        attribute="tags.subjects",
        metadata={"description": "The trail's subjects, then its stations'"},
    )
    grades = fields.List(fields.Integer(), attribute="tags.grades")
    media_competences = fields.List(
        fields.Nested(MediaCompetenceSchema),
        attribute="tags.media_competences",
        metadata={"description": "Of the trail and its stations, in the table's order"},
    )
    language = fields.String()
    duration_minutes = fields.Integer(allow_none=True)
    station_count = fields.Integer()
    cover_url = fields.String(allow_none=True)
    cover_alt = fields.String(allow_none=True)
    institution = fields.Nested(CatalogueInstitutionSchema, attribute="organisation")


class CatalogueFiltersSchema(ma.Schema):
    districts = fields.List(fields.String())
    municipalities = fields.List(fields.String())
    kinds = fields.List(fields.String())
    subjects = fields.List(fields.String())
    grades = fields.List(fields.Integer())
    media_competences = fields.List(
        fields.Nested(MediaCompetenceAreaSchema),
        metadata={
            "description": "The areas of the Medienkompetenzrahmen, with the competences "
            "that offers teach"
        },
    )
    languages = fields.List(fields.String())
