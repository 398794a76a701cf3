"""A batch's plain events are read by hand (`load_event`), all others by EventInSchema: the
hand must give exactly the schema's result, and leave to the schema what it does not take."""

import pytest
from marshmallow import ValidationError

from openparcours.play.schemas import EventInSchema, _plain_event, load_event

ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
AT = "2026-12-07T09:00:00Z"


def base(kind="answer", **fields):
    event = {"id": ID, "type": kind, "station_id": 3, "at": AT}
    if kind != "checkin":
        event["task_id"] = 7
    return event | fields


# (event, read by hand?)
CASES = [
    (base(answer="b"), True),
    (base(answer={"items": [3, 1, 2]}), True),
    (base(answer=None), True),
    (base(answer=[1.5, "x", None, True]), True),
    (base("hint"), True),
    (base("checkin"), True),
    (base("checkin", code="AB12"), True),
    (base("checkin", code="x" * 40), True),
    (base("checkin", position={"lat": 51.5, "lon": 7}), True),
    (base("checkin", position={"lat": -90, "lon": 180.0, "accuracy": 12}), True),
    (base("checkin", position={"lat": 1, "lon": 2, "accuracy": None}), True),
    (base("checkin", position=None, code=None, task_id=None, answer=None), True),
    (base(at="2026-12-07T10:00:00.123+01:00"), True),
    (base(at="2026-12-07T10:00:00.123456-05:30"), True),
    (base(station_id=2**31 - 1), True),
    # Left to the schema, which takes them...
    (base(id=ID.upper()), False),
    (base(id=ID.replace("-", "")), False),
    (base(at="2026-12-07 09:00:00+00:00"), False),
    (base("checkin", position={"lat": "51.5", "lon": 7}), False),
    # ...or refuses them.
    ("just a string", False),
    ([], False),
    ({}, False),
    (base(id="not-a-uuid"), False),
    (base(id=None), False),
    (base(type="photo"), False),
    (base(at="2026-12-07T09:00:00"), False),
    (base(at="yesterday"), False),
    (base(at=1765098000), False),
    (base(station_id=0), False),
    (base(station_id=2**31), False),
    (base(station_id="3"), False),
    (base(station_id=True), False),
    (base(station_id=3.0), False),
    (base(task_id=None), False),
    (base("hint", task_id=None), False),
    (base("checkin", task_id=7), False),
    (base("checkin", answer={"text": "x"}), False),
    (base("hint", answer="b"), False),
    (base("hint", code="ABCD"), False),
    (base("hint", position={"lat": 51.0, "lon": 7.0}), False),
    (base(code="ABCD"), False),
    (base(correct=True, points=1000), False),
    (base("checkin", code="x" * 41), False),
    (base("checkin", code=12), False),
    (base("checkin", position={"lat": 91, "lon": 7}), False),
    (base("checkin", position={"lat": float("nan"), "lon": 7}), False),
    (base("checkin", position={"lat": 1, "lon": float("inf")}), False),
    (base("checkin", position={"lat": 10**400, "lon": 7}), False),
    (base("checkin", position={"lat": 1, "lon": 2, "accuracy": -1}), False),
    (base("checkin", position={"lat": 1}), False),
    (base("checkin", position={"lat": 1, "lon": 2, "altitude": 3}), False),
    (base("checkin", position=[1, 2]), False),
]


def says(load, raw):
    """What `load` makes of `raw`: the event, or the errors."""
    try:
        return load(raw)
    except ValidationError as error:
        return error.normalized_messages()


@pytest.mark.parametrize(("raw", "by_hand"), CASES)
def test_the_hand_reads_plain_events_as_the_schema_does(raw, by_hand):
    plain = _plain_event(raw)
    assert (plain is not None) == by_hand
    expected = says(EventInSchema().load, raw)
    if by_hand:
        assert plain == expected
        assert plain["at"].utcoffset() == expected["at"].utcoffset()
    assert says(load_event, raw) == expected
