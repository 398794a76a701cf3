import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from openparcours.accounts.schemas import OrganisationRefSchema
from openparcours.fields import Email, Id, Text
from openparcours.organisations.schemas import ContactSchema


class MessageBodySchema(ma.Schema):
    body = Text(10_000, required=True, metadata={"description": "Markdown"})


class AttachmentUploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "A PDF or an image"})


class AttachmentSchema(ma.Schema):
    id = fields.Integer()
    filename = fields.String()
    mime = fields.String(metadata={"description": "application/pdf or image/webp"})
    size = fields.Integer(metadata={"description": "Bytes"})
    url = fields.String(dump_only=True, metadata={"description": "For the thread's readers"})


class MessageSchema(ma.Schema):
    id = fields.Integer()
    organisation = fields.Nested(OrganisationRefSchema, metadata={"description": "The side"})
    author_id = fields.Integer(allow_none=True)
    author_name = fields.String()
    body = fields.String(metadata={"description": "Markdown"})
    body_html = fields.String(metadata={"description": "The body rendered and sanitised"})
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True, metadata={"description": "Shown as edited"})
    attachments = fields.List(fields.Nested(AttachmentSchema))


class NewsCreateSchema(ma.Schema):
    title = Text(200, required=True)
    text = Text(5000, required=True, metadata={"description": "Markdown"})
    link = fields.URL(
        schemes={"https", "http"},
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=300),
    )
    happens_on = fields.Date(
        allow_none=True, load_default=None, metadata={"description": "The day it is about"}
    )
    public_from = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "From when everyone reads it; none: partner schools only"},
    )


class NewsSchema(NewsCreateSchema):
    id = fields.Integer(dump_only=True)
    institution = fields.Nested(OrganisationRefSchema, dump_only=True)
    text_html = fields.String(dump_only=True)
    published_at = fields.DateTime(dump_only=True)


class HandoverCreateSchema(ma.Schema):
    organisation_id = Id(required=True, metadata={"description": "The side whose contact leaves"})
    predecessor_email = Email(required=True, metadata={"description": "The leaving contact's"})
    successor_id = Id(required=True, metadata={"description": "A member of that side"})
    role = Text(
        120,
        min_length=0,
        load_default=None,
        allow_none=True,
        metadata={"description": "The successor's role; none: the predecessor's"},
    )


class HandoverSchema(ma.Schema):
    id = fields.Integer()
    organisation = fields.Nested(OrganisationRefSchema)
    predecessor = fields.Nested(ContactSchema)
    successor = fields.Nested(ContactSchema)
    handed_over_at = fields.DateTime()
