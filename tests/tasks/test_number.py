"""Number: German and English notation, units, tolerance at the boundary, refusals."""

import pytest

from server.errors import ValidationFailed
from server.tasks import registry
from server.tasks.number import parse_number
from server.tasks.registry import InvalidAnswer
from tests.tasks.build import HUGE_LIST, HUGE_TEXT, make, paths

YEAR = make("number", {"value": 1936})
HEIGHT = make("number", {"value": 62.5, "tolerance": 0.5, "unit": "m"})
RELATIVE = make("number", {"value": 1000, "tolerance": 0.1, "tolerance_kind": "relative"})
NEGATIVE = make("number", {"value": -50, "tolerance": 0.1, "tolerance_kind": "relative"})
THIRD = make("number", {"value": 0.3})


@pytest.mark.parametrize(("text", "value"), [
    ("3,5", 3.5),
    ("3.5", 3.5),
    ("1.234,5", 1234.5),        # German: "." groups, "," is the decimal
    ("1,234.5", 1234.5),        # English: "," groups, "." is the decimal
    ("1.234.567", 1234567),     # repeated: grouping
    ("1,234,567", 1234567),
    ("1.234.567,89", 1234567.89),
    ("1,234", 1.234),           # one separator is always the decimal one
    ("1.234", 1.234),
    ("1 234", 1234),
    ("1\u00a0234,5", 1234.5),   # no-break space
    ("1\u202f234", 1234),       # narrow no-break space
    ("1'234", 1234),            # Swiss grouping
    ("−7", -7),                 # the minus sign
    ("-7,5", -7.5),
    ("+2", 2),
    (",5", 0.5),
    ("5,", 5),
    ("62 m", 62),
    ("62m", 62),
    (" 62,5 M ", 62.5),
    ("0", 0),
    ("1,2,3", 123),             # lenient like the PWA: repeated commas group
])  # fmt: skip
def test_numbers_as_people_type_them(text, value):
    assert parse_number(text, "m") == value


@pytest.mark.parametrize("answer", [
    True, False, None, [], [62.5], {"value": 62.5}, "", " ", "m", "zwölf", "1e3", "1e400", "nan",
    "NaN", "inf", "Infinity", "-inf", float("nan"), float("inf"), float("-inf"), "1,2.3.4,5",
    "1.2,3,4", "--5", "5-", "0x10", "١٢٣", "１２３", "x" * 101, HUGE_TEXT, HUGE_LIST, "12 km",
    "12 m m", 10**400, -(10**400), 10**16, 1e16, "1" * 17,
])  # fmt: skip
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(HEIGHT, answer)


@pytest.mark.parametrize(("task", "answer", "correct"), [
    (HEIGHT, 62.0, True),        # the boundary belongs to the right answers
    (HEIGHT, 63.0, True),
    (HEIGHT, "63,0", True),
    (HEIGHT, "63,0 m", True),
    (HEIGHT, "61,99", False),
    (HEIGHT, 63.01, False),
    (HEIGHT, 62, True),
    (YEAR, 1936, True),
    (YEAR, 1936.0, True),
    (YEAR, "1936", True),
    (YEAR, "1.936", False),      # read as 1.936, see the module's docstring
    (YEAR, "1937", False),
    (YEAR, 1935.999, False),
    (RELATIVE, 1100, True),      # 10 % of 1000
    (RELATIVE, 900, True),
    (RELATIVE, "1.100,0", True),
    (RELATIVE, 899.9, False),
    (RELATIVE, 1100.1, False),
    (NEGATIVE, -55, True),       # relative to |value|
    (NEGATIVE, -45, True),
    (NEGATIVE, 45, False),
    (THIRD, 0.1 + 0.2, True),    # float rounding does not make it wrong
    (THIRD, "0,3", True),
    (THIRD, 0.30001, False),
])  # fmt: skip
def test_tolerance(task, answer, correct):
    result = registry.score(task, answer)
    assert result.correct is correct
    assert result.credit == (1.0 if correct else 0.0)


def test_without_a_unit_a_unit_is_not_a_number():
    with pytest.raises(InvalidAnswer):
        registry.score(YEAR, "1936 m")


@pytest.mark.parametrize(("definition", "field"), [
    ({"value": "viel"}, "value"),
    ({"value": float("nan")}, "value"),
    ({"value": float("inf")}, "value"),
    ({"value": 10**400}, "value"),
    ({"value": 1e16}, "value"),
    ({"value": 1, "tolerance": -0.1}, "tolerance"),
    ({"value": 1, "tolerance": 10**400}, "tolerance"),
    ({"value": 1, "tolerance": 2, "tolerance_kind": "relative"}, "tolerance"),
    ({"value": 1, "tolerance_kind": "percent"}, "tolerance_kind"),
    ({"value": 1, "unit": "x" * 21}, "unit"),
    ({"value": 1, "digits": 2}, "digits"),
])  # fmt: skip
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("number", definition)
    assert field in caught.value.errors["definition"]


def test_definition_defaults_and_blank_unit():
    assert make("number", {"value": 3, "unit": "  "})["definition"] == {
        "value": 3.0, "tolerance": 0, "tolerance_kind": "absolute", "unit": None,
    }  # fmt: skip


def test_a_draft_needs_its_value_and_scores_wrong_meanwhile():
    draft = make("number", {})
    assert paths(draft) == ["definition/value"]
    assert registry.score(draft, 5).correct is False
    assert paths(HEIGHT) == []


def test_client_spec_shows_the_unit_and_checks_value_and_tolerance():
    spec = registry.client_spec(HEIGHT, 1)
    assert spec["unit"] == "m"
    assert spec["check"] == {"value": 62.5, "tolerance": 0.5, "tolerance_kind": "absolute"}
