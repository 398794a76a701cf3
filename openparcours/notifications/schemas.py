import marshmallow as ma
from marshmallow import fields, validate

from openparcours.notifications.models import Delivery, Kind


class NotificationSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.Enum(Kind, by_value=True)
    params = fields.Dict(
        keys=fields.String(),
        metadata={"description": "What the kind's text names: names, dates, counts"},
    )
    link = fields.String(metadata={"description": "The app's path of what it is about"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class UnreadCountSchema(ma.Schema):
    unread = fields.Integer()


class PreferenceSchema(ma.Schema):
    kind = fields.Enum(Kind, by_value=True, required=True)
    delivery = fields.Enum(
        Delivery,
        by_value=True,
        required=True,
        metadata={"description": "Mail at once, in the daily digest, or only in the app"},
    )
    default = fields.Enum(Delivery, by_value=True, dump_only=True)


class PreferencesSchema(ma.Schema):
    preferences = fields.List(
        fields.Nested(PreferenceSchema),
        required=True,
        validate=validate.Length(max=len(Kind)),
    )
