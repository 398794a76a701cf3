"""The registry of task types. Adding a type: write its module, add it to `_TYPES`.

Generic rules live here: the fields every task has, and the points rule —

    round(points × credit × (max_attempts − attempt + 1) / max_attempts) − costs of hints used

never below 0; an attempt beyond max_attempts (or below 1) earns nothing. With 10 points and
two attempts: 10 on the first try, 5 on the second; a hint costing 2 makes them 8 and 3.
Rounding is half up (2.5 → 3), as JavaScript's Math.round does on the phone, not Python's
half-to-even `round`, so that the points shown offline are the points the server gives.
Credit is clamped to 0 … 1 and the hints used to 0 … the number of hints.

Drafts may be incomplete (an empty prompt, a choice without options): `validate_task` checks
only the structure, `task_problems` lists what still blocks publishing.
"""

import math
from typing import Any

import marshmallow as ma
from marshmallow import fields, post_load, validate, validates_schema

from openparcours.errors import ValidationFailed
from openparcours.fields import Text
from openparcours.tasks.base import InvalidAnswer, OptionSchema, Problem, Score, TaskType
from openparcours.tasks.free_text import FreeText
from openparcours.tasks.multiple_choice import MultipleChoice
from openparcours.tasks.number import Number
from openparcours.tasks.ordering import Ordering
from openparcours.tasks.photo import Photo
from openparcours.tasks.single_choice import SingleChoice
from openparcours.tasks.survey import ScaleSchema, Survey

__all__ = [
    "TASK_TYPES",
    "ClientTaskSchema",
    "InvalidAnswer",
    "Problem",
    "Score",
    "TaskSchema",
    "TaskType",
    "answer_key",
    "answer_media",
    "answer_text",
    "client_spec",
    "example_answer",
    "get_type",
    "points_awarded",
    "score",
    "task_problems",
    "teacher_grades",
    "validate_task",
]

_TYPES: list[TaskType] = [
    SingleChoice(),
    MultipleChoice(),
    FreeText(),
    Number(),
    Ordering(),
    Photo(),
    Survey(),
]
TASK_TYPES: dict[str, TaskType] = {t.name: t for t in _TYPES}
MAX_HINTS = 3


class HintSchema(ma.Schema):
    text = Text(500)
    cost = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 1000))


class TaskSchema(ma.Schema):
    """A task as authors write it; `definition` is checked by the schema of its type."""

    type = fields.String(required=True, validate=validate.OneOf(list(TASK_TYPES)))
    prompt = Text(2000, min_length=0, load_default="")
    points = fields.Integer(strict=True, load_default=10, validate=validate.Range(0, 1000))
    hints = fields.List(
        fields.Nested(HintSchema), validate=validate.Length(max=MAX_HINTS), load_default=list
    )
    max_attempts = fields.Integer(strict=True, load_default=2, validate=validate.Range(1, 5))
    feedback_correct = Text(500, min_length=0, allow_none=True, load_default=None)
    feedback_wrong = Text(500, min_length=0, allow_none=True, load_default=None)
    definition = fields.Dict(keys=fields.String(), load_default=dict)

    @validates_schema
    def hints_cost_at_most_the_points(self, data, **kwargs):
        if sum(h["cost"] for h in data.get("hints", [])) > data.get("points", 0):
            raise ma.ValidationError("The hints together may cost at most the points.", "hints")

    @post_load
    def load_definition(self, data, **kwargs):
        try:
            data["definition"] = get_type(data["type"]).definition_schema().load(data["definition"])
        except ma.ValidationError as error:
            raise ma.ValidationError({"definition": error.messages}) from error
        return data


def _only_for(*names: str, **metadata) -> dict:
    """Marks a field in the OpenAPI document that only tasks of these types have."""
    return {"x-only-for": list(names), **metadata}


