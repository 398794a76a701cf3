"""A survey question: a scale or choices; no right answer, answering earns the points.

Answers: a whole number within the scale (min … max, both included), or for choices one id
(`multiple` false) or a non-empty list of distinct ids (`multiple` true). Any of them scores
`correct=None, credit=1`; anything else is refused (`InvalidAnswer`).
"""

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from openparcours.fields import Text
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
    require_text,
)


class ScaleSchema(ma.Schema):
    min = fields.Integer(strict=True, load_default=1, validate=validate.Range(-10, 10))
    max = fields.Integer(strict=True, load_default=5, validate=validate.Range(-10, 10))
    min_label = Text(60, min_length=0, load_default="")
    max_label = Text(60, min_length=0, load_default="")

    @validates_schema
    def ordered(self, data, **kwargs):
        if data["max"] <= data["min"]:
            raise ma.ValidationError("max must be above min.", "max")


class Definition(UniqueIds, ma.Schema):
    ITEMS = "choices"
    mode = fields.String(load_default="scale", validate=validate.OneOf(["scale", "choices"]))
    scale = fields.Nested(ScaleSchema, load_default=lambda: ScaleSchema().load({}))
    choices = fields.List(
        fields.Nested(OptionSchema), validate=validate.Length(max=12), load_default=list
    )
    multiple = Flag(load_default=False)


class Survey(TaskType):
    name = "survey"
    label = {"de": "Umfrage", "en": "Survey"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        if definition["mode"] != "choices":
            return []
        return list_problems(definition["choices"], "choices")

    def client_spec(self, definition: dict, seed: int) -> dict:
        if definition["mode"] == "scale":
            return {"mode": "scale", "scale": dict(definition["scale"])}
        choices = public_items(definition["choices"])
        return {"mode": "choices", "choices": choices, "multiple": definition["multiple"]}

    def score(self, definition: dict, answer: Any) -> Score:
        if definition["mode"] == "scale":
            scale = definition["scale"]
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise InvalidAnswer("Expected a whole number on the scale.")
            if not scale["min"] <= answer <= scale["max"]:
                raise InvalidAnswer("Outside the scale.")
        else:
            known = {c["id"] for c in definition["choices"]}
            if definition["multiple"]:
                if not require_id_list(answer, known):
                    raise InvalidAnswer("Choose at least one.")
            elif require_text(answer, 40) not in known:
                raise InvalidAnswer("Unknown choice.")
        return Score(None, 1.0)

    def example_answer(self, definition: dict) -> int | str | list[str]:
        if definition["mode"] == "scale":
            return definition["scale"]["min"]
        first = definition["choices"][0]["id"]
        return [first] if definition["multiple"] else first
