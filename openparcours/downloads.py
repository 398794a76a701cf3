"""Files to save: what every export hands to the API, and how its files are named.

A name is made of parts that users wrote (a class label, a team's name), which may hold
anything: "../", quotes, line breaks, a right-to-left override, emoji."""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Download:
    """A file for the user to save. `data` may be chunks, sent as they are made."""

    data: bytes | Iterator[bytes]
    mime: str
    filename: str


# Any run of characters but letters, digits, "_", "." and "-", and two dots: what makes no
# sense in a download's name, or an unwanted one (a path, a hidden file).
_NOT_IN_NAMES = re.compile(r"(?:[^\w.-]|\.\.)+")


def filename(*parts: str | int | date, ext: str) -> str:
    """`Ergebnisse-7b-2026-05-04.csv`: the parts, each with what makes no sense in a name
    replaced by "-", joined by "-"; dates as ISO days, which sort as they fall."""
    words = (
        _NOT_IN_NAMES.sub("-", part.isoformat() if isinstance(part, date) else str(part))
        for part in parts
    )
    return "-".join(filter(None, (word.strip("-.") for word in words))) + "." + ext


# What no file system allows in a name (Windows forbids the most), and control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def entry_name(text: str, max_length: int = 60) -> str:
    """A folder's or a file's name inside an archive, as its users wrote it (spaces, umlauts
    and emoji stay), never a path nor hidden, and without format characters (a right-to-left
    override, a zero-width space), which would make it read otherwise than it is."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _FORBIDDEN.sub("_", visible).strip(" .")[:max_length] or "_"
