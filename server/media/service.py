"""Uploads are judged by their content: images are decoded and re-encoded to WebP without any
metadata (EXIF, GPS), audio is accepted by its whole structure and stored without its tags
(ID3, RIFF INFO, MPEG-4 metadata); everything else is refused and nothing is stored."""

import io
import struct
import warnings

from flask import current_app, url_for
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select

from server import policy
from server.accounts.models import User
from server.errors import Forbidden, NotAuthenticated, NotFound, ServiceError
from server.extensions import db
from server.media.models import Media
from server.media.storage import LocalStorage
from server.organisations.models import Organisation
from server.visits.models import Team

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE, THUMBNAIL_SIDE = 1600, 400
# Anything larger is a decompression bomb or a camera RAW nobody should upload here.
MAX_PIXELS = 40_000_000
WEBP_QUALITY = 80
CLEAN_WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
AUDIO_MIME = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav", "m4a": "audio/mp4"}


class UnsupportedMedia(ServiceError):
    status, code = 415, "unsupported_media"


class InvalidImage(ServiceError):
    status, code = 422, "invalid_image"


class ImageTooLarge(ServiceError):
    status, code = 413, "image_too_large"


class MediaTooLarge(ServiceError):
    status, code = 413, "media_too_large"


# Room for the multipart envelope around the largest allowed file.
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit() -> int:
    return current_app.config["MEDIA_MAX_BYTES"] + MULTIPART_OVERHEAD


def storage() -> LocalStorage:
    return LocalStorage(current_app.config["MEDIA_DIR"])


