"""Multiple choice: partial credit = max(0, (right picks − wrong picks) / right options), whose
cases are in tests/cases/scoring.json; refusals, definitions, what the phone gets."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import NOT_ANSWERS, make, paths, verdict

MULTI = make(
    "multiple_choice",
    {
        "options": [
            {"id": "a", "text": "Förderturm", "correct": True},
            {"id": "b", "text": "Kaue", "correct": True},
            {"id": "c", "text": "Seilscheibe", "correct": True},
            {"id": "d", "text": "Hochofen", "correct": False},
            {"id": "e", "text": "Walzwerk"},
        ]
    },
)


@pytest.mark.parametrize(
    "answer",
    [
        *NOT_ANSWERS,
        [],
        "a",
        ["a", "a"],
        ["z"],
        [1],
        ["a", None],
        ["a", ["b"]],
        ["a" * 41],
        ["a"] * 101,
        ("a", "b"),
    ],
)
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(MULTI, answer)


@pytest.mark.parametrize(
    "definition",
    [
        {"options": [{"id": "a", "text": "x"}, {"id": "a", "text": "y", "correct": True}]},
        {"options": [{"id": "a", "text": "x", "correct": "yes please"}]},
        {"options": [{"id": "a", "text": "x"}], "correct": ["a"]},
    ],
)
def test_definition_structure(definition):
    with pytest.raises(ValidationFailed) as caught:
        make("multiple_choice", definition)
    assert "definition" in caught.value.errors


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["definition/options", "definition/options"]),
        ([{"id": "a", "text": "x"}, {"id": "b", "text": "y"}], ["definition/options"]),
        ([{"id": "a", "text": "x", "correct": True}], ["definition/options"]),
        (
            [{"id": "a", "text": "", "correct": True}, {"id": "b", "text": "y"}],
            ["definition/options/0/text"],
        ),
        ([{"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y"}], []),
    ],
)
def test_problems(options, expected):
    assert paths(make("multiple_choice", {"options": options})) == expected


def test_a_draft_without_right_options_scores_wrong():
    draft = make("multiple_choice", {"options": [{"id": "a", "text": "x"}]})
    assert verdict(draft, ["a"]) == (False, 0)


def test_client_spec_hides_the_flags_in_the_options():
    spec = registry.client_spec(MULTI, 1)
    assert all(set(option) == {"id", "text"} for option in spec["options"])
    assert spec["check"] == {"correct": ["a", "b", "c"]}
