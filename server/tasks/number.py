"""A number, right within an absolute or relative tolerance, optionally with a unit.

Answers may be numbers or texts as people type them. In texts, a comma is the decimal
separator when it is the only separator ("3,5"); when both "." and "," appear, the last of them
is the decimal separator ("1.234,5" and "1,234.5" are both 1234.5); a single "." is a decimal
point (phone keypads offer it); repeated "." or "," group thousands ("1.234.567"). Spaces
group thousands too. The unit may follow the number ("120 m").
"""

import math
import re
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from server.fields import Text
from server.tasks.base import InvalidAnswer, Problem, Score, TaskType

MAX_ANSWER = 100
# Float rounding must not turn a right answer on the boundary into a wrong one.
EPSILON = 1e-9
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(answer: Any, unit: str | None = None) -> float:
    if isinstance(answer, bool):
        raise InvalidAnswer("Expected a number.")
    if isinstance(answer, int | float):
        value = float(answer)
    elif isinstance(answer, str):
        value = _parse_text(answer, unit)
    else:
        raise InvalidAnswer("Expected a number.")
    if not math.isfinite(value):
        raise InvalidAnswer("Expected a finite number.")
    return value


def _parse_text(text: str, unit: str | None) -> float:
    if len(text) > MAX_ANSWER:
        raise InvalidAnswer(f"At most {MAX_ANSWER} characters.")
    text = text.strip()
    if unit and text.casefold().endswith(unit.casefold()):
        text = text[: -len(unit)]
    text = re.sub(r"[\s\u00a0\u202f']", "", text).replace("−", "-")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        text = text.replace(grouping, "").replace(decimal, ".")
    elif commas == 1:
        text = text.replace(",", ".")
    elif commas > 1:
        text = text.replace(",", "")
    elif dots > 1:
        text = text.replace(".", "")
    if not _NUMBER.match(text):
        raise InvalidAnswer("Not a number.")
    return float(text)


class Definition(ma.Schema):
    value = fields.Float(allow_none=True, load_default=None, allow_nan=False)
    tolerance = fields.Float(load_default=0, allow_nan=False, validate=validate.Range(min=0))
    tolerance_kind = fields.String(
        load_default="absolute", validate=validate.OneOf(["absolute", "relative"])
    )
    unit = Text(20, allow_none=True, load_default=None)


class Number(TaskType):
    name = "number"
    label = {"de": "Zahl", "en": "Number"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        if definition["value"] is None:
            return [Problem("value", "Give the right number.")]
        return []

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"unit": definition["unit"]}

    def check(self, definition: dict) -> dict:
        return {k: definition[k] for k in ("value", "tolerance", "tolerance_kind")}

    def score(self, definition: dict, answer: Any) -> Score:
        given = parse_number(answer, definition["unit"])
        value, tolerance = definition["value"], definition["tolerance"]
        if definition["tolerance_kind"] == "relative":
            tolerance *= abs(value)
        right = abs(given - value) <= tolerance + EPSILON * max(1.0, abs(value))
        return Score(right, 1.0 if right else 0.0)
