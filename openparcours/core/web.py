"""Serves the built PWA (with a fallback to index.html for client routes) and the API docs."""

import mimetypes
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from swagger_ui_bundle import swagger_ui_path
from werkzeug.datastructures import Accept
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from openparcours.errors import ServiceError

web = Blueprint("web", __name__)

HASHED_ASSETS = "assets/"
# Client routes no search engine lists: a team's souvenir page.
NOT_INDEXED = ("s/",)
ONE_YEAR = 365 * 24 * 3600


class ClientPath(PathConverter):
    """Any path outside /api/: unknown API paths stay 404 (and wrong methods 405) as JSON."""

    regex = r"(?!api(?:/|$))[^/].*?"


class AppNotBuilt(ServiceError):
    status, code = 503, "app_not_built"


def _dist() -> Path:
    dist = Path(current_app.config["PWA_DIST"]).resolve()
    if not (dist / "index.html").is_file():
        raise AppNotBuilt("The web app is not built yet: run `make run`.")
    return dist


# The build's compressed copies (pwa/build-plugins.ts), best first when the browser takes both.
COPIES = (("br", ".br"), ("gzip", ".gz"))


def _quality(accepted: Accept, encoding: str) -> float:
    """The quality the browser gives an encoding (q-values and `*` as RFC 9110 says)."""
    if encoding == "identity" and not any(value in ("identity", "*") for value, _ in accepted):
        return 1  # acceptable unless refused by name or by `*`
    return accepted.quality(encoding)


def _best_copy(file: Path) -> tuple[str, Path] | None:
    """The compressed copy of `file` the browser takes rather than the file itself, if any."""
    accepted = request.accept_encodings
    identity = _quality(accepted, "identity")
    copies = [
        (quality, encoding, copy)
        for encoding, ending in COPIES
        if (quality := _quality(accepted, encoding)) > 0
        and quality >= identity
        and (copy := file.with_name(file.name + ending)).is_file()
    ]
    best = max(copies, key=lambda c: c[0], default=None)  # the first of equals: brotli
    return (best[1], best[2]) if best else None


def _send_built(dist: Path, path: str) -> Response:
    """A file of the build in the best encoding the browser takes: the brotli or gzip copy
    the build wrote next to it, or the file itself; each copy has its own ETag."""
    file = dist / path
    hashed = path.startswith(HASHED_ASSETS)
    mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    # Hashed files never change under their name; anything else is asked for again each time
    # (max_age None: no-cache).
    max_age = ONE_YEAR if hashed else None
    best = _best_copy(file)
    if best is None:
        response = send_file(file, mimetype=mimetype, max_age=max_age)  # answers ranges too
    else:
        encoding, copy = best
        # Ranges of a compressed copy would be ranges of its bytes: no client needs them.
        response = send_file(copy, mimetype=mimetype, max_age=max_age, conditional=False)
        response.headers["Content-Encoding"] = encoding
        response.make_conditional(request.environ, accept_ranges=False)
    response.vary.add("Accept-Encoding")
    if hashed:
        response.cache_control.immutable = True
    return response


@web.get("/")
@web.get("/<client_path:path>")
def pwa(path: str = ""):
    dist = _dist()
    file = safe_join(str(dist), path) if path else str(dist / "index.html")
    if file is None:
        abort(404)  # a path escaping the build folder
    name = path.rsplit("/", 1)[-1]
    if name.endswith(tuple(ending for _, ending in COPIES)):
        abort(404)  # the compressed copies are sent for their file's own URL only
    if path and Path(file).is_file():
        return _send_built(dist, path)
    if "." in name:
        abort(404)  # a missing file, not a client route: never answer it with HTML
    response = _send_built(dist, "index.html")
    if path.startswith(NOT_INDEXED):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpenParcours API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{css}"></head>
<body><div id="swagger-ui" data-spec-url="{spec}"></div>
<script src="{bundle}"></script><script src="{init}"></script></body></html>
"""
DOCS_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js"}


@web.get("/api/v1/docs")
def api_docs():
    return DOCS_PAGE.format(
        css=url_for("web.api_docs_asset", filename="swagger-ui.css"),
        bundle=url_for("web.api_docs_asset", filename="swagger-ui-bundle.js"),
        init=url_for("web.api_docs_asset", filename="init.js"),
        spec=url_for("api-docs.openapi_json"),
    )


@web.get("/api/v1/docs/<filename>")
def api_docs_asset(filename: str):
    if filename == "init.js":
        return send_from_directory(Path(__file__).parent, "docs-init.js", max_age=3600)
    if filename not in DOCS_ASSETS:
        abort(404)
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)
