"""Single choice: one right option among several.

The answer is one option id; an id the task does not have is refused (`InvalidAnswer`), a wrong
option scores `correct=False, credit=0`. Publishing needs two options with texts and `correct`
naming one of them.
"""

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.tasks.base import (
    ID_PATTERN,
    InvalidAnswer,
    OptionSchema,
    Problem,
    Score,
    TaskType,
    UniqueIds,
    list_problems,
    public_items,
    require_text,
)


class Definition(UniqueIds, ma.Schema):
    ITEMS = "options"
    options = fields.List(
        fields.Nested(OptionSchema), validate=validate.Length(max=12), load_default=list
    )
    correct = fields.String(
        allow_none=True, load_default=None, validate=validate.Regexp(ID_PATTERN)
    )


class SingleChoice(TaskType):
    name = "single_choice"
    label = {"de": "Einfachauswahl", "en": "Single choice"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        options = definition["options"]
        problems = list_problems(options, "options")
        if definition["correct"] not in {o["id"] for o in options}:
            problems.append(Problem("correct", "Mark the right option.", "right_option_missing"))
        return problems

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"options": public_items(definition["options"])}

    def check(self, definition: dict) -> dict:
        return {"correct": definition["correct"]}

    def score(self, definition: dict, answer: Any) -> Score:
        choice = require_text(answer, 40)
        if choice not in {o["id"] for o in definition["options"]}:
            raise InvalidAnswer("Unknown option.")
        right = choice == definition["correct"]
        return Score(right, 1.0 if right else 0.0)

    def example_answer(self, definition: dict) -> str:
        return definition["correct"]