def audio_extension(data: bytes) -> str | None:
    """The kind of audio file, judged by its whole structure: a file that starts like audio
    but has anything else inside or after it (an HTML page, a ZIP) is not audio."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav" if _is_wav(data) else None
    if data[:4] == b"OggS":
        return "ogg" if _is_ogg(data) else None
    if data[4:8] == b"ftyp" and data[8:12] in (b"M4A ", b"M4B "):
        return "m4a" if _is_mp4(data) else None
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3" if _is_mp3(data) else None
    return None


def _riff_chunks(data: bytes) -> list[tuple[bytes, int, int]] | None:
    """The chunks of a RIFF file as (id, start, end), if they fill it exactly."""
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        return None
    offset, chunks = 12, []
    while offset + 8 <= len(data):
        chunk = data[offset : offset + 4]
        size = struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        if not chunk.strip(b" ").isalnum():  # ASCII letters and digits, as "fmt " or "LIST"
            return None
        chunks.append((chunk, offset, offset + 8 + size + (size & 1)))
        offset = chunks[-1][2]
    return chunks if offset == len(data) else None


def _is_wav(data: bytes) -> bool:
    """RIFF chunks that fill the file exactly, a format and a data chunk among them."""
    chunks = _riff_chunks(data)
    return chunks is not None and {b"fmt ", b"data"} <= {chunk for chunk, _, _ in chunks}


def _is_ogg(data: bytes) -> bool:
    """Ogg pages, one after the other, to the last byte."""
    offset = 0
    while offset < len(data):
        if data[offset : offset + 5] != b"OggS\x00" or offset + 27 > len(data):
            return False
        segments = data[offset + 26]
        table = data[offset + 27 : offset + 27 + segments]
        if len(table) != segments:
            return False
        offset += 27 + segments + sum(table)
    return offset == len(data)


def _mp4_boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]] | None:
    """The boxes between `start` and `end` as (type, start, end), if they fill it exactly."""
    offset, boxes = start, []
    while offset + 8 <= end:
        size = struct.unpack(">I", data[offset : offset + 4])[0]
        if size == 1 and offset + 16 <= end:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        elif size == 0:
            size = end - offset
        box = data[offset + 4 : offset + 8]
        if size < 8 or not box.isalnum():
            return None
        boxes.append((box, offset, offset + size))
        offset += size
    return boxes if offset == end else None


def _is_mp4(data: bytes) -> bool:
    """Top-level boxes that fill the file exactly."""
    return _mp4_boxes(data, 0, len(data)) is not None


# MPEG audio layer III: bit rates (kbit/s) by version, and sample rates (Hz).
MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_length(header: bytes) -> int | None:
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # a reserved version, not layer III, a free or bad bit rate
    bitrate = MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = MP3_SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    return (144 if version == 3 else 72) * bitrate // rate + padding


def _mp3_frames(data: bytes) -> tuple[int, int] | None:
    """Where the MPEG frames are, between an optional ID3v2 tag and an optional ID3v1 tag."""
    start = 0
    if data[:3] == b"ID3":
        if len(data) < 10 or any(b & 0x80 for b in data[6:10]):
            return None
        start = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
        start += 10 if data[5] & 0x10 else 0  # a footer
    end = len(data) - 128 if data[-128:-125] == b"TAG" else len(data)
    return start, end


def _is_mp3(data: bytes) -> bool:
    """An optional ID3v2 tag, MPEG layer III frames to the end, an optional ID3v1 tag."""
    span = _mp3_frames(data)
    if span is None:
        return False
    offset, end = span
    frames = 0
    while offset < end:
        length = _mp3_frame_length(data[offset : offset + 4])
        if length is None or offset + length > end:
            return False
        offset, frames = offset + length, frames + 1
    return frames > 0


# What sound needs of a WAV file; LIST/INFO, "id3 ", bext, iXML and XMP chunks are tags.
WAV_SOUND_CHUNKS = {b"fmt ", b"fact", b"data"}
# MPEG-4 boxes that hold tags (iTunes' ilst, XMP), at the top, in the movie and in its tracks.
MP4_TAG_BOXES = {b"udta", b"meta", b"uuid"}
MP4_CONTAINERS = {b"moov", b"trak"}


def _without_tags(data: bytes, extension: str) -> bytes:
    """Audio as it sounds, without the tags that may name a person, a place or a school (ID3
    frames, RIFF INFO, MPEG-4 metadata), as images lose their EXIF."""
    if extension == "mp3":
        start, end = _mp3_frames(data)
        return data[start:end]
    if extension == "wav":
        kept = b"".join(
            data[a:b] for chunk, a, b in _riff_chunks(data) if chunk in WAV_SOUND_CHUNKS
        )
        return b"RIFF" + struct.pack("<I", len(kept) + 4) + b"WAVE" + kept
    if extension == "m4a":
        # A tag box becomes a "free" box of zeros of the same size: the sample offsets in the
        # movie's tables stay right.
        cleaned = bytearray(data)
        pending = [(0, len(data))]
        while pending:
            for box, start, end in _mp4_boxes(data, *pending.pop()) or []:
                header = 16 if struct.unpack(">I", data[start : start + 4])[0] == 1 else 8
                if box in MP4_TAG_BOXES:
                    cleaned[start + 4 : start + 8] = b"free"
                    cleaned[start + header : end] = bytes(end - start - header)
                elif box in MP4_CONTAINERS:
                    pending.append((start + header, end))
        return bytes(cleaned)
    return data


def _is_clean_webp(data: bytes) -> bool:
    """A WebP with image chunks only and nothing after its end: stored as it is, so files that
    this server wrote (and trails exported from it) come back byte for byte."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        return False
    offset = 12
    while offset < len(data):
        if offset + 8 > len(data):
            return False
        chunk, size = (
            data[offset : offset + 4],
            struct.unpack("<I", data[offset + 4 : offset + 8])[0],
        )
        if chunk not in CLEAN_WEBP_CHUNKS:
            return False
        if chunk == b"VP8X" and data[offset + 8] & 0b00111110:  # ICC, EXIF, XMP or animation
            return False
        offset += 8 + size + (size & 1)
    return offset == len(data)


