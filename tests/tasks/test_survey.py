"""Survey: a scale or choices; no right answer, answering earns the credit."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import NOT_ANSWERS, make, paths

CHOICES = [{"id": "a", "text": "Ja"}, {"id": "b", "text": "Nein"}, {"id": "c", "text": "Egal"}]
SCALE = make(
    "survey",
    {"mode": "scale", "scale": {"min": 1, "max": 5, "min_label": "gar nicht", "max_label": "sehr"}},
)
NEGATIVE_SCALE = make("survey", {"mode": "scale", "scale": {"min": -2, "max": 2}})
MANY = make("survey", {"mode": "choices", "multiple": True, "choices": CHOICES})
ONE = make("survey", {"mode": "choices", "multiple": False, "choices": CHOICES})


@pytest.mark.parametrize(
    ("task", "answer"),
    [
        *[(SCALE, answer) for answer in NOT_ANSWERS],
        *[(MANY, answer) for answer in NOT_ANSWERS],
        *[(ONE, answer) for answer in NOT_ANSWERS],
        (SCALE, 0),
        (SCALE, 6),
        (SCALE, True),
        (SCALE, "3"),
        (SCALE, 2.5),
        (SCALE, 3.0),
        (SCALE, 10**400),
        (NEGATIVE_SCALE, -3),
        (MANY, []),
        (MANY, "a"),
        (MANY, ["d"]),
        (MANY, ["a", "a"]),
        (ONE, ["a"]),
        (ONE, "d"),
        (ONE, ""),
        (ONE, 1),
    ],
)
def test_refuses(task, answer):
    with pytest.raises(InvalidAnswer):
        registry.score(task, answer)


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"mode": "free"}, "mode"),
        ({"mode": "scale", "scale": {"min": 5, "max": 1}}, "scale"),
        ({"mode": "scale", "scale": {"min": 3, "max": 3}}, "scale"),
        ({"mode": "scale", "scale": {"min": 0, "max": 100}}, "scale"),
        ({"mode": "scale", "scale": {"min": 1.5, "max": 5}}, "scale"),
        ({"mode": "scale", "scale": {"min": 1, "max": 5, "min_label": "x" * 61}}, "scale"),
        ({"mode": "scale", "scale": {"min": 1, "max": 5, "step": 1}}, "scale"),
        (
            {"mode": "choices", "choices": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]},
            "choices",
        ),
        ({"mode": "choices", "multiple": "yes"}, "multiple"),
        ({"mode": "choices", "right": "a"}, "right"),
    ],
)
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("survey", definition)
    assert field in caught.value.errors["definition"]


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ({}, []),  # a 1 … 5 scale by default
        ({"mode": "choices"}, ["definition/choices"]),
        (
            {"mode": "choices", "choices": [CHOICES[0], {"id": "b", "text": " "}]},
            ["definition/choices/1/text"],
        ),
        ({"mode": "choices", "choices": CHOICES}, []),
    ],
)
def test_problems(definition, expected):
    assert paths(make("survey", definition)) == expected


def test_client_spec_shows_the_scale_or_the_choices_and_has_no_check():
    scale = registry.client_spec(SCALE, 1)
    assert scale["mode"] == "scale"
    assert scale["scale"] == {"min": 1, "max": 5, "min_label": "gar nicht", "max_label": "sehr"}
    choices = registry.client_spec(MANY, 1)
    assert (choices["mode"], choices["choices"], choices["multiple"]) == ("choices", CHOICES, True)
    assert "check" not in scale
    assert "check" not in choices
