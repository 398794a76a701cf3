"""The points rule: round(points × credit × (max − attempt + 1) / max) − hint costs, ≥ 0; its
cases are in tests/cases/scoring.json, here what only the server meets."""

import pytest

from openparcours.tasks.registry import points_awarded
from tests.tasks.build import make

HINTS = [{"text": "Schau auf das Schild.", "cost": 2}, {"text": "Es war 1966.", "cost": 3}]


def task(hints=HINTS):
    """10 points, two attempts."""
    definition = {"options": [{"id": "a", "text": "x"}], "correct": "a"}
    return make("single_choice", definition, hints=hints)


def test_fewer_hints_than_none_cost_nothing():
    assert points_awarded(task(), 1.0, 1, -1) == 10


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        (1.5, 10),
        (-1.0, 0),
        (float("nan"), 0),
        (float("inf"), 0),
    ],
)
def test_credit_outside_zero_to_one_is_clamped(credit, expected):
    assert points_awarded(task(hints=[]), credit, 1, 0) == expected