class ClientTaskSchema(ma.Schema):
    """A task as the phone gets it (`client_spec`): what every task has, then what its type
    adds, and `check` where the phone can judge an answer offline."""

    id = fields.Integer()
    type = fields.String(validate=validate.OneOf(list(TASK_TYPES)))
    prompt = fields.String()
    points = fields.Integer()
    max_attempts = fields.Integer()
    hints = fields.List(fields.Nested(HintSchema))
    feedback_correct = fields.String(allow_none=True)
    feedback_wrong = fields.String(allow_none=True)
    options = fields.List(
        fields.Nested(OptionSchema), metadata=_only_for("single_choice", "multiple_choice")
    )
    items = fields.List(
        fields.Nested(OptionSchema), metadata=_only_for("ordering", description="Shuffled")
    )
    unit = fields.String(allow_none=True, metadata=_only_for("number"))
    must_be_live = fields.Boolean(metadata=_only_for("photo"))
    mode = fields.String(
        validate=validate.OneOf(["scale", "choices"]), metadata=_only_for("survey")
    )
    scale = fields.Nested(ScaleSchema, metadata=_only_for("survey", description="In scale mode"))
    choices = fields.List(
        fields.Nested(OptionSchema), metadata=_only_for("survey", description="In choices mode")
    )
    multiple = fields.Boolean(metadata=_only_for("survey", description="In choices mode"))
    check = fields.Dict(
        metadata=_only_for(
            *(name for name, t in TASK_TYPES.items() if type(t).check is not TaskType.check),
            description="What the phone needs to judge an answer; its shape depends on the type",
        )
    )

    def get_attribute(self, obj: dict, attr: str, default: Any) -> Any:
        # A key only: marshmallow would take a missing `items` for the dict's method.
        return obj.get(attr, default)


def get_type(name: str) -> TaskType:
    try:
        return TASK_TYPES[name]
    except KeyError:
        raise ValidationFailed("type", f"Unknown task type {name!r}.") from None


def validate_task(data: Any) -> dict:
    """The task as stored, or `ValidationFailed` with the errors per field (nested for the
    definition, e.g. {"definition": {"options": {"1": {"text": [...]}}}})."""
    if not isinstance(data, dict):
        raise ValidationFailed("task", "Expected an object.")
    try:
        return TaskSchema().load(data)
    except ma.ValidationError as error:
        errors = error.normalized_messages()
        # The definition is loaded only once the rest is valid; a form wants all errors at once.
        if "definition" not in errors and (more := _definition_errors(data)):
            errors["definition"] = more
        raise ValidationFailed.for_fields(errors) from error


def _definition_errors(data: dict) -> dict:
    name, definition = data.get("type"), data.get("definition")
    if not (isinstance(name, str) and name in TASK_TYPES and isinstance(definition, dict)):
        return {}
    return TASK_TYPES[name].definition_schema().validate(definition)


def task_problems(task: dict) -> list[Problem]:
    """What still blocks publishing this task; paths are relative to the task."""
    problems = []
    if not task["prompt"].strip():
        problems.append(
            Problem("prompt", "Write the question or instruction.", "task_prompt_missing")
        )
    for problem in get_type(task["type"]).problems(task["definition"]):
        problems.append(
            Problem(f"definition/{problem.path}", problem.message, problem.code, problem.params)
        )
    return problems


def client_spec(task: dict, seed: int) -> dict:
    """The task as the phone gets it, with `check` for offline feedback where there is one."""
    task_type = get_type(task["type"])
    spec = {
        "type": task["type"],
        "prompt": task["prompt"],
        "points": task["points"],
        "max_attempts": task["max_attempts"],
        "hints": [dict(hint) for hint in task["hints"]],
        "feedback_correct": task["feedback_correct"],
        "feedback_wrong": task["feedback_wrong"],
        **task_type.client_spec(task["definition"], seed),
    }
    check = task_type.check(task["definition"])
    if check is not None:
        spec["check"] = check
    return spec


def score(task: dict, answer: Any) -> Score:
    """Raises `InvalidAnswer` for answers that are not even of the right shape."""
    return get_type(task["type"]).score(task["definition"], answer)


def example_answer(task: dict) -> Any:
    return get_type(task["type"]).example_answer(task["definition"])


def answer_text(task: dict, answer: Any) -> str:
    return get_type(task["type"]).answer_text(task["definition"], answer)


def answer_key(task: dict, answer: Any) -> str:
    return get_type(task["type"]).answer_key(task["definition"], answer)


def answer_media(task: dict, answer: Any) -> int | None:
    return get_type(task["type"]).answer_media(answer)


def teacher_grades(task: dict) -> bool:
    return get_type(task["type"]).teacher_grades


def points_awarded(task: dict, credit: float, attempt_number: int, hints_used: int) -> int:
    """The points for an answer with this credit on this attempt (1 = first) after this many
    hints; see the module's docstring."""
    max_attempts = task["max_attempts"]
    if not 1 <= attempt_number <= max_attempts:
        return 0
    credit = min(1.0, max(0.0, credit)) if math.isfinite(credit) else 0.0
    earned = task["points"] * credit * (max_attempts - attempt_number + 1) / max_attempts
    hint_costs = sum(hint["cost"] for hint in task["hints"][: max(0, hints_used)])
    return max(0, math.floor(earned + 0.5) - hint_costs)
