"""Response helpers shared by the API blueprints."""

import hashlib
import json
from collections.abc import Callable, Iterable
from urllib.parse import quote

from flask import make_response, request


def download(data: bytes | Iterable[bytes], mime: str, filename: str):
    """A file to save, never cached on the way; non-ASCII names as RFC 6266 asks. `data` may
    be chunks, sent as they are made."""
    response = make_response(data)
    response.mimetype = mime
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def etag_of(basis: list) -> str:
    """An ETag that changes whenever something in `basis` does."""
    return hashlib.sha256(json.dumps(basis, default=str).encode()).hexdigest()[:32]


def conditional(etag: str, build: Callable[[], object]):
    """304 when the client has this version already; else the body `build()` makes."""
    response = (
        make_response("", 304) if request.if_none_match.contains(etag) else make_response(build())
    )
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
