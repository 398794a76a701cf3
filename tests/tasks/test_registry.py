"""The registry of task types: generic fields, the points rule, problems and client specs."""

import pytest

from server.errors import ValidationFailed
from server.tasks import registry
from server.tasks.registry import InvalidAnswer, validate_task

OPTIONS = [{"id": "a", "text": "1955"}, {"id": "b", "text": "1966"}]


def task(type_="single_choice", definition=None, **fields):
    definition = definition if definition is not None else {"options": OPTIONS, "correct": "b"}
    return validate_task({"type": type_, "prompt": "Frage?", "definition": definition} | fields)


def test_defaults():
    loaded = task()
    assert loaded["points"] == 10
    assert loaded["max_attempts"] == 2
    assert loaded["hints"] == []


@pytest.mark.parametrize(("data", "field"), [
    ({"type": "crossword"}, "type"),
    ({"type": "single_choice", "points": -1}, "points"),
    ({"type": "single_choice", "points": True}, "points"),
    ({"type": "single_choice", "points": 10, "hints": [{"text": "x", "cost": 11}]}, "hints"),
    ({"type": "single_choice", "hints": [{"text": "h", "cost": 1}] * 4}, "hints"),
    ({"type": "single_choice", "max_attempts": 0}, "max_attempts"),
    ({"type": "single_choice", "max_attempts": 6}, "max_attempts"),
    ({"type": "single_choice", "prompt": "x" * 2001}, "prompt"),
    ({"type": "single_choice", "definition": []}, "definition"),
    ({"type": "single_choice", "definition": {"options": "ab"}}, "definition"),
    ({"type": "single_choice", "color": "red"}, "color"),
])  # fmt: skip
def test_invalid_tasks_name_the_field(data, field):
    with pytest.raises(ValidationFailed) as caught:
        validate_task(data)
    assert field in caught.value.errors


def test_definition_errors_point_into_the_definition():
    with pytest.raises(ValidationFailed) as caught:
        task(definition={"options": [{"id": "a", "text": "x"}, {"id": "bad id!", "text": "y"}]})
    assert caught.value.errors == {
        "definition": {"options": {1: {"id": ["String does not match expected pattern."]}}}
    }


def test_not_an_object():
    with pytest.raises(ValidationFailed):
        validate_task(["single_choice"])


def test_drafts_may_be_incomplete_but_list_their_problems():
    draft = task(prompt="", definition={"options": [{"id": "a", "text": ""}]})
    paths = {p.path for p in registry.task_problems(draft)}
    assert paths == {"prompt", "definition/options/0/text", "definition/options",
                     "definition/correct"}  # fmt: skip
    assert registry.task_problems(task()) == []


@pytest.mark.parametrize(("attempt", "hints", "expected"), [
    (1, 0, 10), (2, 0, 5), (3, 0, 0), (0, 0, 0), (1, 1, 8), (2, 2, 0), (1, 2, 5),
])  # fmt: skip
def test_points_rule(attempt, hints, expected):
    t = task(hints=[{"text": "Schau auf das Schild.", "cost": 2}, {"text": "1966", "cost": 3}])
    assert registry.points_awarded(t, 1.0, attempt, hints) == expected


def test_partial_credit_is_rounded():
    t = task("multiple_choice", {"options": [
        {"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B", "correct": True},
        {"id": "c", "text": "C", "correct": True}]}, max_attempts=1)  # fmt: skip
    assert registry.points_awarded(t, 2 / 3, 1, 0) == 7


def test_client_spec_carries_a_check_only_where_the_phone_can_judge():
    assert registry.client_spec(task(), 1)["check"] == {"correct": "b"}
    photo = task("photo", {"must_be_live": True})
    survey = task("survey", {"mode": "scale"})
    assert "check" not in registry.client_spec(photo, 1)
    assert "check" not in registry.client_spec(survey, 1)
    assert registry.client_spec(photo, 1)["must_be_live"] is True


def test_every_type_is_registered_once():
    assert set(registry.TASK_TYPES) == {"single_choice", "multiple_choice", "free_text", "number",
                                        "ordering", "photo", "survey"}  # fmt: skip
    for name, task_type in registry.TASK_TYPES.items():
        assert task_type.name == name
        assert set(task_type.label) == {"de", "en"}


def test_score_refuses_answers_of_the_wrong_shape():
    with pytest.raises(InvalidAnswer):
        registry.score(task(), {"id": "b"})
