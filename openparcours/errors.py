"""One error shape for the whole API: {"code", "message", "errors"?}.

Services raise `ServiceError` subclasses; the HTTP layer turns them, werkzeug's exceptions,
webargs' validation errors and database outages into that JSON.
"""

import logging
import math
import re

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Api
from marshmallow import validate
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    RequestedRangeNotSatisfiable,
)

log = logging.getLogger(__name__)

DEFAULT_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Please log in."),
    403: ("forbidden", "You may not do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    409: ("conflict", "This conflicts with the current state."),
    410: ("gone", "This is no longer available."),
    413: ("payload_too_large", "The request is too large."),
    415: ("unsupported_media_type", "This content type is not supported."),
    416: ("range_not_satisfiable", "The requested range is not part of the file."),
    422: ("validation_error", "Some fields are not valid."),
    429: ("rate_limited", "Too many attempts. Please wait a few minutes."),
    500: ("internal_error", "Something went wrong on our side."),
    503: ("service_unavailable", "The service is unavailable. Please try again shortly."),
}


# Every code an answer of the server can carry (as its `code`, or a refused event's), with the
# names of the parameters (`params`) its text may use. The PWA words each code in German and
# English ("code.<code>" in pwa/src/**/*messages.ts); tests/test_error_codes.py finds a text for
# every code here and a code here for every one raised in openparcours/.
CODES: dict[str, tuple[str, ...]] = {
    **{code: () for code, _ in DEFAULT_CODES.values()},
    "rate_limited": ("minutes",),
    "invalid_json": (),
    "json_too_deep": ("max_depth",),
    "nul_character": (),
    "database_unavailable": (),
    "app_not_built": (),
    "csrf_failed": (),
    # accounts and organisations
    "invalid_credentials": (),
    "wrong_password": (),
    "password_too_short": (),
    "password_too_long": (),
    "email_taken": (),
    "last_admin": (),
    "site_admin_only": (),
    "invite_expired": (),
    "invite_used": (),
    "invite_email_mismatch": (),
    "link_invalid": (),
    "link_used": (),
    "link_expired": (),
    "same_email": (),
    "email_in_use": (),
    "invite_without_email": (),
    # trails and media
    "not_publishable": (),
    "no_qr_stations": (),
    "not_published": (),
    "invalid_trail": (),
    "unsupported_media": (),
    "invalid_image": (),
    "image_too_large": (),
    "media_too_large": (),
    # partnerships
    "partnership_exists": (),
    "amendment_open": (),
    "agreement_signed": (),
    "signed_twice": (),
    "not_in_force": (),
    "template_requirements": (),
    "template_published": (),
    "template_draft_open": (),
    "nothing_to_share": (),
    # the state's school list
    "invalid_school_list": (),
    # the partners' forum
    "edit_window_closed": (),
    "too_many_attachments": ("max",),
    # visits and results
    "visit_running": (),
    "visit_too_long": ("max_days",),
    "release_after_visit": ("station", "time"),
    "play_until_outside": (),
    "release_unknown_station": (),
    "visit_data_deleted": (),
    "too_many_messages": ("max",),
    "not_gradable": (),
    "unknown_answer": (),
    "not_for_souvenir": (),
    "unknown_souvenir": (),
    "souvenirs_off": (),
    # joining and playing
    "unknown_code": (),
    "visit_closed": (),
    "visit_not_started": (),
    "team_name_taken": ("suggestion",),
    "missing_token": (),
    "invalid_token": (),
    "unknown_team": (),
    "no_ranking": (),
    # refused events of a sync
    "invalid_event": (),
    "station_locked": (),
    "time_up": (),
    "unknown_station": (),
    "wrong_code": (),
    "position_needed": (),
    "too_far": (),
    "unknown_task": (),
    "no_hint": (),
    "invalid_answer": (),
    "unknown_media": (),
    "checkin_needed": (),
    "code_needed": (),
    "too_many_events": (),
    "too_many_team_events": (),
    "photo_only": (),
    "too_many_photos": (),
    "photos_too_large": (),
}

