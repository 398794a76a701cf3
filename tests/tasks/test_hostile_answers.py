"""Every type against hostile answers: a Score or InvalidAnswer, never anything else, and fast."""

import math
import random
import time

import pytest

from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer, Score
from tests.tasks.build import HUGE_LIST, HUGE_TEXT, make

TASKS = {
    "single_choice": make(
        "single_choice",
        {"options": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}], "correct": "a"},
    ),
    "multiple_choice": make(
        "multiple_choice",
        {"options": [{"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y"}]},
    ),
    "free_text": make("free_text", {"accepted": ["Förderturm"], "typo_tolerance": True}),
    "number": make("number", {"value": 62.5, "tolerance": 0.5, "unit": "m"}),
    "ordering": make("ordering", {"items": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]}),
    "photo": make("photo", {}),
    "survey": make(
        "survey",
        {
            "mode": "choices",
            "multiple": True,
            "choices": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}],
        },
    ),
    "survey_scale": make("survey", {"mode": "scale"}),
}

HOSTILE = [
    None,
    True,
    False,
    0,
    -1,
    10**400,
    -(10**400),
    float("nan"),
    float("inf"),
    1e308,
    "",
    " ",
    "\x00",
    "\ud800",
    "🙂" * 10,
    "\u202e" + "a",
    "a" * 41,
    HUGE_TEXT,
    [],
    [None],
    [[]],
    [{}],
    ["a", "a"],
    ["a"] * 101,
    HUGE_LIST,
    list(range(10**6)),
    {},
    {"media_id": None},
    {"media_id": [1]},
    {None: 1},
    {"media_id": 10**400},
    ("a",),
    {"a"},
    b"a",
    object(),
]


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def random_json(rng, depth=0):
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([rng.randint(-(10**20), 10**20), rng.randint(-3, 3)])
    if kind == 3:
        return rng.choice([rng.uniform(-1e6, 1e6), math.nan, math.inf, -0.0])
    if kind == 4:
        alphabet = "ab 1,.-mäß🙂\u0301\u200f\n"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if kind in (5, 6):
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(5))]
    keys = ["media_id", "a", ""]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(3))}


def survives(task, answer):
    try:
        result = registry.score(task, answer)
    except InvalidAnswer as error:
        refused = str(error)
    else:
        assert isinstance(result, Score)
        assert result.correct in (True, False, None)
        assert 0.0 <= result.credit <= 1.0
        return
    assert refused  # a readable reason


@pytest.mark.parametrize("name", sorted(TASKS))
@pytest.mark.parametrize("answer", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answers(name, answer):
    started = time.perf_counter()
    survives(TASKS[name], answer)
    assert time.perf_counter() - started < 1  # huge input is refused before it is looked at


@pytest.mark.parametrize("name", sorted(TASKS))
def test_deeply_nested_answers(name):
    survives(TASKS[name], nested(100_000))


@pytest.mark.parametrize("name", sorted(TASKS))
def test_random_answers(name):
    rng = random.Random(name)
    for _ in range(500):
        survives(TASKS[name], random_json(rng))


@pytest.mark.parametrize("name", sorted(TASKS))
def test_huge_input_is_refused(name):
    for answer in (HUGE_TEXT, HUGE_LIST, {"media_id": HUGE_TEXT}):
        with pytest.raises(InvalidAnswer):
            registry.score(TASKS[name], answer)