def _open_image(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise UnsupportedMedia(f"{image.format} images are not supported.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageTooLarge(f"At most {MAX_PIXELS // 1_000_000} megapixels.")
            image.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageTooLarge(f"At most {MAX_PIXELS // 1_000_000} megapixels.") from error
    except UnidentifiedImageError as error:
        raise UnsupportedMedia("Only JPEG, PNG, WebP, GIF images and MP3, OGG, WAV, M4A audio."
                               ) from error  # fmt: skip
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidImage("The image is damaged or incomplete.") from error
    return image


def _webp(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.LANCZOS)
    # A fresh image from the pixels alone: no EXIF, GPS, XMP or ICC can ride along.
    clean = Image.frombytes(copy.mode, copy.size, copy.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue(), clean.width, clean.height


def _store_image(data: bytes) -> dict:
    image = _open_image(data)
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if _is_clean_webp(data) and max(image.size) <= MAX_SIDE:
        main, width, height = data, image.width, image.height
    else:
        main, width, height = _webp(image, MAX_SIDE)
    thumbnail, _, _ = _webp(image, THUMBNAIL_SIDE)
    files = storage()
    return {
        "kind": "image", "mime": "image/webp", "width": width, "height": height,
        "size": len(main), "file": files.put(main, "webp"),
        "thumbnail": files.put(thumbnail, "webp"),
    }  # fmt: skip


def store_upload(
    data: bytes, *, owner_organisation: Organisation | None, actor: User | None
) -> Media:
    """Check, clean and store one upload. Team photos have no owner organisation."""
    if owner_organisation is not None:
        policy.require(actor, "media.upload", owner_organisation)
    media = store_media(data, owner_organisation, actor)
    db.session.commit()
    return media


def store_media(
    data: bytes,
    owner_organisation: Organisation | None,
    actor: User | None,
    *,
    team_id: int | None = None,
) -> Media:
    """The checks and cleaning of `store_upload`, without permission check or commit: for
    callers that store several files in one transaction (trail imports) and team photos."""
    if not data:
        raise UnsupportedMedia("The file is empty.")
    if len(data) > current_app.config["MEDIA_MAX_BYTES"]:
        raise MediaTooLarge(f"At most {current_app.config['MEDIA_MAX_BYTES'] // 2**20} MB.")
    extension = audio_extension(data)
    if extension:
        data = _without_tags(data, extension)
        fields = {
            "kind": "audio", "mime": AUDIO_MIME[extension], "size": len(data),
            "file": storage().put(data, extension),
        }  # fmt: skip
    else:
        fields = _store_image(data)
    media = Media(
        organisation_id=owner_organisation.id if owner_organisation else None,
        created_by_id=actor.id if actor else None,
        team_id=team_id,
        **fields,
    )
    db.session.add(media)
    db.session.flush()
    return media


def get_media(media_id: int) -> Media:
    media = db.session.get(Media, media_id)
    if media is None:
        raise NotFound("There is no such media file.")
    return media


def file_url(name: str | None) -> str | None:
    """The public, cacheable address of a stored file of the institutions' media."""
    return url_for("media_files.media_file", name=name) if name else None


def photo_url(media: Media | None, *, thumbnail: bool = False) -> str | None:
    """The address of a team's photo (or its thumbnail): readable by the team with its token
    and by the visit's managers with their session, never cached on the way."""
    if media is None or (thumbnail and not media.thumbnail):
        return None
    size = {"size": "thumbnail"} if thumbnail else {}
    return url_for("media.TeamPhoto", media_id=media.id, **size)


def media_url(media: Media, *, thumbnail: bool = False) -> str | None:
    if media.team_id is not None:
        return photo_url(media, thumbnail=thumbnail)
    return file_url(media.thumbnail if thumbnail else media.file)


def is_public_file(name: str) -> bool:
    """A stored file that some institution's upload names: a file only teams' photos name is
    served to their readers alone (identical bytes uploaded by an institution are public)."""
    named = or_(Media.file == name, Media.thumbnail == name)
    institutions = select(Media.id).where(named, Media.team_id.is_(None))
    return db.session.scalar(select(institutions.exists()))


def team_photo(
    actor: User | None, team: Team | None, media_id: int, *, thumbnail: bool = False
) -> str:
    """The stored file of a team's photo for the team itself (`team`, from its token) or the
    managers of its visit (`actor`, from the session)."""
    media = db.session.get(Media, media_id)
    if media is None or media.team_id is None:
        raise NotFound("There is no such photo.")
    if team is not None:
        if team.id != media.team_id:
            raise Forbidden("This photo belongs to another team.")
    elif actor is None:
        raise NotAuthenticated("Please log in or send the team token.")
    else:
        policy.require(actor, "visit.manage", media.team.visit)
    name = media.thumbnail if thumbnail else media.file
    if not name or not storage().exists(name):
        raise NotFound("There is no such photo.")
    return name
