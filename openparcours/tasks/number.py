"""A number, right within an absolute or relative tolerance, optionally with a unit.

Answers may be numbers or texts as people type them. In texts, a comma is the decimal
separator when it is the only separator ("3,5"); when both "." and "," appear, the last of them
is the decimal separator ("1.234,5" and "1,234.5" are both 1234.5); a single "." is a decimal
point (phone keypads offer it); repeated "." or "," group thousands ("1.234.567"). Spaces
group thousands too. The unit may follow the number ("120 m").

The ambiguity: "1.234" and "1,234" are both read as 1.234 (one separator is always the decimal
one), never as 1234: a German reader means 1234 by "1.234", an English one 1.234 by it, and
decimals are far more common in answers than unformatted thousands. The PWA (play/check.ts)
reads numbers by the same rules, so that offline feedback agrees with the server.

Tolerance: right when |answer − value| ≤ tolerance, the boundary included; a relative tolerance
is a share of the value (0.1 is 10 %, at most 1). Numbers in definitions and answers are
bounded by ±10^15, where floats still hold every whole number exactly.
"""

import math
import re
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.fields import Text
from openparcours.tasks.base import InvalidAnswer, Problem, Score, TaskType

MAX_ANSWER = 100
MAX_MAGNITUDE = 1e15
# Float rounding must not turn a right answer on the boundary into a wrong one.
EPSILON = 1e-9
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\Z", re.ASCII)  # 0-9 only, like the PWA


def parse_number(answer: Any, unit: str | None = None) -> float:
    if isinstance(answer, bool):
        raise InvalidAnswer("Expected a number.")
    if isinstance(answer, int) and abs(answer) > MAX_MAGNITUDE:
        raise InvalidAnswer("The number is too large.")  # before float() overflows
    if isinstance(answer, int | float):
        value = float(answer)
    elif isinstance(answer, str):
        value = _parse_text(answer, unit)
    else:
        raise InvalidAnswer("Expected a number.")
    if not math.isfinite(value):
        raise InvalidAnswer("Expected a finite number.")
    if abs(value) > MAX_MAGNITUDE:
        raise InvalidAnswer("The number is too large.")
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


_BOUNDED = validate.Range(-MAX_MAGNITUDE, MAX_MAGNITUDE)


class Definition(ma.Schema):
    value = fields.Float(allow_none=True, load_default=None, allow_nan=False, validate=_BOUNDED)
    tolerance = fields.Float(
        load_default=0, allow_nan=False, validate=validate.Range(0, MAX_MAGNITUDE)
    )
    tolerance_kind = fields.String(
        load_default="absolute", validate=validate.OneOf(["absolute", "relative"])
    )
    unit = Text(20, min_length=0, allow_none=True, load_default=None)

    @ma.validates_schema
    def relative_is_a_share(self, data, **kwargs):
        if data.get("tolerance_kind") == "relative" and data.get("tolerance", 0) > 1:
            raise ma.ValidationError("A relative tolerance is a share: 0.1 is 10 %.", "tolerance")

    @ma.post_load
    def no_empty_unit(self, data, **kwargs):
        data["unit"] = data["unit"] or None
        return data


class Number(TaskType):
    name = "number"
    label = {"de": "Zahl", "en": "Number"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        if definition["value"] is None:
            return [Problem("value", "Give the right number.", "right_number_missing")]
        return []

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"unit": definition["unit"]}

    def check(self, definition: dict) -> dict:
        return {k: definition[k] for k in ("value", "tolerance", "tolerance_kind")}

    def score(self, definition: dict, answer: Any) -> Score:
        given = parse_number(answer, definition["unit"])
        value, tolerance = definition["value"], definition["tolerance"]
        if value is None:  # a draft without its number: nothing can be right
            return Score(False, 0.0)
        if definition["tolerance_kind"] == "relative":
            tolerance *= abs(value)
        right = abs(given - value) <= tolerance + EPSILON * max(1.0, abs(value))
        return Score(right, 1.0 if right else 0.0)

    def example_answer(self, definition: dict) -> float | int:
        return definition["value"]
