"""Single choice: one option id; unknown ids and other shapes are refused."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import NOT_ANSWERS, make, paths, verdict

OPTIONS = [{"id": "a", "text": "Kohle"}, {"id": "b", "text": "Erz"}, {"id": "c", "text": "Salz"}]
SINGLE = make("single_choice", {"options": OPTIONS, "correct": "a"})


@pytest.mark.parametrize(
    "answer", [*NOT_ANSWERS, "", " a", "A", "a\n", "z", ["a"], 0, 1, "a" * 41, "ä"]
)
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(SINGLE, answer)


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"options": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}, "options"),
        ({"options": [{"id": "a b", "text": "x"}]}, "options"),
        ({"options": [{"id": "a\n", "text": "x"}]}, "options"),
        ({"options": [{"id": "", "text": "x"}]}, "options"),
        ({"options": [{"id": "x" * 41, "text": "x"}]}, "options"),
        ({"options": [{"text": "x"}]}, "options"),
        ({"options": [{"id": 1, "text": "x"}]}, "options"),
        ({"options": [{"id": "a", "text": "x" * 501}]}, "options"),
        ({"options": [{"id": "a", "text": "x", "correct": True}]}, "options"),
        ({"options": [{"id": str(n), "text": "x"} for n in range(13)]}, "options"),
        ({"options": {"a": "x"}}, "options"),
        ({"correct": 1}, "correct"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("single_choice", definition)
    assert field in caught.value.errors["definition"]


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ({}, ["definition/options", "definition/correct"]),
        ({"options": OPTIONS[:1], "correct": "a"}, ["definition/options"]),
        ({"options": OPTIONS, "correct": None}, ["definition/correct"]),
        ({"options": OPTIONS, "correct": "z"}, ["definition/correct"]),
        (
            {"options": [*OPTIONS, {"id": "d", "text": "  "}], "correct": "a"},
            ["definition/options/3/text"],
        ),
        ({"options": OPTIONS, "correct": "a"}, []),
    ],
)
def test_problems(definition, expected):
    assert paths(make("single_choice", definition)) == expected


def test_a_draft_without_a_right_option_scores_wrong_rather_than_crashing():
    assert verdict(make("single_choice", {"options": OPTIONS}), "a") == (False, 0)


def test_client_spec_keeps_the_order_and_checks_the_id():
    spec = registry.client_spec(SINGLE, 1)
    assert spec["options"] == OPTIONS
    assert spec["check"] == {"correct": "a"}


def test_option_texts_may_be_any_unicode():
    texts = ["Glück auf! ⛏️", "مرحبا", "שָׁלוֹם", "e\u0301té", "🙂" * 100]
    options = [{"id": f"o{n}", "text": text} for n, text in enumerate(texts)]
    task = make("single_choice", {"options": options, "correct": "o1"})
    assert registry.client_spec(task, 1)["options"] == options
    assert verdict(task, "o1") == (True, 1)
