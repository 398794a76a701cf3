"""Zips of trail folders: unpacked with care (zip slip, zip bombs), written reproducibly."""

import io
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from openparcours.trails.format.package import DOCUMENT, ordered_files
from openparcours.trails.format.problems import ImportFailed, problem

MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that the same trail gives the same zip
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or "\0" in name
        or bool(_DRIVE.match(name))
    )


def unpack(source: bytes | Path | BinaryIO) -> dict[str, bytes]:
    """The trail document and media files of a zip of a trail folder, at its root or inside
    one folder, by their path in the package. Refuses unsafe paths (zip slip), more than
    MAX_ENTRIES entries and more than MAX_UNPACKED_BYTES unpacked (zip bombs, counted while
    unpacking, not trusted from the zip's directory)."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise ImportFailed.at_once("not_a_zip", "Not a zip file, or a damaged one.") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed.at_once(
                "zip_too_many_entries",
                f"The zip has more than {MAX_ENTRIES} entries.",
                limit=MAX_ENTRIES,
            )
        unsafe = [info.filename for info in entries if _unsafe(info.filename)]
        if unsafe:
            raise ImportFailed(
                {
                    "$": [
                        problem("zip_unsafe_path", f"Unsafe path in the zip: {n!r}.", {"file": n})
                        for n in unsafe
                    ]
                }
            )
        files = [info for info in entries if not info.is_dir()]
        names = [info.filename for info in files]
        if len(set(names)) != len(names):
            raise ImportFailed.at_once("zip_file_twice", "The zip holds a file twice.")
        documents = [
            n for n in names if PurePosixPath(n).name == DOCUMENT and not n.startswith("__MACOSX/")
        ]
        if len(documents) != 1:
            raise ImportFailed.at_once(
                "no_trail_document", f"The zip must hold exactly one {DOCUMENT}.", file=DOCUMENT
            )
        base = PurePosixPath(documents[0]).parent
        wanted = {}
        for info in files:
            relative = PurePosixPath(info.filename)
            if base.parts:
                if relative.parts[: len(base.parts)] != base.parts:
                    continue  # e.g. __MACOSX/ beside the trail folder
                relative = relative.relative_to(base)
            if str(relative) == DOCUMENT or (
                len(relative.parts) == 2 and relative.parts[0] == "media"
            ):
                wanted[str(relative)] = info
        too_large = ImportFailed.at_once(
            "zip_too_large",
            f"The zip unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB.",
            megabytes=MAX_UNPACKED_BYTES // 2**20,
        )
        if sum(info.file_size for info in wanted.values()) > MAX_UNPACKED_BYTES:
            raise too_large
        budget = MAX_UNPACKED_BYTES
        contents: dict[str, bytes] = {}
        for name_in_package, info in sorted(wanted.items()):
            try:
                with archive.open(info) as member:
                    content = member.read(budget + 1)
            except (
                zipfile.BadZipFile,
                RuntimeError,
                NotImplementedError,
                zlib.error,
                EOFError,
                OSError,
            ) as error:
                message = f"{info.filename} cannot be unpacked (damaged or encrypted)."
                raise ImportFailed.at_once("zip_damaged", message, file=info.filename) from error
            budget -= len(content)
            if budget < 0:
                raise too_large
            contents[name_in_package] = content
    return contents


def zip_bytes(geojson: bytes, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    write_zip(out, geojson, files)
    return out.getvalue()


def write_zip(target: Path | str | BinaryIO, geojson: bytes, files: dict[str, bytes]) -> None:
    """A reproducible zip: entries sorted by name, a fixed time stamp and file mode."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in ordered_files(geojson, files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes the zip
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
