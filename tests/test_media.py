"""Uploads: checked by content, images cleaned and re-encoded, hostile files refused."""

import io
import struct
import wave
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from openparcours.extensions import db
from openparcours.media.models import Media
from tests.factories import png
from tests.helpers import error_code

GPS_IFD = 0x8825


def jpeg_with_gps(size=(2400, 1800)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 28.0, 12.0), 3: "E", 4: (7.0, 13.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    return out.getvalue()


@pytest.fixture
def museum(make_organisation):
    return make_organisation("museum")


@pytest.fixture
def author(make_client, make_user, museum):
    return make_client(make_user(roles={museum: ["educator"]}))


def upload(browser, organisation, data: bytes, name="upload.bin"):
    return browser.post(
        f"/api/v1/organisations/{organisation.id}/media",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_files(storage) -> list[str]:
    return list(storage.names())


def test_image_is_reencoded_without_metadata(media_storage, author, museum, client):
    response = upload(author, museum, jpeg_with_gps(), "IMG_0001.JPG")
    assert response.status_code == 201, response.json
    media = response.json
    assert (media["kind"], media["mime"]) == ("image", "image/webp")
    assert (media["width"], media["height"]) == (1600, 1200)
    for url in (media["url"], media["thumbnail_url"]):
        served = client.get(url)
        assert served.status_code == 200
        assert served.mimetype == "image/webp"
        assert set(served.headers["Cache-Control"].split(", ")) == {
            "public",
            "max-age=31536000",
            "immutable",
        }
        image = Image.open(io.BytesIO(served.data))
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info
        served.close()
    thumbnail = Image.open(io.BytesIO(client.get(media["thumbnail_url"]).data))
    assert max(thumbnail.size) == 400


def test_the_same_image_twice_is_stored_once(media_storage, author, museum):
    data = png(size=(800, 600))
    first, second = upload(author, museum, data).json, upload(author, museum, data).json
    assert first["id"] != second["id"]
    assert first["url"] == second["url"]
    assert len(stored_files(media_storage)) == 2  # the image and its thumbnail


def test_a_clean_webp_is_kept_byte_for_byte(media_storage, author, museum, client):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 90, 80)).save(out, format="WEBP", quality=80)
    media = upload(author, museum, out.getvalue(), "bild.webp").json
    assert client.get(media["url"]).data == out.getvalue()


# Encoded with LAME 3.100 (with ID3 tags) and oggenc from the sample trail's glockensignal.wav.
SAMPLES = Path(__file__).parent / "media"


def m4a() -> bytes:
    """The boxes of an MPEG-4 audio file: its type, the (empty) metadata and the samples."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"M4A ", 0, b"M4A ", b"isom")
    return ftyp + struct.pack(">I4s", 8, b"moov") + struct.pack(">I4s", 12, b"mdat") + b"\0" * 4


AUDIO = {
    "erzaehlung.wav": (wav(), "audio/wav"),
    "glocke.mp3": ((SAMPLES / "glockensignal.mp3").read_bytes(), "audio/mpeg"),
    "glocke.ogg": ((SAMPLES / "glockensignal.ogg").read_bytes(), "audio/ogg"),
    "glocke.m4a": (m4a(), "audio/mp4"),
}


@pytest.mark.parametrize("name", sorted(AUDIO))
def test_audio_is_accepted_by_its_structure(author, museum, client, name):
    data, mime = AUDIO[name]
    media = upload(author, museum, data, name).json
    assert (media["kind"], media["mime"]) == ("audio", mime)
    served = client.get(media["url"])
    assert served.mimetype == mime
    assert served.data == without_id3(data)
    # Even if a file were more than it seems, it cannot run as a page of this site.
    assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def without_id3(data: bytes) -> bytes:
    """An MP3's frames: LAME wrote an ID3v2 tag (its version) and an ID3v1 tag (a title)."""
    if data[:3] != b"ID3":
        return data
    start = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    return data[start : -128 if data[-128:-125] == b"TAG" else None]


# --- Tags in audio: they may name a student, a teacher, a school or a place -----------------

NAME = "Max Mustermann, 7b, Gesamtschule Bochum"


