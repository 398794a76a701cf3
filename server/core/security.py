"""Security headers on every response: a strict CSP with no inline script anywhere."""

from urllib.parse import urlsplit

from flask import Flask, Response, request

from server.errors import ValidationFailed


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


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def refuse_nul_characters() -> None:
    """No text anywhere may hold a NUL character: PostgreSQL cannot store one, and no person
    types it. Checked once for the whole request instead of in every field."""
    # Not the form: reading it here would apply the JSON size limit before an upload route
    # raises it; uploads are checked by their content.
    parts = [request.path, *request.args.values()]
    if request.is_json and request.content_length:
        parts.append(request.get_json(silent=True))
    if any(_contains_nul(part) for part in parts):
        raise ValidationFailed("$", "Text must not contain NUL characters.", code="nul_character")


def init_app(app: Flask) -> None:
    csp = content_security_policy(app.config["TILE_URL"])
    app.before_request(refuse_nul_characters)

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
