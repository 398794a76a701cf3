"""A photo, graded by the teacher afterwards.

The answer is `{"media_id": n}` for an uploaded photo; scoring gives `correct=None, credit=0`
until the teacher grades it. Whether the media exists and belongs to the team is the visit's
business, not the task type's: `answer_media` tells it which upload to look for.
"""

from typing import Any

import marshmallow as ma

from openparcours.fields import MAX_ID
from openparcours.tasks.base import Flag, InvalidAnswer, Score, TaskType


class Definition(ma.Schema):
    must_be_live = Flag(
        load_default=False, metadata={"description": "Taken with the camera now, not picked"}
    )


class Photo(TaskType):
    name = "photo"
    label = {"de": "Foto", "en": "Photo"}
    definition_schema = Definition
    teacher_grades = True

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"must_be_live": definition["must_be_live"]}

    def score(self, definition: dict, answer: Any) -> Score:
        if not isinstance(answer, dict) or set(answer) != {"media_id"}:
            raise InvalidAnswer('Expected {"media_id": …}.')
        media_id = answer["media_id"]
        if isinstance(media_id, bool) or not isinstance(media_id, int):
            raise InvalidAnswer("media_id must be a positive integer.")
        if not 1 <= media_id <= MAX_ID:
            raise InvalidAnswer("media_id must be a positive integer.")
        return Score(None, 0.0)

    def example_answer(self, definition: dict) -> None:
        return None

    def answer_media(self, answer: Any) -> int | None:
        return answer["media_id"]

    def answer_text(self, definition: dict, answer: Any) -> str:
        return ""  # the photo itself is shown
