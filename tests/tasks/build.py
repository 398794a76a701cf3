"""Small builders shared by the task-type tests (no database, no app)."""

from openparcours.tasks import registry


def make(type_: str, definition: dict, **fields) -> dict:
    """A task as `validate_task` stores it."""
    return registry.validate_task({"type": type_, "prompt": "?", "definition": definition} | fields)


def verdict(task: dict, answer) -> tuple[bool | None, float]:
    result = registry.score(task, answer)
    return result.correct, round(result.credit, 3)


def paths(task: dict) -> list[str]:
    return [problem.path for problem in registry.task_problems(task)]


HUGE_TEXT = "x" * 1_000_000
HUGE_LIST = ["a"] * 1_000_000
# Not an answer to any task type.
NOT_ANSWERS = [None, True, False, 1.5, float("nan"), {"a": 1}, HUGE_TEXT, HUGE_LIST, [[]]]
