import marshmallow as ma
from marshmallow import fields

from openparcours.registry.schemas import TableSourceSchema


class SubjectSchema(ma.Schema):
    name = fields.String(required=True)
    stages = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "primar (1–4), sek1 (5–10), sek2 (11–13)"},
    )
    year_groups = fields.List(fields.Integer(), required=True)


class MediaCompetenceSchema(ma.Schema):
    key = fields.String(required=True, metadata={"description": 'e.g. "2.1"'})
    name = fields.String(required=True)


class MediaCompetenceAreaSchema(MediaCompetenceSchema):
    competences = fields.List(fields.Nested(MediaCompetenceSchema), required=True)


class CurriculumTablesSchema(ma.Schema):
    sources = fields.List(fields.Nested(TableSourceSchema), required=True)
    subjects = fields.List(fields.Nested(SubjectSchema), required=True)
    year_groups = fields.List(fields.Integer(), required=True)
    media_competences = fields.List(
        fields.Nested(MediaCompetenceAreaSchema),
        required=True,
        metadata={"description": "The Medienkompetenzrahmen NRW: six areas of four competences"},
    )
