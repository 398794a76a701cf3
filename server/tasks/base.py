"""What every task type provides, and the small value types they share."""

from dataclasses import dataclass
from typing import Any, ClassVar

import marshmallow as ma
from marshmallow import fields, validate

from server.fields import Text

MAX_LIST_ANSWER = 100
ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"


@dataclass(frozen=True)
class Problem:
    """Something that blocks publishing; `path` points into the definition, e.g. options/2/text."""

    path: str
    message: str


@dataclass(frozen=True)
class Score:
    """`correct` is None when there is no right answer (survey) or a teacher grades (photo)."""

    correct: bool | None
    credit: float  # 0 … 1


class InvalidAnswer(ValueError):
    """The answer is not even of the right shape; the reason is meant for the event log."""


class TaskType:
    name: ClassVar[str]
    label: ClassVar[dict[str, str]]  # {"de": …, "en": …}
    definition_schema: ClassVar[type[ma.Schema]]

    def problems(self, definition: dict) -> list[Problem]:
        return []

    def client_spec(self, definition: dict, seed: int) -> dict:
        """What the phone needs to show the task (its `check` is added separately)."""
        return {}

    def check(self, definition: dict) -> dict | None:
        """What the phone needs to give feedback offline; None where only people judge."""
        return None

    def score(self, definition: dict, answer: Any) -> Score:
        raise NotImplementedError


class OptionSchema(ma.Schema):
    id = fields.String(required=True, validate=validate.Regexp(ID_PATTERN))
    text = Text(500, min_length=0, load_default="")


def duplicate_ids(items: list[dict]) -> set[str]:
    seen: set[str] = set()
    return {item["id"] for item in items if item["id"] in seen or seen.add(item["id"])}


def reject_duplicate_ids(items: list[dict], field: str) -> None:
    if duplicate_ids(items):
        raise ma.ValidationError(f"Ids must be unique: {sorted(duplicate_ids(items))}.", field)


def empty_texts(items: list[dict], field: str) -> list[Problem]:
    return [
        Problem(f"{field}/{i}/text", "Write a text.") for i, item in enumerate(items)
        if not item["text"].strip()
    ]  # fmt: skip


def require_text(answer: Any, max_length: int) -> str:
    if not isinstance(answer, str):
        raise InvalidAnswer("Expected a text.")
    if len(answer) > max_length:
        raise InvalidAnswer(f"At most {max_length} characters.")
    return answer


def require_id_list(answer: Any, known: set[str]) -> list[str]:
    if not isinstance(answer, list):
        raise InvalidAnswer("Expected a list of ids.")
    if len(answer) > MAX_LIST_ANSWER:
        raise InvalidAnswer(f"At most {MAX_LIST_ANSWER} items.")
    if not all(isinstance(item, str) for item in answer):
        raise InvalidAnswer("Every item must be an id.")
    if len(set(answer)) != len(answer):
        raise InvalidAnswer("An id is given twice.")
    if unknown := set(answer) - known:
        raise InvalidAnswer(f"Unknown ids: {sorted(unknown)[:5]}.")
    return answer
