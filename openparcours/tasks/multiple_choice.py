"""Multiple choice: any number of right options.

Partial credit: (right picks − wrong picks) / number of right options, never below 0.
So with three right options, picking two of them scores 2/3; picking all three and one
wrong scores 2/3 as well; `correct` is true only for exactly the right set.

The answer is a list of option ids, each at most once. An empty list is refused
(`InvalidAnswer`): the phone asks to pick one before it sends anything.
"""

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.tasks.base import (
    Flag,
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


class ChoiceOptionSchema(OptionSchema):
    correct = Flag(load_default=False)


class Definition(UniqueIds, ma.Schema):
    ITEMS = "options"
    options = fields.List(
        fields.Nested(ChoiceOptionSchema), validate=validate.Length(max=12), load_default=list
    )


class MultipleChoice(TaskType):
    name = "multiple_choice"
    label = {"de": "Mehrfachauswahl", "en": "Multiple choice"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        options = definition["options"]
        problems = list_problems(options, "options")
        if not any(o["correct"] for o in options):
            problems.append(
                Problem("options", "Mark at least one right option.", "right_option_missing")
            )
        return problems

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"options": public_items(definition["options"])}

    def check(self, definition: dict) -> dict:
        return {"correct": [o["id"] for o in definition["options"] if o["correct"]]}

    def score(self, definition: dict, answer: Any) -> Score:
        options = definition["options"]
        picked = set(require_id_list(answer, {o["id"] for o in options}))
        if not picked:
            raise InvalidAnswer("Pick at least one option.")
        right = {o["id"] for o in options if o["correct"]}
        if not right:
            return Score(False, 0.0)
        credit = max(0.0, (len(picked & right) - len(picked - right)) / len(right))
        return Score(picked == right, credit)

    def example_answer(self, definition: dict) -> list[str]:
        return [o["id"] for o in definition["options"] if o["correct"]]
