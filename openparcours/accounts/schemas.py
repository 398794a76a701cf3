import marshmallow as ma
from marshmallow import fields

from openparcours.fields import Email, Line
from openparcours.mail.service import LANGUAGES
from openparcours.organisations.models import OrganisationKind, Role


class LoginSchema(ma.Schema):
    email = Email(required=True)
    password = fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class PasswordChangeSchema(ma.Schema):
    current_password = fields.String(required=True, validate=ma.validate.Length(max=1000))
    new_password = fields.String(required=True, validate=ma.validate.Length(max=1000))


class PasswordResetRequestSchema(ma.Schema):
    email = Email(required=True)


class PasswordResetSchema(ma.Schema):
    new_password = fields.String(required=True, validate=ma.validate.Length(max=1000))


class EmailChangeSchema(ma.Schema):
    new_email = Email(required=True)
    password = fields.String(
        required=True,
        validate=ma.validate.Length(max=1000),
        metadata={"description": "The current password"},
    )


class EmailChangedSchema(ma.Schema):
    email = fields.String(metadata={"description": "The account's address from now on"})


class UserSummarySchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)


class OrganisationRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.Enum(OrganisationKind, by_value=True)


class MemberOrganisationSchema(OrganisationRefSchema):
    district = fields.String(
        allow_none=True, metadata={"description": "Whose examples of good practice it reads"}
    )


class MembershipGroupSchema(ma.Schema):
    organisation = fields.Nested(MemberOrganisationSchema)
    roles = fields.List(fields.Enum(Role, by_value=True))


class MeUpdateSchema(ma.Schema):
    language = fields.String(
        required=True,
        validate=ma.validate.OneOf(LANGUAGES),
        metadata={"description": "The language of the mails the user gets"},
    )


class MeSchema(UserSummarySchema):
    language = fields.String(
        dump_only=True, metadata={"description": "The mails' language", "enum": list(LANGUAGES)}
    )
    is_site_admin = fields.Boolean(dump_only=True)
    network_office_district = fields.String(dump_only=True, allow_none=True)
    memberships = fields.List(fields.Nested(MembershipGroupSchema), dump_only=True)
    csrf_token = fields.String(
        dump_only=True,
        metadata={"description": "Send as X-CSRF-Token header on POST, PUT, PATCH and DELETE"},
    )


class NewAccountSchema(ma.Schema):
    email = Email()
    display_name = Line(120)
    password = fields.String(validate=ma.validate.Length(max=1000))
