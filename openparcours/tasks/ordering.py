"""Put items in order. Credit is the share of items in their right place; `correct` only when
every item is."""

import random
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.tasks.base import (
    InvalidAnswer,
    OptionSchema,
    Problem,
    Score,
    TaskType,
    UniqueIds,
    list_problems,
    public_items,
    require_id_list,
)


class Definition(UniqueIds, ma.Schema):
    ITEMS = "items"
    items = fields.List(
        fields.Nested(OptionSchema),
        validate=validate.Length(max=20),
        load_default=list,
        metadata={"description": "In the right order"},
    )


class Ordering(TaskType):
    name = "ordering"
    label = {"de": "Reihenfolge", "en": "Ordering"}
    definition_schema = Definition
    answer_separator = " → "

    def problems(self, definition: dict) -> list[Problem]:
        return list_problems(definition["items"], "items")

    def client_spec(self, definition: dict, seed: int) -> dict:
        """The items shuffled, the same way for the same seed, never in the right order."""
        items = public_items(definition["items"])
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        if len(items) > 1 and shuffled == items:
            shuffled = shuffled[1:] + shuffled[:1]
        return {"items": shuffled}

    def check(self, definition: dict) -> dict:
        return {"order": [i["id"] for i in definition["items"]]}

    def score(self, definition: dict, answer: Any) -> Score:
        order = [i["id"] for i in definition["items"]]
        given = require_id_list(answer, set(order))
        if len(given) != len(order):
            raise InvalidAnswer("Give every item exactly once.")
        if not order:
            return Score(False, 0.0)
        in_place = sum(a == b for a, b in zip(given, order, strict=True))
        return Score(in_place == len(order), in_place / len(order))

    def example_answer(self, definition: dict) -> list[str]:
        return [i["id"] for i in definition["items"]]
