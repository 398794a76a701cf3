"""The points rule: round(points × credit × (max − attempt + 1) / max) − hint costs, ≥ 0."""

import pytest

from server.tasks.registry import points_awarded
from tests.tasks.build import make

HINTS = [{"text": "Schau auf das Schild.", "cost": 2}, {"text": "Es war 1966.", "cost": 3}]


def task(points=10, max_attempts=2, hints=HINTS):
    definition = {"options": [{"id": "a", "text": "x"}], "correct": "a"}
    return make("single_choice", definition, points=points, max_attempts=max_attempts,
                hints=hints)  # fmt: skip


@pytest.mark.parametrize(("attempt", "hints", "expected"), [
    (1, 0, 10), (2, 0, 5),           # two attempts: full, then half
    (3, 0, 0), (0, 0, 0), (-1, 0, 0),  # outside the attempts: nothing
    (1, 1, 8), (1, 2, 5), (2, 1, 3), (2, 2, 0),
    (1, 3, 5), (1, -1, 10),          # more hints than there are, or fewer than none
])  # fmt: skip
def test_attempts_and_hints(attempt, hints, expected):
    assert points_awarded(task(), 1.0, attempt, hints) == expected


@pytest.mark.parametrize(("max_attempts", "expected"), [
    (1, [10, 0]),
    (2, [10, 5, 0]),
    (3, [10, 7, 3, 0]),
    (4, [10, 8, 5, 3, 0]),           # 7.5 → 8 and 2.5 → 3: half up
    (5, [10, 8, 6, 4, 2, 0]),
])  # fmt: skip
def test_decreasing_by_attempt(max_attempts, expected):
    t = task(max_attempts=max_attempts, hints=[])
    awarded = [points_awarded(t, 1.0, n, 0) for n in range(1, max_attempts + 2)]
    assert awarded == expected


@pytest.mark.parametrize(("points", "credit", "attempt", "expected"), [
    (5, 1.0, 2, 3),                  # 2.5 rounds up, as Math.round does on the phone
    (1, 1.0, 2, 1),                  # 0.5 → 1
    (3, 0.5, 1, 2),                  # 1.5 → 2
    (10, 2 / 3, 1, 7),
    (10, 1 / 3, 1, 3),
    (10, 0.5, 2, 3),                 # 2.5 → 3
    (10, 0.0, 1, 0),
    (0, 1.0, 1, 0),
    (1000, 1.0, 1, 1000),
])  # fmt: skip
def test_partial_credit_and_rounding(points, credit, attempt, expected):
    assert points_awarded(task(points=points, hints=[]), credit, attempt, 0) == expected


@pytest.mark.parametrize(("credit", "expected"), [
    (1.5, 10), (-1.0, 0), (float("nan"), 0), (float("inf"), 0),
])  # fmt: skip
def test_credit_outside_zero_to_one_is_clamped(credit, expected):
    assert points_awarded(task(hints=[]), credit, 1, 0) == expected


def test_never_below_zero():
    assert points_awarded(task(), 1 / 3, 2, 2) == 0
    assert points_awarded(task(points=5, hints=[{"text": "h", "cost": 5}]), 1.0, 2, 1) == 0
