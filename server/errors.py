"""One error shape for the whole API: {"code", "message", "errors"?}.

Services raise `ServiceError` subclasses; the HTTP layer turns them, werkzeug's exceptions,
webargs' validation errors and database outages into that JSON.
"""

import logging

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Api
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

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
    422: ("validation_error", "Some fields are not valid."),
    429: ("rate_limited", "Too many attempts. Please wait a few minutes."),
    500: ("internal_error", "Something went wrong on our side."),
    503: ("service_unavailable", "The service is unavailable. Please try again shortly."),
}


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

    def __init__(self, field: str, message: str, *, code: str | None = None):
        super().__init__(message, code=code, errors={field: [message]})

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
        super().__init__(DEFAULT_CODES[429][1])
        self.retry_after = retry_after


class DatabaseUnavailable(ServiceError):
    status, code = 503, "database_unavailable"

    def __init__(self):
        super().__init__("The database is unavailable. Please try again shortly.")


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


def error_body(
    status: int, code: str | None = None, message: str | None = None, errors=None, params=None
):
    default_code, default_message = DEFAULT_CODES.get(status, (f"http_{status}", ""))
    body = {"code": code or default_code, "message": message or default_message}
    if params:
        body["params"] = params
    if errors:
        body["errors"] = errors
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
        if status == 405:
            headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
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
    body = error_body(error.status, error.code, error.message, error.errors, error.params)
    return body, error.status, headers


def handle_database_error(error: DBAPIError):
    # Only an unreachable database is a 503; anything else is a bug and a 500.
    if isinstance(error, OperationalError) or error.connection_invalidated:
        current_app.logger.warning("database unavailable: %s", error.orig)
        return handle_service_error(DatabaseUnavailable())
    current_app.logger.error("database error", exc_info=error)
    return error_body(500), 500
