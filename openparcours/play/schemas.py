import re
import uuid
from datetime import datetime
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from openparcours.fields import MAX_ID, Id, Text
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
    play_until = fields.DateTime(
        attribute="visit.play_until",
        allow_none=True,
        metadata={"description": "The game's end: count down to it, then take no answers"},
    )
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
    server_time = fields.DateTime(
        metadata={"description": "The server's clock, for the phone's clock offset"}
    )


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


EVENT_FIELDS = frozenset(EventInSchema._declared_fields)
_EVENT_SCHEMA = EventInSchema()
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)\Z")


def load_event(raw: Any) -> dict:
    """One event of a batch as EventInSchema loads it; raises ma.ValidationError.

    A batch's events are mostly plain and well formed: those are read by hand, the hot path of
    a morning peak. Whatever the hand does not take in at once goes to the schema, which decides
    and words the errors, so both always agree (tests/test_play_events.py holds the cases)."""
    data = _plain_event(raw)
    return data if data is not None else _EVENT_SCHEMA.load(raw)


def _id(value: object, optional: bool = False) -> bool:
    return (optional and value is None) or (type(value) is int and 1 <= value <= MAX_ID)


def _number(value: Any, low: float, high: float) -> bool:
    # NaN fails the comparisons, infinity the range.
    return type(value) in (int, float) and low <= value <= high


def _plain_event(raw: object) -> dict | None:
    """The schema's result for an event in the plain form phones send, or None."""
    if type(raw) is not dict or not raw.keys() <= EVENT_FIELDS:
        return None
    kind, event_id, at = raw.get("type"), raw.get("id"), raw.get("at")
    task_id, answer = raw.get("task_id"), raw.get("answer")
    position, code = raw.get("position"), raw.get("code")
    if (
        kind not in EventInSchema.OPTIONAL
        or type(event_id) is not str
        or not _UUID.match(event_id)
        or type(at) is not str
        or not _TIME.match(at)
        or not _id(raw.get("station_id"))
        or not _id(task_id, optional=True)
        or (task_id is None) != (kind == "checkin")
        or (code is not None and (type(code) is not str or len(code) > 40))
    ):
        return None
    carried = {"answer": answer, "position": position, "code": code}
    if any(v is not None and f not in EventInSchema.OPTIONAL[kind] for f, v in carried.items()):
        return None
    if position is not None:
        if (
            type(position) is not dict
            or not position.keys() <= {"lat", "lon", "accuracy"}
            or not _number(position.get("lat"), -90, 90)
            or not _number(position.get("lon"), -180, 180)
        ):
            return None
        accuracy = position.get("accuracy")
        if accuracy is not None and not _number(accuracy, 0, 100000):
            return None
        position = {
            "lat": float(position["lat"]),
            "lon": float(position["lon"]),
            "accuracy": None if accuracy is None else float(accuracy),
        }
    return {
        "id": uuid.UUID(event_id),
        "type": kind,
        "station_id": raw["station_id"],
        "task_id": task_id,
        "answer": answer,
        "position": position,
        "code": code,
        "at": datetime.fromisoformat(at),
    }


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
    sent_at = fields.AwareDateTime(
        load_default=None,
        metadata={
            "description": "The phone's clock as it sends: events' times are corrected by it"
        },
    )
    messages_read = fields.Integer(
        strict=True,
        load_default=0,
        validate=validate.Range(min=0),
        metadata={"description": "The team has read the teacher's messages up to this id"},
    )


class PhoneMessageSchema(ma.Schema):
    id = fields.Integer()
    text = fields.String()
    sent_at = fields.DateTime()
    to_team = fields.Boolean(metadata={"description": "To this team alone, not to every team"})


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
    messages = fields.List(
        fields.Nested(PhoneMessageSchema),
        metadata={"description": "The teacher's messages the team has not read, oldest first"},
    )
    server_time = fields.DateTime(
        metadata={"description": "The server's clock, for the phone's clock offset"}
    )
    play_until = fields.DateTime(
        allow_none=True, metadata={"description": "The game's end, as the teacher set it now"}
    )


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
