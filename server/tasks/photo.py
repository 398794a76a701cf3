"""A photo, graded by the teacher afterwards."""

from typing import Any

import marshmallow as ma
from marshmallow import fields

from server.tasks.base import InvalidAnswer, Score, TaskType


class Definition(ma.Schema):
    must_be_live = fields.Boolean(
        load_default=False, metadata={"description": "Taken with the camera now, not picked"}
    )


class Photo(TaskType):
    name = "photo"
    label = {"de": "Foto", "en": "Photo"}
    definition_schema = Definition

    def client_spec(self, definition: dict, seed: int) -> dict:
        return {"must_be_live": definition["must_be_live"]}

    def score(self, definition: dict, answer: Any) -> Score:
        if not isinstance(answer, dict) or set(answer) != {"media_id"}:
            raise InvalidAnswer('Expected {"media_id": …}.')
        media_id = answer["media_id"]
        if isinstance(media_id, bool) or not isinstance(media_id, int) or media_id < 1:
            raise InvalidAnswer("media_id must be a positive integer.")
        return Score(None, 0.0)
