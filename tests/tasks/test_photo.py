"""Photo: {"media_id": positive int}; the teacher grades it, so no right answer yet."""

import pytest

from openparcours.errors import ValidationFailed
from openparcours.tasks import registry
from openparcours.tasks.registry import InvalidAnswer
from tests.tasks.build import NOT_ANSWERS, make, paths

PHOTO = make("photo", {"must_be_live": True})


@pytest.mark.parametrize(
    "answer",
    [
        *NOT_ANSWERS,
        7,
        "7",
        [7],
        {},
        {"media_id": 0},
        {"media_id": -1},
        {"media_id": True},
        {"media_id": "7"},
        {"media_id": 7.0},
        {"media_id": None},
        {"media_id": 2**31},
        {"media_id": 10**400},
        {"media_id": 7, "x": 1},
        {"photo_key": "abc"},
    ],
)
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(PHOTO, answer)


def test_definition():
    assert make("photo", {})["definition"] == {"must_be_live": False}
    assert paths(make("photo", {})) == []
    for definition in ({"must_be_live": "maybe"}, {"must_be_live": True, "max_size": 5}):
        with pytest.raises(ValidationFailed):
            make("photo", definition)


def test_client_spec_has_no_check():
    spec = registry.client_spec(PHOTO, 1)
    assert spec["must_be_live"] is True
    assert "check" not in spec
