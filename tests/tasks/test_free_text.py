"""Free text: refusals, limits, definitions; how answers compare is in tests/cases/scoring.json."""

import time

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import HUGE_LIST, HUGE_TEXT, make, paths

FREE = make("free_text", {"accepted": ["Förderturm", "Fördergerüst"], "typo_tolerance": True})


@pytest.mark.parametrize(
    "answer",
    [
        None,
        5,
        5.0,
        True,
        ["Förderturm"],
        {"text": "Förderturm"},
        "x" * 2001,
        HUGE_TEXT,
        HUGE_LIST,
        "",
        "   ",
        "?!",
        "🙂",
        "\u200f",
    ],
)
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(FREE, answer)


def test_2000_characters_are_still_an_answer():
    assert registry.score(FREE, "y" * 2000).correct is False


def test_stays_fast_on_long_answers_near_long_accepted_ones():
    task = make("free_text", {"accepted": ["ab" * 100] * 20, "typo_tolerance": True})
    started = time.perf_counter()
    for _ in range(10):
        registry.score(task, "ba" * 100)
        registry.score(FREE, HUGE_TEXT[:2000])
    assert time.perf_counter() - started < 5  # a guard against blow-up, not a benchmark


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"accepted": "Grubengas"}, "accepted"),
        ({"accepted": [1]}, "accepted"),
        ({"accepted": ["x" * 201]}, "accepted"),
        ({"accepted": ["x"] * 21}, "accepted"),
        ({"accepted": ["x"], "typo_tolerance": "sometimes"}, "typo_tolerance"),
        ({"accepted": ["x"], "case_sensitive": True}, "case_sensitive"),
    ],
)
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("free_text", definition)
    assert field in caught.value.errors["definition"]


@pytest.mark.parametrize(
    ("accepted", "expected"),
    [
        ([], ["definition/accepted"]),
        ([""], ["definition/accepted"]),
        (["", "!!"], ["definition/accepted"]),
        (["Kohle", " ", "🙂"], ["definition/accepted/1", "definition/accepted/2"]),
        (["Kohle"], []),
    ],
)
def test_problems(accepted, expected):
    assert paths(make("free_text", {"accepted": accepted})) == expected


def test_check_carries_normalised_variants_and_the_typo_rule():
    task = make(
        "free_text",
        {"accepted": ["Förderturm", "FOERDERTURM", "Fördergerüst", ""], "typo_tolerance": True},
    )
    assert registry.client_spec(task, 1)["check"] == {
        "accepted": ["foerdergeruest", "foerderturm"],
        "typo_tolerance": True,
        "typo_rule": [{"min_length": 10, "max_distance": 2}, {"min_length": 5, "max_distance": 1}],
    }
