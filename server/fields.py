"""Marshmallow fields shared by the domains' schemas."""

from marshmallow import fields, validate


class _Stripped:
    """Surrounding whitespace, as pasted from a document or a mail, is never meant."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Text(_Stripped, fields.String):
    """A stripped string that must fit `max_length`."""

    def __init__(self, max_length: int, *, min_length: int = 1, **kwargs):
        kwargs.setdefault("validate", validate.Length(min=min_length, max=max_length))
        super().__init__(**kwargs)


class Email(_Stripped, fields.Email):
    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=254))
        super().__init__(**kwargs)