def id3v2(frames: dict[str, str]) -> bytes:
    """An ID3v2.3 tag of text frames (UTF-16, as iTunes and Windows write them)."""
    body = b""
    for frame, text in frames.items():
        payload = b"\x01" + text.encode("utf-16")
        if frame == "COMM":
            payload = b"\x01deu" + "".encode("utf-16") + b"\x00\x00" + text.encode("utf-16")
        body += frame.encode() + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    size = bytes((len(body) >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + size + body


def id3v1(title: str, artist: str) -> bytes:
    fields = [title, artist, "Album", "2026", "Kommentar"]
    widths = [30, 30, 30, 4, 30]
    return (
        b"TAG"
        + b"".join(
            f.encode("latin-1")[:w].ljust(w, b"\x00") for f, w in zip(fields, widths, strict=True)
        )
        + b"\x0c"
    )


def riff_chunk(name: bytes, payload: bytes) -> bytes:
    return name + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)


def box(name: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + name + payload


def tagged_wav() -> bytes:
    """A WAV with a LIST/INFO chunk (title, artist, comment) before its samples, as Audacity
    writes it, and an ID3 chunk after them."""
    plain = wav()
    fmt_and_data = plain[12:]
    info = b"INFO" + riff_chunk(b"INAM", NAME.encode() + b"\x00")
    info += riff_chunk(b"IART", b"Frau Beispiel\x00") + riff_chunk(b"ICMT", b"Zeche Zollern\x00")
    body = b"WAVE" + fmt_and_data[:24] + riff_chunk(b"LIST", info) + fmt_and_data[24:]
    body += riff_chunk(b"id3 ", id3v2({"TIT2": NAME}))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def tagged_m4a() -> bytes:
    """An M4A as iTunes tags it: moov/udta/meta/ilst with a title (©nam) and an artist."""
    ilst = box(
        b"ilst", box(b"\xa9nam", box(b"data", b"\x00\x00\x00\x01\x00\x00\x00\x00" + NAME.encode()))
    )
    meta = box(b"meta", b"\x00\x00\x00\x00" + box(b"hdlr", b"\x00" * 24) + ilst)
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"M4A ", 0, b"M4A ", b"isom")
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100) + box(b"udta", meta))
    return ftyp + moov + box(b"mdat", b"\x11" * 64) + box(b"meta", b"\x00" * 4 + NAME.encode())


def tagged_mp3() -> bytes:
    frames = without_id3(AUDIO["glocke.mp3"][0])
    tags = {"TIT2": NAME, "TPE1": "Frau Beispiel", "TALB": "Zeche Zollern", "COMM": NAME}
    return id3v2(tags) + frames + id3v1(NAME, "Frau Beispiel")


TAGGED = {
    "lame.mp3": AUDIO["glocke.mp3"][0],
    "tagged.mp3": tagged_mp3(),
    "tagged.wav": tagged_wav(),
    "tagged.m4a": tagged_m4a(),
}


@pytest.mark.parametrize("name", sorted(TAGGED))
def test_audio_is_stored_without_its_tags(media_storage, author, museum, client, name):
    data = TAGGED[name]
    media = upload(author, museum, data, name).json
    assert media["kind"] == "audio", media
    served = client.get(media["url"]).data
    for text in ("Mustermann", "Beispiel", "Zollern", "Titel", "LAME 64bits"):
        for encoding in ("utf-8", "utf-16-le", "latin-1"):
            assert text.encode(encoding) not in served, (text, encoding)
    assert media["size"] == len(served)
    if name.endswith(".mp3"):
        assert served == without_id3(AUDIO["glocke.mp3"][0])  # every MPEG frame, as it was
    elif name.endswith(".wav"):
        with wave.open(io.BytesIO(served)) as clean, wave.open(io.BytesIO(wav())) as plain:
            assert clean.readframes(10_000) == plain.readframes(10_000)
    else:  # the boxes keep their places: the samples' offsets stay right
        assert len(served) == len(data)
        assert served.count(b"\x11" * 64) == 1
        assert served.index(b"mdat") == data.index(b"mdat")


PAGE = b"<!doctype html><script>alert(document.cookie)</script>"


