import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from openparcours.fields import Id, Text
from openparcours.trails.schemas import BundleSchema, BundleStationSchema


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
    id = fields.Integer(attribute="visit.id")
    trail_title = fields.String()
    class_label = fields.String(attribute="visit.class_label")
    starts_at = fields.DateTime(attribute="visit.starts_at")
    ends_at = fields.DateTime(attribute="visit.ends_at")
    show_points = fields.Boolean(attribute="visit.show_points")
    share_positions = fields.Boolean(
        attribute="visit.share_positions",
        metadata={"description": "The teacher sees the team's position"},
    )
    leaderboard = fields.Boolean(
        attribute="visit.leaderboard",
        metadata={"description": "The teams see a ranking when the visit is over"},
    )


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
    station_id = Id(required=True)
    task_id = Id(load_default=None, allow_none=True)
    answer = fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={"description": "Shape depends on the task type"},
    )
    position = fields.Nested(PositionSchema, load_default=None, allow_none=True)
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    at = fields.AwareDateTime(required=True, metadata={"description": "The phone's time"})

    # The fields each type may carry: nothing else is stored, so a check-in or a hint cannot
    # bring a payload of its own.
    OPTIONAL = {"checkin": {"code", "position"}, "hint": set(), "answer": {"answer"}}

    @validates_schema
    def complete(self, data, **kwargs):
        if data["type"] in ("answer", "hint") and data.get("task_id") is None:
            raise ma.ValidationError("Answers and hints name their task.", "task_id")
        if data["type"] == "checkin" and data.get("task_id") is not None:
            raise ma.ValidationError("A check-in names no task.", "task_id")
        for field in ("answer", "position", "code"):
            if data.get(field) is not None and field not in self.OPTIONAL[data["type"]]:
                raise ma.ValidationError(f"A {data['type']} has no {field}.", field)


class SyncSchema(ma.Schema):
    position = fields.Nested(
        PositionSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "Where the phone is now; kept only if the visit shares positions"},
    )
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
    field_codes = fields.Dict(
        data_key="fields",
        attribute="fields",
        metadata={"description": "Each field's problems as codes: {path: [{code, params}]}"},
    )


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


class RankedTeamSchema(ma.Schema):
    rank = fields.Integer(metadata={"description": "Equal points share a rank"})
    name = fields.String()
    points = fields.Integer()
    own = fields.Boolean(metadata={"description": "The team asking"})


class RankingSchema(ma.Schema):
    teams = fields.List(fields.Nested(RankedTeamSchema), metadata={"description": "Best first"})
    show_points = fields.Boolean()


class PlayStationSchema(BundleStationSchema):
    code_sha256 = fields.String(
        metadata={"description": "SHA-256 (hex) of the station's code, to check a scan offline"}
    )


class PlayBundleSchema(BundleSchema):
    visit = fields.Nested(VisitSummarySchema)
    team = fields.Nested(TeamSchema)
    version = fields.Integer(metadata={"description": "The trail version the visit plays"})
    stations = fields.List(fields.Nested(PlayStationSchema))
