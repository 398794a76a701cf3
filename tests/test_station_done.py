"""When a team is done at a station: the cases the phone is tested with too."""

import json
from pathlib import Path

import pytest

from openparcours.visits.activity import Activity, Work

TABLE = json.loads((Path(__file__).parent / "cases" / "station_done.json").read_text())
TEAM = 1
WORK = {"finished": Work(attempts=1, right=True), "tried": Work(attempts=1)}


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda case: case["name"])
def test_a_station_is_done(case):
    station = {
        "id": 5,
        "checkin": case["checkin"],
        "tasks": [{"id": 10 + n, "max_attempts": 2} for n in range(len(case["tasks"]))],
    }
    work = {
        (TEAM, task["id"]): WORK[state]
        for task, state in zip(station["tasks"], case["tasks"], strict=True)
        if state != "untouched"
    }
    checked_in = {(TEAM, station["id"])} if case["checked_in"] else set()
    found = Activity(work, checked_in, {}, {})
    assert found.station_done(TEAM, station) is case["done"]
    assert found.stations_done(TEAM, [station, station]) == 2 * case["done"]
