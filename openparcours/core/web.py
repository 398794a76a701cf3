"""Serves the built PWA (with a fallback to index.html for client routes) and the API docs."""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from openparcours.errors import ServiceError

web = Blueprint("web", __name__)

HASHED_ASSETS = "assets/"
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


@web.get("/")
@web.get("/<client_path:path>")
def pwa(path: str = ""):
    dist = _dist()
    file = safe_join(str(dist), path) if path else str(dist / "index.html")
    if file is None:
        abort(404)  # a path escaping the build folder
    if path and Path(file).is_file():
        if path.startswith(HASHED_ASSETS):
            response = send_from_directory(dist, path, max_age=ONE_YEAR)
            response.cache_control.immutable = True
            return response
        response = send_from_directory(dist, path)
        response.cache_control.no_cache = True
        return response
    if "." in path.rsplit("/", 1)[-1]:
        abort(404)  # a missing file, not a client route: never answer it with HTML
    response = send_from_directory(dist, "index.html")
    response.cache_control.no_cache = True
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
