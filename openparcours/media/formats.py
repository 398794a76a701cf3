"""What an uploaded file is, judged by its bytes alone: audio by its whole structure (RIFF
WAVE, Ogg, MPEG-4, MP3) and without its tags, and WebP images that are stored as they are.
PDF documents are accepted by their frame and without active content. No Flask, no database:
bytes in, answers out."""

import re
import struct

AUDIO_MIME = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav", "m4a": "audio/mp4"}


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


def without_tags(data: bytes, extension: str) -> bytes:
    """Audio as it sounds, without the tags that may name a person, a place or a school (ID3
    frames, RIFF INFO, MPEG-4 metadata), as images lose their EXIF."""
    if extension == "mp3":
        span = _mp3_frames(data)
        assert span is not None, "only audio recognised as MP3 comes here"
        start, end = span
        return data[start:end]
    if extension == "wav":
        chunks = _riff_chunks(data)
        assert chunks is not None, "only audio recognised as WAV comes here"
        kept = b"".join(data[a:b] for chunk, a, b in chunks if chunk in WAV_SOUND_CHUNKS)
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


CLEAN_WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def is_clean_webp(data: bytes) -> bool:
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


# What makes a PDF do something when opened: scripts, launching programs, embedded files,
# forms that submit. A name may hide behind #xx escapes (/J#61vaScript), which are undone first.
_ACTIVE_PDF = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|SubmitForm|ImportData|RichMedia)\b"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def is_pdf(data: bytes) -> bool:
    """A PDF from its header to its end-of-file marker, with no active content in its objects.
    Compressed object streams are not opened: the app serves every PDF as a download in a
    sandbox, never as a page of its own."""
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        return False
    if b"%%EOF" not in data[-1024:]:
        return False
    names = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return _ACTIVE_PDF.search(names) is None
