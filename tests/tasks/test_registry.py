"""The registry: generic task fields, errors per field, problems, client specs."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer, Problem, validate_task
from tests.tasks.build import make

OPTIONS = [{"id": "a", "text": "1955"}, {"id": "b", "text": "1966"}]
SINGLE = {
    "type": "single_choice",
    "prompt": "Wann?",
    "definition": {"options": OPTIONS, "correct": "b"},
}

# One complete task of every type, as an author would publish it.
COMPLETE = {
    "single_choice": {"options": OPTIONS, "correct": "b"},
    "multiple_choice": {
        "options": [{"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y"}]
    },
    "free_text": {"accepted": ["Kohle"], "typo_tolerance": True},
    "number": {"value": 1936},
    "ordering": {"items": OPTIONS},
    "photo": {"must_be_live": False},
    "survey": {"mode": "scale"},
}


def test_every_type_is_registered_once_with_name_labels_and_schema():
    assert set(registry.TASK_TYPES) == set(COMPLETE)
    for name, task_type in registry.TASK_TYPES.items():
        assert task_type.name == name
        assert set(task_type.label) == {"de", "en"}
        assert all(task_type.label.values())
        assert registry.get_type(name) is task_type


@pytest.mark.parametrize("name", ["crossword", "", "Single_Choice", None, 1])
def test_unknown_type(name):
    with pytest.raises(ValidationFailed) as caught:
        registry.get_type(name)
    assert "type" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        validate_task({"type": name, "prompt": "?"})
    assert "type" in caught.value.errors


def test_defaults():
    loaded = validate_task({"type": "single_choice"})
    assert loaded == {
        "type": "single_choice",
        "prompt": "",
        "points": 10,
        "hints": [],
        "max_attempts": 2,
        "feedback_correct": None,
        "feedback_wrong": None,
        "definition": {"options": [], "correct": None},
    }


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_a_complete_task_of_every_type_has_no_problems(name):
    task = make(name, COMPLETE[name])
    assert registry.task_problems(task) == []
    assert validate_task(task) == task  # loading what was stored gives the same


def test_texts_are_stripped():
    loaded = validate_task(
        SINGLE
        | {
            "prompt": "  Wann?\n",
            "feedback_wrong": " Schade. ",
            "hints": [{"text": " Schau hin. "}],
        }
    )
    assert (loaded["prompt"], loaded["feedback_wrong"]) == ("Wann?", "Schade.")
    assert loaded["hints"] == [{"text": "Schau hin.", "cost": 0}]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": None}, "type"),
        ({"type": ["single_choice"]}, "type"),
        ({"prompt": "x" * 2001}, "prompt"),
        ({"prompt": 5}, "prompt"),
        ({"points": -1}, "points"),
        ({"points": 1001}, "points"),
        ({"points": True}, "points"),
        ({"points": 10.5}, "points"),
        ({"points": "10"}, "points"),
        ({"points": None}, "points"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": 6}, "max_attempts"),
        ({"max_attempts": 2.0}, "max_attempts"),
        ({"hints": [{"text": "h", "cost": 1}] * 4}, "hints"),
        ({"hints": [{"text": "h", "cost": 11}]}, "hints"),  # more than the points
        ({"hints": [{"text": "h", "cost": 6}] * 2}, "hints"),  # together more than the points
        ({"hints": [{"text": "h", "cost": -1}]}, "hints"),
        ({"hints": [{"text": "h", "cost": True}]}, "hints"),
        ({"hints": [{"text": "", "cost": 1}]}, "hints"),
        ({"hints": [{"text": "x" * 501}]}, "hints"),
        ({"hints": [{"text": "h", "price": 1}]}, "hints"),
        ({"hints": "Schau hin."}, "hints"),
        ({"feedback_correct": "x" * 501}, "feedback_correct"),
        ({"feedback_wrong": ["Schade"]}, "feedback_wrong"),
        ({"definition": []}, "definition"),
        ({"definition": None}, "definition"),
        ({"definition": {"options": "ab"}}, "definition"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_tasks_name_the_field(fields, field):
    with pytest.raises(ValidationFailed) as caught:
        validate_task(SINGLE | fields)
    assert field in caught.value.errors
    assert caught.value.status == 422


@pytest.mark.parametrize(
    "fields",
    [
        {"points": 0},
        {"points": 1000},
        {"max_attempts": 1},
        {"max_attempts": 5},
        {"prompt": "x" * 2000},
        {"feedback_correct": "x" * 500},
        {"hints": [{"text": "a", "cost": 3}, {"text": "b", "cost": 3}, {"text": "c", "cost": 4}]},
        {"points": 0, "hints": [{"text": "kostenlos", "cost": 0}]},
    ],
)
def test_bounds_are_inclusive(fields):
    validate_task(SINGLE | fields)


def test_definition_errors_point_into_the_definition():
    with pytest.raises(ValidationFailed) as caught:
        validate_task(
            SINGLE
            | {
                "definition": {
                    "options": [{"id": "a", "text": "x"}, {"id": "bad id!", "text": "y"}],
                    "colour": 1,
                }
            }
        )
    assert caught.value.errors == {
        "definition": {
            "options": {1: {"id": ["String does not match expected pattern."]}},
            "colour": ["Unknown field."],
        }
    }


def test_generic_and_definition_errors_come_together():
    with pytest.raises(ValidationFailed) as caught:
        validate_task(SINGLE | {"points": -1, "definition": {"options": "ab"}})
    assert set(caught.value.errors) == {"points", "definition"}
    assert "options" in caught.value.errors["definition"]


@pytest.mark.parametrize("data", [["single_choice"], "single_choice", None, 5])
def test_not_an_object(data):
    with pytest.raises(ValidationFailed):
        validate_task(data)


def test_drafts_may_be_incomplete_but_list_their_problems():
    draft = make("single_choice", {"options": [{"id": "a", "text": ""}]}, prompt=" ")
    assert registry.task_problems(draft) == [
        Problem("prompt", "Write the question or instruction.", "task_prompt_missing"),
        Problem("definition/options/0/text", "Write a text.", "entry_text_missing", {"entry": 1}),
        Problem("definition/options", "Give at least two entries.", "too_few_entries"),
        Problem("definition/correct", "Mark the right option.", "right_option_missing"),
    ]


@pytest.mark.parametrize(
    ("name", "definition", "expected"),
    [
        ("single_choice", {}, ["definition/options", "definition/correct"]),
        ("multiple_choice", {"options": OPTIONS}, ["definition/options"]),
        ("free_text", {}, ["definition/accepted"]),
        ("number", {"unit": "m"}, ["definition/value"]),
        ("ordering", {"items": OPTIONS[:1]}, ["definition/items"]),
        ("survey", {"mode": "choices", "choices": OPTIONS[:1]}, ["definition/choices"]),
        ("photo", {}, []),
    ],
)
def test_problems_of_incomplete_definitions(name, definition, expected):
    assert [p.path for p in registry.task_problems(make(name, definition))] == expected


def test_client_spec_carries_the_generic_fields():
    task = make(
        "single_choice",
        COMPLETE["single_choice"],
        prompt="Wann?",
        points=20,
        max_attempts=3,
        hints=[{"text": "Schau auf das Schild.", "cost": 2}],
        feedback_correct="Glück auf!",
    )
    assert registry.client_spec(task, 1) == {
        "type": "single_choice",
        "prompt": "Wann?",
        "points": 20,
        "max_attempts": 3,
        "hints": [{"text": "Schau auf das Schild.", "cost": 2}],
        "feedback_correct": "Glück auf!",
        "feedback_wrong": None,
        "options": OPTIONS,
        "check": {"correct": "b"},
    }


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_check_only_where_the_phone_can_judge(name):
    spec = registry.client_spec(make(name, COMPLETE[name]), 1)
    assert ("check" in spec) is (name not in {"photo", "survey"})


def test_client_spec_does_not_share_the_stored_lists():
    task = make("ordering", COMPLETE["ordering"], hints=[{"text": "h", "cost": 1}])
    spec = registry.client_spec(task, 1)
    spec["hints"][0]["text"] = "changed"
    spec["items"][0]["text"] = "changed"
    assert task["hints"][0]["text"] == "h"
    assert task["definition"]["items"][0]["text"] == "1955"


def test_score_goes_to_the_type():
    task = make("single_choice", COMPLETE["single_choice"])
    assert registry.score(task, "b") == registry.Score(True, 1.0)
    with pytest.raises(InvalidAnswer):
        registry.score(task, {"id": "b"})


# The example answers of a few more definitions, where a type answers in more than one way.
MORE_COMPLETE = [
    ("free_text", {"accepted": ["", "  ", "Förderturm"]}),
    ("number", {"value": 12.5, "unit": "m"}),
    ("survey", {"mode": "choices", "choices": OPTIONS}),
    ("survey", {"mode": "choices", "choices": OPTIONS, "multiple": True}),
]


ANSWERED_WITHOUT_UPLOAD = [(n, d) for n, d in sorted(COMPLETE.items()) if n != "photo"]


@pytest.mark.parametrize(("name", "definition"), [*ANSWERED_WITHOUT_UPLOAD, *MORE_COMPLETE])
def test_the_example_answer_is_right_where_an_answer_can_be(name, definition):
    result = registry.score(task := make(name, definition), registry.example_answer(task))
    assert result.credit == 1.0
    assert result.correct is (None if name == "survey" else True)


def test_a_photo_has_no_example_answer_as_it_needs_an_upload():
    assert registry.example_answer(make("photo", COMPLETE["photo"])) is None


@pytest.mark.parametrize(("name", "definition"), [*sorted(COMPLETE.items()), *MORE_COMPLETE])
def test_the_client_schema_documents_what_each_type_sends(name, definition):
    spec = {"id": 1, **registry.client_spec(make(name, definition), 1)}
    declared = registry.ClientTaskSchema().fields
    assert set(spec) <= set(declared)
    for key, field in declared.items():
        if (only_for := field.metadata.get("x-only-for")) is None:
            assert key in spec
        elif key in spec:
            assert name in only_for
    assert registry.ClientTaskSchema().dump(spec) == spec  # the bundle loses nothing
