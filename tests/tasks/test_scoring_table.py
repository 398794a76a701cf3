"""The server against the scoring cases that the phone's check.test.ts reads too."""

import json
from pathlib import Path

import pytest

from openparcours.play.judging import Refused, distance_m, judge
from openparcours.tasks import registry
from openparcours.tasks.free_text import normalise, tolerance_for, within_distance
from openparcours.tasks.number import parse_number
from openparcours.tasks.registry import InvalidAnswer, points_awarded
from openparcours.trails.service import normalise_code
from tests.tasks.build import make, verdict

TABLE = json.loads((Path(__file__).parents[1] / "cases" / "scoring.json").read_text())
TASKS = {name: make(entry["type"], entry["definition"]) for name, entry in TABLE["tasks"].items()}


def cases(section: str):
    rows = TABLE[section]["cases"]
    return pytest.mark.parametrize("case", rows, ids=[json.dumps(row)[:80] for row in rows])


@pytest.mark.parametrize("name", sorted(TABLE["tasks"]))
def test_the_phone_gets_what_the_table_gives_it(name):
    spec = registry.client_spec(TASKS[name], seed=1)
    assert {key: spec[key] for key in ("check", "unit") if key in spec} == TABLE["tasks"][name][
        "phone"
    ]


@cases("answers")
def test_answers(case):
    assert verdict(TASKS[case["task"]], case["answer"]) == (case["correct"], case["credit"])


@cases("points")
def test_points(case):
    hints = [{"text": "Tipp", "cost": cost} for cost in case["hint_costs"]]
    definition = {"options": [{"id": "a", "text": "x"}], "correct": "a"}
    task = make(
        "single_choice",
        definition,
        points=case["points"],
        max_attempts=case["max_attempts"],
        hints=hints,
    )
    awarded = points_awarded(task, case["credit"], case["attempt"], case["hints_used"])
    assert awarded == case["awarded"]


@cases("normalised")
def test_normalised(case):
    typed, expected = case
    assert normalise(typed) == expected


@cases("typo_edits")
def test_typo_edits(case):
    accepted, edits = case
    assert tolerance_for(accepted) == edits


@cases("within_distance")
def test_within_distance(case):
    a, b, limit, within = case
    assert within_distance(a, b, limit) is within
    assert within_distance(b, a, limit) is within


@cases("numbers")
def test_numbers(case):
    if case["value"] is None:
        with pytest.raises(InvalidAnswer):
            parse_number(case["text"], case["unit"])
    else:
        assert parse_number(case["text"], case["unit"]) == case["value"]


@cases("station_codes")
def test_station_codes(case):
    typed, code = case
    assert normalise_code(typed) == code


@cases("reach")
def test_reach(case):
    station = {"id": 1, "checkin": "gps", "tasks": []} | TABLE["reach"]["station"]
    event = {"type": "checkin", "station_id": 1, "position": case["position"]}
    stations = {1: station}
    if case["in_reach"]:
        assert judge(event, stations, lambda _: False, lambda _: False) == (True, 1.0)
    else:
        with pytest.raises(Refused) as refused:
            judge(event, stations, lambda _: False, lambda _: False)
        assert refused.value.code == "too_far"


@cases("metres")
def test_metres(case):
    assert distance_m(*case["from"], *case["to"]) == pytest.approx(case["metres"], abs=0.001)
