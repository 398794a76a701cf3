"""Security headers on every response: a strict CSP with no inline script anywhere."""

from urllib.parse import urlsplit

from flask import Flask, Response


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


def init_app(app: Flask) -> None:
    csp = content_security_policy(app.config["TILE_URL"])

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