# The codes of one field's problem (`fields` of an error), with their parameters: marshmallow's
# messages are matched to them (`field_problems`); a service's ValidationFailed names its own.
FIELD_CODES: dict[str, tuple[str, ...]] = {
    "required": (),
    "too_short": ("min",),
    "too_long": ("max",),
    "length_between": ("min", "max"),
    "length_exact": ("equal",),
    "too_small": ("min",),
    "too_large": ("max",),
    "out_of_range": ("min", "max"),
    "not_one_of": ("choices",),
    "not_a_number": (),
    "not_a_date": (),
    "not_an_email": (),
    "not_a_url": (),
    "unknown_field": (),
    "unknown_subject": ("subject",),
    "required_by_template": (),
    "invalid": (),
}


def _field_templates():
    """(field code, marshmallow's message template) pairs, the most specific first."""
    length, number_range = validate.Length, validate.Range
    messages = ma.fields.Field.default_error_messages
    yield "required", messages["required"]
    yield "required", messages["null"]
    yield "too_short", length.message_min
    yield "too_long", length.message_max
    yield "length_between", length.message_all
    yield "length_exact", length.message_equal
    for min_op in (number_range.message_gte, number_range.message_gt):
        for max_op in (number_range.message_lte, number_range.message_lt):
            both = number_range.message_all.format(min_op=min_op, max_op=max_op)
            yield "out_of_range", both
        yield "too_small", number_range.message_min.format(min_op=min_op)
    for max_op in (number_range.message_lte, number_range.message_lt):
        yield "too_large", number_range.message_max.format(max_op=max_op)
    yield "not_one_of", validate.OneOf.default_message
    for number in (ma.fields.Integer, ma.fields.Number):
        yield "not_a_number", number.default_error_messages["invalid"]
    yield "not_a_number", ma.fields.Float.default_error_messages["special"]
    unaware = ma.fields.AwareDateTime.default_error_messages["invalid_awareness"]
    for moment in (ma.fields.DateTime, ma.fields.Date, ma.fields.Time):
        yield (
            "not_a_date",
            moment.default_error_messages["invalid"].format(obj_type=moment.OBJ_TYPE),
        )
        for awareness in ("aware", "naive"):
            yield "not_a_date", unaware.format(awareness=awareness, obj_type=moment.OBJ_TYPE)
    yield "not_an_email", validate.Email.default_message
    yield "not_an_email", ma.fields.Email.default_error_messages["invalid"]
    yield "not_a_url", validate.URL.default_message
    yield "not_a_url", ma.fields.URL.default_error_messages["invalid"]
    yield "unknown_field", ma.Schema._default_error_messages["unknown"]


