"""Response helpers shared by the API blueprints."""

from collections.abc import Iterable
from urllib.parse import quote

from flask import make_response


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
