"""Marshmallow fields shared by the domains' schemas."""

from marshmallow import fields, validate


class Text(fields.String):
    """A string that is stripped of surrounding whitespace and must fit `max_length`."""

    def __init__(self, max_length: int, *, min_length: int = 1, **kwargs):
        kwargs.setdefault("validate", validate.Length(min=min_length, max=max_length))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def email(**kwargs) -> fields.Email:
    return fields.Email(validate=validate.Length(max=254), **kwargs)