def _pattern(template: str) -> re.Pattern:
    """A template such as "Longer than maximum length {max}." → a pattern capturing `max`."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        + r"\Z"
    )


_FIELD_PATTERNS = [(code, _pattern(template)) for code, template in _field_templates()]


def _param(value: str):
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def field_problem(message, fallback: str = "invalid") -> dict:
    """One field message → {"code", "params"?}; a message of no template has `fallback`, and
    a problem that names its code already (as the trail import's) keeps it."""
    if isinstance(message, dict) and "code" in message:
        problem = {"code": message["code"]}
        if message.get("params"):
            problem["params"] = message["params"]
        return problem
    for code, pattern in _FIELD_PATTERNS:
        match = pattern.match(str(message))
        if match:
            params = {name: _param(value) for name, value in match.groupdict().items()}
            return {"code": code, "params": params} if params else {"code": code}
    return {"code": fallback}


def field_problems(errors: dict, fallback: str = "invalid", prefix: str = "") -> dict:
    """`errors` (field → messages, nested for lists and objects) → dotted field path → list of
    {"code", "params"?}, which the PWA words per field."""
    problems: dict = {}
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            problems.update(field_problems(value, fallback, path))
        else:
            messages = value if isinstance(value, list) else [value]
            problems[path] = [field_problem(m, fallback) for m in messages]
    return problems


class ServiceError(Exception):
    """A rule of the domain was broken; carries its HTTP status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: dict | None = None,
        params: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.errors = errors
        self.params = params


class ValidationFailed(ServiceError):
    status, code = 422, "validation_error"

    def __init__(
        self, field: str, message: str, *, code: str | None = None, params: dict | None = None
    ):
        super().__init__(message, code=code, errors={field: [message]}, params=params)

    @classmethod
    def for_fields(cls, errors: dict) -> "ValidationFailed":
        """Several fields at once; values are message lists, or nested dicts of them."""
        error = cls(next(iter(errors)), DEFAULT_CODES[422][1])
        error.errors = errors
        return error


class NotAuthenticated(ServiceError):
    status, code = 401, "not_authenticated"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class Gone(ServiceError):
    status, code = 410, "gone"


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int):
        super().__init__(DEFAULT_CODES[429][1], params={"minutes": math.ceil(retry_after / 60)})
        self.retry_after = retry_after


class DatabaseUnavailable(ServiceError):
    status, code = 503, "database_unavailable"

    def __init__(self):
        super().__init__("The database is unavailable. Please try again shortly.")


class FieldProblemSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "e.g. too_long (FIELD_CODES)"})
    params = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={
            "description": "The values the code's text names, e.g. max",
            "additionalProperties": {"type": ["string", "number"]},
        },
    )


class ErrorSchema(ma.Schema):
    code = ma.fields.String(
        required=True, metadata={"description": "Stable machine-readable error code"}
    )
    message = ma.fields.String(required=True, metadata={"description": "Readable message"})
    params = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "The values the code's text names"},
    )
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "Field name → list of messages"},
    )
    # The schema's class takes declared fields out of its namespace, so this one shadows no
    # Schema.fields; the response's key is "fields".
    fields = ma.fields.Dict(  # type: ignore[assignment]
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.Nested(FieldProblemSchema)),
        metadata={"description": "Dotted field path → its problems, the codes of `errors`"},
    )


def error_body(
    status: int,
    code: str | None = None,
    message: str | None = None,
    errors=None,
    params=None,
    field_code: str = "invalid",
):
    """The error's JSON; `field_code` for field messages that match no marshmallow template."""
    default_code, default_message = DEFAULT_CODES.get(status, (f"http_{status}", ""))
    body: dict[str, object] = {"code": code or default_code, "message": message or default_message}
    if params:
        body["params"] = params
    if errors:
        body["errors"] = errors
        body["fields"] = field_problems(errors, field_code)
    return body


def _flatten_locations(messages: dict) -> dict:
    """webargs nests field errors under their location ("json", "query"); clients want fields."""
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


class JsonErrorApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        app = self._app
        app.register_error_handler(HTTPException, self.handle_http_exception)
        app.register_error_handler(ServiceError, handle_service_error)
        app.register_error_handler(OperationalError, handle_database_error)
        app.register_error_handler(DBAPIError, handle_database_error)

    def handle_http_exception(self, error: HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed):
            headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
        if isinstance(error, RequestedRangeNotSatisfiable) and error.length is not None:
            headers["Content-Range"] = f"{error.units} */{error.length}"
        errors = data.get("errors")
        code = message = None
        if errors is None and "messages" in data:
            messages = data["messages"]
            if status == 400 and "json" in messages:
                code, message = "invalid_json", "The request body is not valid JSON."
            else:
                errors = _flatten_locations(messages)
        if isinstance(error, InternalServerError) and error.original_exception is not None:
            log.error(
                "unhandled error on %s %s",
                request.method,
                request.path,
                exc_info=error.original_exception,
            )
        elif status not in DEFAULT_CODES and error.description:
            message = error.description
        return error_body(status, code, data.get("message") or message, errors), status, headers


def handle_service_error(error: ServiceError):
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    # A field message of a service's own (no marshmallow template) is worded by the error's code.
    field_code = "invalid" if error.code == "validation_error" else error.code
    body = error_body(
        error.status, error.code, error.message, error.errors, error.params, field_code
    )
    return body, error.status, headers


def handle_database_error(error: DBAPIError):
    # Only an unreachable database is a 503; anything else is a bug and a 500.
    if isinstance(error, OperationalError) or error.connection_invalidated:
        current_app.logger.warning("database unavailable: %s", error.orig)
        return handle_service_error(DatabaseUnavailable())
    current_app.logger.error("database error", exc_info=error)
    return error_body(500), 500