@pytest.mark.parametrize("payload", [PAGE, b"PK\x03\x04" + b"\x00" * 60], ids=["html", "zip"])
def test_images_with_something_appended_are_stored_clean(media_storage, author, museum, payload):
    for image in (jpeg_with_gps((320, 240)), png(size=(320, 240))):
        response = upload(author, museum, image + payload, "bild.jpg")
        assert response.status_code == 201, response.json
    names = stored_files(media_storage)
    assert len(names) == 2  # two images, each small enough to be its own thumbnail
    for name in names:
        assert payload not in media_storage.read(name)
        assert b"<script" not in media_storage.read(name)


def decompression_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # tiny file, 400 megapixels
    return out.getvalue()


HOSTILE = {
    "text posing as a jpeg": (b"just some text, not an image at all", 415, "unsupported_media"),
    "svg with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        415,
        "unsupported_media",
    ),
    "html": (b"<!doctype html><script>alert(1)</script>", 415, "unsupported_media"),
    "truncated jpeg": (jpeg_with_gps((200, 200))[:400], 422, "invalid_image"),
    "png header then junk": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "unsupported_media"),
    "zip renamed": (b"PK\x03\x04" + b"\x00" * 100, 415, "unsupported_media"),
    "empty": (b"", 415, "unsupported_media"),
    "decompression bomb": (decompression_bomb(), 413, "image_too_large"),
    # Polyglots: audio at the start, something else inside or after it.
    "wav with a page after it": (wav() + PAGE, 415, "unsupported_media"),
    "mp3 with a page after it": (AUDIO["glocke.mp3"][0] + PAGE, 415, "unsupported_media"),
    "ogg with a zip after it": (
        AUDIO["glocke.ogg"][0] + b"PK\x03\x04" + b"\0" * 40,
        415,
        "unsupported_media",
    ),
    "m4a with a page after it": (m4a() + PAGE, 415, "unsupported_media"),
    "an id3 tag around a page": (
        b"ID3\x04\x00\x00\x00\x00\x00\x40" + PAGE + b"\0" * 10,
        415,
        "unsupported_media",
    ),
    "an mp3 frame start, then a page": (b"\xff\xfb\x90\x00" + PAGE, 415, "unsupported_media"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_uploads_are_refused_and_nothing_is_stored(media_storage, author, museum, case):
    data, status, code = HOSTILE[case]
    response = upload(author, museum, data, "photo.jpg")
    assert response.status_code == status, response.json
    assert error_code(response) == code
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0
    assert stored_files(media_storage) == []


def test_oversized_uploads_are_413_json(app, media_storage, author, museum):
    app.config["MEDIA_MAX_BYTES"] = 100_000
    response = upload(author, museum, b"\x00" * 300_000)
    assert response.status_code == 413
    assert error_code(response) in {"payload_too_large", "media_too_large"}
    assert stored_files(media_storage) == []


def test_who_may_upload(make_client, make_user, museum, make_organisation):
    school, other_museum = make_organisation("school"), make_organisation("museum")
    assert upload(make_client(), museum, png()).status_code == 401
    for user in (
        make_user(roles={school: ["teacher"]}),
        make_user(roles={other_museum: ["educator"]}),
    ):
        assert upload(make_client(user), museum, png()).status_code == 403
    assert upload(make_client(make_user(site_admin=True)), museum, png()).status_code == 201
    assert (
        upload(make_client(make_user(roles={museum: ["admin"]})), museum, png()).status_code == 201
    )


def test_upload_without_a_file_names_the_field(author, museum):
    response = author.post(
        f"/api/v1/organisations/{museum.id}/media", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "file" in response.json["errors"]


@pytest.mark.parametrize("name", ["abc.webp", "a" * 64 + ".html", "A" * 64 + ".webp"])
def test_media_names_are_checked_strictly(client, name):
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize("path", ["/media/../secret_key", "/media/..%2f..%2fsecret_key"])
def test_no_path_leads_out_of_the_media_folder(app, client, path):
    (Path(app.config["MEDIA_DIR"]).parent / "secret_key").write_text("TOPSECRET")
    assert b"TOPSECRET" not in client.get(path).data
