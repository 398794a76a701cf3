"""Ordering: a permutation of all item ids; credit is the share of items in their place."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import NOT_ANSWERS, make, paths

ITEMS = [{"id": str(n), "text": f"Schritt {n}"} for n in range(1, 5)]
ORDER = make("ordering", {"items": ITEMS})


@pytest.mark.parametrize(
    "answer",
    [
        *NOT_ANSWERS,
        [],
        ["1", "2", "3"],
        ["1", "2", "3", "3"],
        ["1", "2", "3", "4", "4"],
        ["1", "2", "3", "9"],
        ["1", "2", "3", 4],
        "1234",
        {"1": 0},
    ],
)
def test_refuses_what_is_not_a_permutation(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(ORDER, answer)


@pytest.mark.parametrize(
    "definition",
    [
        {"items": [{"id": "1", "text": "a"}, {"id": "1", "text": "b"}]},
        {"items": [{"id": str(n), "text": "x"} for n in range(21)]},
        {"items": [{"id": "1", "text": "a", "position": 1}]},
        {"items": "1,2,3"},
    ],
)
def test_definition_structure(definition):
    with pytest.raises(ValidationFailed) as caught:
        make("ordering", definition)
    assert "items" in caught.value.errors["definition"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ["definition/items"]),
        (ITEMS[:1], ["definition/items"]),
        ([ITEMS[0], {"id": "2", "text": ""}], ["definition/items/1/text"]),
        (ITEMS[:2], []),
    ],
)
def test_problems(items, expected):
    assert paths(make("ordering", {"items": items})) == expected


def test_shuffle_is_stable_for_a_seed_and_never_the_solution():
    ids = ["1", "2", "3", "4"]
    first = registry.client_spec(ORDER, seed=42)["items"]
    assert first == registry.client_spec(ORDER, seed=42)["items"]
    orders = set()
    for seed in range(200):
        shuffled = [item["id"] for item in registry.client_spec(ORDER, seed)["items"]]
        assert sorted(shuffled) == ids
        assert shuffled != ids
        orders.add(tuple(shuffled))
    assert len(orders) > 10  # the seed matters


def test_two_items_are_always_swapped():
    two = make("ordering", {"items": ITEMS[:2]})
    for seed in range(20):
        assert [i["id"] for i in registry.client_spec(two, seed)["items"]] == ["2", "1"]


def test_client_spec_checks_the_order():
    spec = registry.client_spec(ORDER, 7)
    assert spec["check"] == {"order": ["1", "2", "3", "4"]}
    assert all(set(item) == {"id", "text"} for item in spec["items"])
