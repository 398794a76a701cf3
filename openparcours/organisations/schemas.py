import marshmallow as ma
from marshmallow import fields, validate

from openparcours.accounts.schemas import NewAccountSchema, OrganisationRefSchema, UserSummarySchema
from openparcours.fields import Email, Line, Text
from openparcours.organisations.models import OrganisationKind, Role, SchoolForm


class ContactSchema(ma.Schema):
    name = Text(120, required=True)
    role = Text(120, min_length=0, load_default="")
    email = Email(load_default=None, allow_none=True)
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()/-]{3,30}$")
    )


class OrganisationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    name = Line(200, required=True)
    slug = fields.String(
        validate=[validate.Length(min=2, max=80), validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$")],
        metadata={"description": "Short name for URLs and the command line; made from the name"},
    )
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    school_form = fields.Enum(SchoolForm, by_value=True, allow_none=True, load_default=None)
    street = Text(200, allow_none=True, load_default=None)
    postcode = fields.String(
        allow_none=True, load_default=None, validate=validate.Regexp(r"^\d{5}$")
    )
    municipality = Text(120, allow_none=True, load_default=None)
    district = Text(120, allow_none=True, load_default=None)
    lat = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-180, 180))
    schulnummer = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(r"^\d{6}$"),
        metadata={"description": "A school's number in the state's school list (six digits)"},
    )
    description = Text(5000, min_length=0, load_default="", metadata={"description": "Markdown"})
    opening_hours = Text(
        1000,
        min_length=0,
        load_default="",
        metadata={"description": "As visitors read them, e.g. Di–So 10–18 Uhr"},
    )
    website = fields.URL(
        schemes={"https", "http"},
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=300),
    )
    contacts = fields.List(
        fields.Nested(ContactSchema), validate=validate.Length(max=10), load_default=list
    )


class OrganisationUpdateSchema(OrganisationSchema):
    """Any subset of an organisation's fields; use with `partial=True`."""


class OrganisationQuerySchema(ma.Schema):
    kind = fields.Enum(OrganisationKind, by_value=True)
    district = fields.String(validate=validate.Length(max=120))


class MemberSchema(ma.Schema):
    user = fields.Nested(UserSummarySchema)
    roles = fields.List(fields.Enum(Role, by_value=True))
    email_failing = fields.Boolean(
        metadata={"description": "Mail to this address was refused: the member needs a new one"}
    )


class MemberRolesSchema(ma.Schema):
    roles = fields.List(
        fields.Enum(Role, by_value=True), required=True, validate=validate.Length(min=1, max=3)
    )


class InviteCreateSchema(ma.Schema):
    role = fields.Enum(Role, by_value=True, required=True)
    email = Email(
        allow_none=True,
        load_default=None,
        metadata={"description": "The invite goes there by mail; only this address accepts it"},
    )


class InviteSchema(ma.Schema):
    id = fields.Integer()
    role = fields.Enum(Role, by_value=True)
    email = fields.String(allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()


class CreatedInviteSchema(InviteSchema):
    url = fields.String(
        allow_none=True,
        metadata={
            "description": "The one-time link, shown only now (only its hash is stored); none "
            "for an invitation by mail, whose link goes to that address alone"
        },
    )


class InvitePreviewSchema(ma.Schema):
    organisation = fields.Nested(OrganisationRefSchema)
    role = fields.Enum(Role, by_value=True)
    email = fields.String(allow_none=True)
    expires_at = fields.DateTime()


class InviteTokenSchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


class InviteAcceptSchema(NewAccountSchema, InviteTokenSchema):
    """The token; when not logged in also the new account's name, password and e-mail (which
    an invitation naming an address does not need)."""
