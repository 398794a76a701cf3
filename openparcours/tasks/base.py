"""What every task type provides, and the small value types they share."""

from dataclasses import dataclass, field
from typing import Any, ClassVar

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.fields import Text

MAX_LIST_ANSWER = 100
MAX_ID_LENGTH = 40
# \Z, not $: "$" would let a trailing newline through.
ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{MAX_ID_LENGTH}}}\Z"


@dataclass(frozen=True)
class Problem:
    """Something that blocks publishing; `path` points into the definition, e.g. options/2/text.
    `code` and `params` (e.g. {"entry": 3}, counted from 1) let the editor word it."""

    path: str
    message: str
    code: str
    params: dict = field(default_factory=dict)


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
    # Whether a teacher may grade answers afterwards (accept, reject, points, comment).
    teacher_grades: ClassVar[bool] = False
    answer_separator: ClassVar[str] = " · "

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

    def example_answer(self, definition: dict) -> Any:
        """An answer to a publishable task as the play API takes it: a right one where there
        is one (the demo plays these); None where answering needs an upload."""
        raise NotImplementedError

    def answer_text(self, definition: dict, answer: Any) -> str:
        """The answer as people read it in results and exports: ids become their texts."""
        key = getattr(self.definition_schema, "ITEMS", None)
        texts = {item["id"]: item["text"] for item in definition.get(key, [])} if key else {}
        if isinstance(answer, list):
            return self.answer_separator.join(texts.get(str(a), str(a)) for a in answer)
        if isinstance(answer, str):
            return texts.get(answer, answer)
        return "" if answer is None else str(answer)

    def answer_media(self, answer: Any) -> int | None:
        """The id of the upload a (well-formed) answer refers to, if any."""
        return None

    def answer_key(self, definition: dict, answer: Any) -> str:
        """What answers are grouped by in the results: those that say the same."""
        return " ".join(self.answer_text(definition, answer).casefold().split())


class Flag(fields.Boolean):
    """A JSON true or false; not "yes", 1 or "on", which marshmallow's Boolean would take."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class OptionSchema(ma.Schema):
    id = fields.String(required=True, validate=validate.Regexp(ID_PATTERN))
    text = Text(500, min_length=0, load_default="")


class UniqueIds:
    """Mixin for definition schemas whose list field `ITEMS` holds items with ids."""

    ITEMS: ClassVar[str]

    @ma.validates_schema
    def unique_ids(self, data, **kwargs):
        seen: set[str] = set()
        twice = {i["id"] for i in data[self.ITEMS] if i["id"] in seen or seen.add(i["id"])}
        if twice:
            raise ma.ValidationError(f"Ids must be unique: {sorted(twice)}.", self.ITEMS)


def list_problems(items: list[dict], name: str) -> list[Problem]:
    """Every item needs a text, and a list needs at least two items."""
    problems = [
        Problem(f"{name}/{i}/text", "Write a text.", "entry_text_missing", {"entry": i + 1})
        for i, item in enumerate(items)
        if not item["text"].strip()
    ]
    if len(items) < 2:
        problems.append(Problem(name, "Give at least two entries.", "too_few_entries"))
    return problems


def public_items(items: list[dict]) -> list[dict]:
    """Items as students see them: without the flag that marks the right ones."""
    return [{"id": item["id"], "text": item["text"]} for item in items]


def require_text(answer: Any, max_length: int) -> str:
    """A string of at most `max_length` characters (checked before anything else looks at it)."""
    if not isinstance(answer, str):
        raise InvalidAnswer("Expected a text.")
    if len(answer) > max_length:
        raise InvalidAnswer(f"At most {max_length} characters.")
    return answer


def require_id_list(answer: Any, known: set[str]) -> list[str]:
    """A list of known ids, each at most once; the size is checked before the items."""
    if not isinstance(answer, list):
        raise InvalidAnswer("Expected a list of ids.")
    if len(answer) > MAX_LIST_ANSWER:
        raise InvalidAnswer(f"At most {MAX_LIST_ANSWER} items.")
    if not all(isinstance(item, str) and len(item) <= MAX_ID_LENGTH for item in answer):
        raise InvalidAnswer("Every item must be an id.")
    if len(set(answer)) != len(answer):
        raise InvalidAnswer("An id is given twice.")
    if unknown := set(answer) - known:
        raise InvalidAnswer(f"Unknown ids: {sorted(unknown)[:5]}.")
    return answer
