import marshmallow as ma
from marshmallow import fields

from openparcours.mail.models import MailState


class OutboxMailSchema(ma.Schema):
    id = fields.Integer()
    recipient = fields.String()
    subject = fields.String()
    state = fields.Enum(MailState, by_value=True)
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
