import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from server.fields import Text
from server.trails.schemas import BundleSchema, BundleStationSchema


class VisitCreateSchema(ma.Schema):
    trail_id = fields.Integer(strict=True, required=True)
    class_label = Text(60, required=True, metadata={"description": "e.g. 7b"})
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    show_points = fields.Boolean(load_default=True)
    leaderboard = fields.Boolean(load_default=False)
    retention_days = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(1, 3650),
        metadata={"description": "Days until teams, events and photos are deleted"},
    )


class VisitUpdateSchema(ma.Schema):
    closed = fields.Boolean(required=True)


class VisitSchema(ma.Schema):
    id = fields.Integer()
    trail_id = fields.Integer()
    trail_title = fields.String(attribute="trail.title")
    version = fields.Integer(attribute="version.number")
    class_label = fields.String()
    join_code = fields.String()
    join_url = fields.String(metadata={"description": "Opens the join screen with the code"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    show_points = fields.Boolean()
    leaderboard = fields.Boolean()
    retention_days = fields.Integer()
    data_deleted_at = fields.DateTime(allow_none=True)
    summary = fields.Dict(
        allow_none=True,
        metadata={"description": "Anonymous counts kept after the data is deleted"},
    )


class JoinSchema(ma.Schema):
    code = Text(
        20, metadata={"description": "The join code; spaces and case do not matter"}, required=True
    )
    team_name = Text(40, required=True)
    players = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 10))


class TeamSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    players = fields.Integer()


class VisitSummarySchema(ma.Schema):
    id = fields.Integer()
    trail_title = fields.String()
    class_label = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    show_points = fields.Boolean()


class JoinResultSchema(ma.Schema):
    token = fields.String(metadata={"description": "Send as Authorization: Bearer <token>"})
    team = fields.Nested(TeamSchema)
    visit = fields.Nested(VisitSummarySchema)


class PositionSchema(ma.Schema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(required=True, validate=validate.Range(-180, 180), allow_nan=False)
    accuracy = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, 100000))


class EventInSchema(ma.Schema):
    """One event as the phone made it."""

    id = fields.UUID(
        required=True, metadata={"description": "Made by the phone; resending is safe"}
    )
    type = fields.String(required=True, validate=validate.OneOf(["checkin", "answer", "hint"]))
    station_id = fields.Integer(strict=True, required=True)
    task_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    answer = fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={"description": "Shape depends on the task type"},
    )
    position = fields.Nested(PositionSchema, load_default=None, allow_none=True)
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    at = fields.AwareDateTime(required=True, metadata={"description": "The phone's time"})

    @validates_schema
    def complete(self, data, **kwargs):
        if data["type"] in ("answer", "hint") and data.get("task_id") is None:
            raise ma.ValidationError("Answers and hints name their task.", "task_id")


class SyncSchema(ma.Schema):
    events = fields.List(
        fields.Raw(),
        required=True,
        validate=validate.Length(max=500),
        metadata={
            "description": "PlayEvent objects; each is checked on its own, so one bad "
            "event does not stop the others"
        },
    )


class RefusedEventSchema(ma.Schema):
    id = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()
    errors = fields.Dict()


class EventResultSchema(ma.Schema):
    id = fields.String()
    type = fields.String()
    correct = fields.Boolean(allow_none=True)
    points = fields.Integer()


class SyncResultSchema(ma.Schema):
    acked = fields.List(fields.String(), metadata={"description": "Stored (now or before)"})
    refused = fields.List(fields.Nested(RefusedEventSchema))
    results = fields.List(fields.Nested(EventResultSchema))
    score = fields.Integer(metadata={"description": "The team's points, as the server counts"})


class PlayStationSchema(BundleStationSchema):
    code_sha256 = fields.String(
        metadata={"description": "SHA-256 (hex) of the station's code, to check a scan offline"}
    )


class PlayBundleSchema(BundleSchema):
    visit = fields.Nested(VisitSummarySchema)
    team = fields.Nested(TeamSchema)
    version = fields.Integer(metadata={"description": "The trail version the visit plays"})
    stations = fields.List(fields.Nested(PlayStationSchema))


class LiveStationSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()


class LiveTeamSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    players = fields.Integer()
    points = fields.Integer()
    last_sync_at = fields.DateTime(allow_none=True)
    silent = fields.Boolean(metadata={"description": "Nothing heard for over five minutes"})
    stations = fields.List(
        fields.String(),
        metadata={"description": "Per station, in order: open, checked_in, done or review"},
    )


class LiveBoardSchema(ma.Schema):
    stations = fields.List(fields.Nested(LiveStationSchema))
    teams = fields.List(fields.Nested(LiveTeamSchema))
