"""Number: refusals, definitions, what the phone gets; reading numbers as people type them and
the tolerance at the boundary are cases in tests/cases/scoring.json."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import HUGE_LIST, HUGE_TEXT, make, paths

YEAR = make("number", {"value": 1936})
HEIGHT = make("number", {"value": 62.5, "tolerance": 0.5, "unit": "m"})


@pytest.mark.parametrize(
    "answer",
    [
        True,
        False,
        None,
        [],
        [62.5],
        {"value": 62.5},
        float("nan"),
        float("inf"),
        float("-inf"),
        "x" * 101,
        HUGE_TEXT,
        HUGE_LIST,
        10**400,
        -(10**400),
        10**16,
        1e16,
        "1" * 17,
    ],
)
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(HEIGHT, answer)


def test_without_a_unit_a_unit_is_not_a_number():
    with pytest.raises(InvalidAnswer):
        registry.score(YEAR, "1936 m")


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"value": "viel"}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": float("inf")}, "value"),
        ({"value": 10**400}, "value"),
        ({"value": 1e16}, "value"),
        ({"value": 1, "tolerance": -0.1}, "tolerance"),
        ({"value": 1, "tolerance": 10**400}, "tolerance"),
        ({"value": 1, "tolerance": 2, "tolerance_kind": "relative"}, "tolerance"),
        ({"value": 1, "tolerance_kind": "percent"}, "tolerance_kind"),
        ({"value": 1, "unit": "x" * 21}, "unit"),
        ({"value": 1, "digits": 2}, "digits"),
    ],
)
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("number", definition)
    assert field in caught.value.errors["definition"]


def test_definition_defaults_and_blank_unit():
    assert make("number", {"value": 3, "unit": "  "})["definition"] == {
        "value": 3.0,
        "tolerance": 0,
        "tolerance_kind": "absolute",
        "unit": None,
    }


def test_a_draft_needs_its_value_and_scores_wrong_meanwhile():
    draft = make("number", {})
    assert paths(draft) == ["definition/value"]
    assert registry.score(draft, 5).correct is False
    assert paths(HEIGHT) == []


def test_client_spec_shows_the_unit_and_checks_value_and_tolerance():
    spec = registry.client_spec(HEIGHT, 1)
    assert spec["unit"] == "m"
    assert spec["check"] == {"value": 62.5, "tolerance": 0.5, "tolerance_kind": "absolute"}
