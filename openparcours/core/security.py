"""Security headers on every response (a strict CSP with no inline script anywhere), and the
checks every request passes: no NUL characters, no JSON nested too deeply."""

from urllib.parse import urlsplit

from flask import Flask, Response, request

from openparcours.errors import ServiceError, ValidationFailed


def tile_origin(tile_url: str) -> str:
    """`https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`."""
    parts = urlsplit(tile_url.replace("{s}.", "SUBDOMAIN."))
    return f"{parts.scheme}://{parts.netloc}".replace("SUBDOMAIN.", "*.")


def content_security_policy(tile_url: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: blob: {tile_origin(tile_url)}",
            "media-src 'self' blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# Deeper than any document of the API or the trail format (a trail's task options: 8 levels).
MAX_JSON_DEPTH = 32


class JsonTooDeep(ServiceError):
    status, code = 400, "json_too_deep"

    def __init__(self):
        super().__init__(
            f"JSON may nest {MAX_JSON_DEPTH} levels deep at most.",
            params={"max_depth": MAX_JSON_DEPTH},
        )


def check_json(document) -> None:
    """No text in `document` holds a NUL character (PostgreSQL cannot store one, and no person
    types it), and it nests at most MAX_JSON_DEPTH deep. Walked without recursion, so a deep
    document cannot exhaust the stack here."""
    pending = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ValidationFailed(
                    "$", "Text must not contain NUL characters.", code="nul_character"
                )
        elif isinstance(value, dict | list):
            if depth == MAX_JSON_DEPTH:
                raise JsonTooDeep()
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)


def check_request() -> None:
    """The path, the query and a JSON body, whatever its framing (Content-Length or chunked),
    pass `check_json` before any view reads them."""
    # Not the form: reading it here would apply the JSON size limit before an upload route
    # raises it; uploads are checked by their content.
    check_json([request.path, *request.args.values()])
    if request.is_json:
        try:
            # Not JSON at all gives None here, and the view answers invalid_json.
            document = request.get_json(silent=True)
        except RecursionError as error:  # "[[[[…" deeper than the parser's stack
            raise JsonTooDeep() from error
        check_json(document)


def init_app(app: Flask) -> None:
    csp = content_security_policy(app.config["TILE_URL"])
    app.before_request(check_request)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["PUBLIC_URL"].startswith("https://"):
            headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
