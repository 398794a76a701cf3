"""Marshmallow fields shared by the domains' schemas."""

from marshmallow import fields, validate
from werkzeug.routing import IntegerConverter

# Ids are the databases' 32-bit integers: a larger number is no id, and must not reach a query
# (SQLite and PostgreSQL refuse it with an error, not with "not found").
MAX_ID = 2**31 - 1


class Id(fields.Integer):
    """The id of a row: a whole number from 1 to MAX_ID (strict in JSON, text in a query)."""

    def __init__(self, *, strict: bool = True, **kwargs):
        kwargs.setdefault("validate", validate.Range(1, MAX_ID))
        super().__init__(strict=strict, **kwargs)


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: a number beyond MAX_ID matches no route, so it is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class _Stripped:
    """Surrounding whitespace, as pasted from a document or a mail, is never meant."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Text(_Stripped, fields.String):
    """A stripped string that must fit `max_length`."""

    def __init__(self, max_length: int, *, min_length: int = 1, **kwargs):
        kwargs.setdefault("validate", validate.Length(min=min_length, max=max_length))
        super().__init__(**kwargs)


class Line(Text):
    """A text of one line, such as a name that a mail's header carries: a line break or another
    control character there would start a header of its own."""

    def __init__(self, max_length: int, **kwargs):
        kwargs.setdefault(
            "validate",
            [
                validate.Length(min=kwargs.pop("min_length", 1), max=max_length),
                validate.Regexp(
                    r"[^\x00-\x1f\x7f]*\Z", error="Use one line without control characters."
                ),
            ],
        )
        super().__init__(max_length, **kwargs)


class Email(_Stripped, fields.Email):
    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=254))
        super().__init__(**kwargs)
