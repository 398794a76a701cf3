"""Uploads are judged by their content: images are decoded and re-encoded to WebP without any
metadata (EXIF, GPS), audio is accepted by its whole structure and stored without its tags
(ID3, RIFF INFO, MPEG-4 metadata; see `formats`); everything else is refused and nothing is
stored."""

import io
import warnings

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.errors import Forbidden, NotAuthenticated, NotFound, ServiceError
from openparcours.extensions import db
from openparcours.media.formats import (
    AUDIO_MIME,
    audio_extension,
    is_clean_webp,
    is_pdf,
    without_tags,
)
from openparcours.media.models import Media
from openparcours.media.storage import LocalStorage, S3Storage, Storage
from openparcours.organisations.models import Organisation
from openparcours.visits.models import Team

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE, THUMBNAIL_SIDE = 1600, 400
# Anything larger is a decompression bomb or a camera RAW nobody should upload here.
MAX_PIXELS = 40_000_000
WEBP_QUALITY = 80


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


def storage() -> Storage:
    """The app's media storage: the bucket of MEDIA_URL, else the folder MEDIA_DIR."""
    url = current_app.config.get("MEDIA_URL")
    if not url:
        return LocalStorage(current_app.config["MEDIA_DIR"])
    # One client per app and URL, made at first use: making one costs milliseconds, and made
    # in the worker it never crosses the fork of a preloading gunicorn.
    clients = current_app.extensions.setdefault("media_storage", {})
    if url not in clients:
        clients[url] = S3Storage(url)
    return clients[url]


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
        raise UnsupportedMedia(
            "Only JPEG, PNG, WebP, GIF images and MP3, OGG, WAV, M4A audio."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidImage("The image is damaged or incomplete.") from error
    return image


def _webp(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A fresh image from the pixels alone: no EXIF, GPS, XMP or ICC can ride along.
    clean = Image.frombytes(copy.mode, copy.size, copy.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue(), clean.width, clean.height


def _cleaned_image(data: bytes) -> tuple[Image.Image, bytes, int, int]:
    """The image upright, and as stored: WebP, at most MAX_SIDE, without metadata."""
    image = _open_image(data)
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if is_clean_webp(data) and max(image.size) <= MAX_SIDE:
        return image, data, image.width, image.height
    return image, *_webp(image, MAX_SIDE)


def _store_image(data: bytes) -> dict:
    image, main, width, height = _cleaned_image(data)
    thumbnail, _, _ = _webp(image, THUMBNAIL_SIDE)
    files = storage()
    return {
        "kind": "image",
        "mime": "image/webp",
        "width": width,
        "height": height,
        "size": len(main),
        "file": files.put(main, "webp"),
        "thumbnail": files.put(thumbnail, "webp"),
    }


def store_upload(data: bytes, *, owner_organisation: Organisation, actor: User) -> Media:
    """Check, clean and store one upload of an organisation's media."""
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
        data = without_tags(data, extension)
        fields = {
            "kind": "audio",
            "mime": AUDIO_MIME[extension],
            "size": len(data),
            "file": storage().put(data, extension),
        }
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


def store_document(data: bytes, max_bytes: int) -> dict:
    """A PDF as it is, or an image cleaned as uploads are, for a file that is no media of an
    institution (a message's attachment): {"mime", "size", "file"}, nothing else stored."""
    if not data:
        raise UnsupportedMedia("The file is empty.")
    if len(data) > max_bytes:
        raise MediaTooLarge(f"At most {max_bytes // 2**20} MB.")
    if data.startswith(b"%PDF"):
        if not is_pdf(data):
            raise UnsupportedMedia("The PDF is damaged or has active content (scripts, files).")
        mime, extension = "application/pdf", "pdf"
    else:
        _, data, _, _ = _cleaned_image(data)
        mime, extension = "image/webp", "webp"
    return {"mime": mime, "size": len(data), "file": storage().put(data, extension)}


def get_media(media_id: int) -> Media:
    media = db.session.get(Media, media_id)
    if media is None:
        raise NotFound("There is no such media file.")
    return media


def is_public_file(name: str) -> bool:
    """A stored file that some institution's upload names: a file only teams' photos name is
    served to their readers alone (identical bytes uploaded by an institution are public)."""
    named = or_(Media.file == name, Media.thumbnail == name)
    institutions = select(Media.id).where(named, Media.team_id.is_(None))
    return db.session.execute(select(institutions.exists())).scalar_one()


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
