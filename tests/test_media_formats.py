"""What a file is, from its bytes alone: audio by its whole structure and without its tags,
WebP images clean enough to keep as they are."""

import io

import pytest
from PIL import Image

from openparcours.media import formats
from tests.test_media import AUDIO, HOSTILE, NAME, PAGE, TAGGED, png


@pytest.mark.parametrize("name", sorted(AUDIO))
def test_audio_is_known_by_its_structure(name):
    data, mime = AUDIO[name]
    assert formats.AUDIO_MIME[formats.audio_extension(data)] == mime


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_nothing_hostile_passes_for_audio(case):
    assert formats.audio_extension(HOSTILE[case][0]) is None


@pytest.mark.parametrize("name", sorted(TAGGED))
def test_audio_without_its_tags_is_still_the_same_kind_of_audio(name):
    data = TAGGED[name]
    extension = formats.audio_extension(data)
    clean = formats.without_tags(data, extension)
    assert formats.audio_extension(clean) == extension
    for encoding in ("utf-8", "utf-16-le", "latin-1"):
        assert NAME.encode(encoding) not in clean


def webp(**options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 90, 80)).save(out, format="WEBP", **options)
    return out.getvalue()


def test_only_a_webp_of_image_chunks_alone_is_clean():
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"
    assert formats.is_clean_webp(webp())
    assert not formats.is_clean_webp(webp(exif=exif.tobytes()))
    assert not formats.is_clean_webp(webp() + PAGE)
    assert not formats.is_clean_webp(png())
