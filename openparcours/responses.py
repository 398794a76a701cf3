"""Response helpers shared by the API blueprints."""

import hashlib
import json
import re
from collections.abc import Callable
from urllib.parse import quote

from flask import make_response, request, stream_with_context

from openparcours.downloads import Download


def attachment(download: Download):
    """A file to save, never cached on the way: most hold students' names or answers, and each
    is for the login that asked for it. The name as RFC 6266 asks, in UTF-8 and in ASCII for
    old clients. Chunks are made while they are sent, in the request's context."""
    data = download.data
    response = make_response(data if isinstance(data, bytes) else stream_with_context(data))
    response.mimetype = download.mime
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", download.filename)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download.filename, safe='')}"
    )
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def etag_of(basis: list) -> str:
    """An ETag that changes whenever something in `basis` does."""
    return hashlib.sha256(json.dumps(basis, default=str).encode()).hexdigest()[:32]


def conditional(etag: str, build: Callable[[], object]):
    """304 when the client has this version already; else the body `build()` makes. The weak
    comparison If-None-Match calls for (RFC 9110): a proxy that compresses the body marks the
    ETag weak, W/"…", and the phone sends it back so."""
    unchanged = request.if_none_match.contains_weak(etag)
    response = make_response("", 304) if unchanged else make_response(build())
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
