"""The built PWA as the app serves it: client routes, cache headers, and each file in the best
encoding the browser takes from the brotli and gzip copies the build writes next to it."""

import gzip
import json
import os

import pytest

from openparcours.config import PROJECT_ROOT
from tests.helpers import error_code

SCRIPT = b"console.log('OpenParcours');\n" * 40
PAGE = b"<!doctype html><title>OpenParcours</title>" + b"<p>Beitrittscode</p>" * 30
# The server never decodes a copy, it picks one: distinct bytes show which one it sent.
BROTLI_STANDIN = b"brotli copy of the script"


@pytest.fixture
def built_pwa(app, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(PAGE)
    (dist / "index.html.gz").write_bytes(gzip.compress(PAGE, compresslevel=9))
    script = dist / "assets" / "index-abc123.js"
    script.write_bytes(SCRIPT)
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT, compresslevel=9))
    (dist / "assets" / "index-abc123.js.br").write_bytes(BROTLI_STANDIN)
    (dist / "assets" / "tiny-def456.css").write_text("p{}")  # too small for copies
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    app.config["PWA_DIST"] = str(dist)
    return dist


def get(client, path, encodings=None, **headers):
    if encodings is not None:
        headers["Accept-Encoding"] = encodings
    response = client.get(path, headers=headers)
    response.close()
    return response


def test_client_routes_fall_back_to_index_html(client, built_pwa):
    for path in ("/", "/author", "/invite/abc", "/teach/visits/3"):
        response = get(client, path)
        assert response.status_code == 200, path
        assert b"<title>OpenParcours</title>" in response.data
        assert response.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_long_and_sw_is_not(client, built_pwa):
    for encodings in ("", "br, gzip"):
        asset = get(client, "/assets/index-abc123.js", encodings)
        assert asset.cache_control.max_age == 31536000
        assert asset.cache_control.public
        assert asset.cache_control.immutable
        assert not asset.cache_control.no_cache
    for path, encodings in [("/sw.js", ""), ("/", "br, gzip"), ("/play", "")]:
        assert get(client, path, encodings).headers["Cache-Control"] == "no-cache", path


def test_missing_files_are_404_not_index_html(client, built_pwa):
    assert get(client, "/assets/gone-123.js").status_code == 404
    traversal = get(client, "/assets/..%2f..%2fsecret_key")
    assert traversal.status_code == 404
    assert b"root:" not in get(client, "/../../etc/passwd").data


def test_unbuilt_pwa_says_how_to_build_it(app, client, tmp_path):
    app.config["PWA_DIST"] = str(tmp_path / "nothing")
    response = client.get("/")
    assert response.status_code == 503
    assert error_code(response) == "app_not_built"


def test_a_relative_pwa_folder_is_taken_from_the_working_directory(app, client, built_pwa):
    app.config["PWA_DIST"] = os.path.relpath(built_pwa)
    response = get(client, "/author")
    assert response.status_code == 200
    assert b"<title>OpenParcours</title>" in response.data


@pytest.mark.parametrize(
    ("encodings", "sent"),
    [
        ("gzip, deflate, br, zstd", "br"),  # Chromium
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip;q=1, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("deflate", None),
        ("", None),
        (None, None),
        ("gzip;q=0.5", None),  # the file itself stays acceptable at q=1
        ("br, identity;q=0", "br"),
    ],
)
def test_the_browsers_accept_encoding_picks_the_copy(client, built_pwa, encodings, sent):
    response = get(client, "/assets/index-abc123.js", encodings)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == sent
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.mimetype == "text/javascript"
    body = {"br": BROTLI_STANDIN, "gzip": gzip.compress(SCRIPT, compresslevel=9), None: SCRIPT}
    assert response.data == body[sent]
    assert int(response.headers["Content-Length"]) == len(body[sent])


def test_the_page_is_compressed_where_a_copy_exists(client, built_pwa):
    for path in ("/", "/play/trail", "/index.html"):
        response = get(client, path, "gzip, deflate, br")
        assert response.headers["Content-Encoding"] == "gzip", path  # the page has no .br
        assert gzip.decompress(response.data) == PAGE
        assert response.mimetype == "text/html"
    small = get(client, "/assets/tiny-def456.css", "gzip, br")
    assert "Content-Encoding" not in small.headers
    assert small.headers["Vary"] == "Accept-Encoding"
    assert small.data == b"p{}"


def test_each_copy_has_its_own_etag_and_answers_304(client, built_pwa):
    etags = {}
    for encodings in ("br", "gzip", ""):
        first = get(client, "/assets/index-abc123.js", encodings)
        etags[encodings] = first.headers["ETag"]
        again = get(
            client, "/assets/index-abc123.js", encodings, If_None_Match=first.headers["ETag"]
        )
        assert again.status_code == 304, encodings
        assert again.data == b""
        assert again.headers["Vary"] == "Accept-Encoding"
    assert len(set(etags.values())) == 3
    # A browser that switches encodings does not keep the other copy's bytes.
    other = get(client, "/assets/index-abc123.js", "gzip", If_None_Match=etags["br"])
    assert other.status_code == 200
    assert other.headers["Content-Encoding"] == "gzip"


def test_ranges_are_served_from_the_file_itself_only(client, built_pwa):
    part = get(client, "/assets/index-abc123.js", "", Range="bytes=0-9")
    assert part.status_code == 206
    assert part.data == SCRIPT[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{len(SCRIPT)}"
    whole = get(client, "/assets/index-abc123.js", "br", Range="bytes=0-9")
    assert whole.status_code == 200
    assert whole.data == BROTLI_STANDIN
    assert whole.headers.get("Accept-Ranges") is None


def test_the_compressed_copies_have_no_urls_of_their_own(client, built_pwa):
    for path in ("/assets/index-abc123.js.br", "/assets/index-abc123.js.gz", "/index.html.gz"):
        assert get(client, path, "br, gzip").status_code == 404, path


def test_the_build_writes_copies_of_every_file_worth_compressing():
    dist = PROJECT_ROOT / "pwa" / "dist"
    if not (dist / "builds.json").is_file():
        pytest.skip("the PWA is not built: run `make setup`")
    builds = json.loads((dist / "builds.json").read_text())
    for name in ["index.html", "sw.js", *builds[0]["files"]]:
        file = dist / name
        assert file.is_file(), name
        if file.suffix in (".png",) or file.stat().st_size < 256:
            continue
        assert gzip.decompress((dist / f"{name}.gz").read_bytes()) == file.read_bytes(), name
        brotli = dist / f"{name}.br"
        assert brotli.stat().st_size < (dist / f"{name}.gz").stat().st_size, name
