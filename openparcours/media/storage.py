"""Where media files live: one small interface, files named by the SHA-256 of their content."""

import hashlib
import os
import re
import tempfile
from pathlib import Path

NAME = re.compile(r"^[0-9a-f]{64}\.(webp|mp3|ogg|wav|m4a|pdf)$")


class LocalStorage:
    """Files in a folder, sharded as ab/cd/abcd….ext; writes are atomic and idempotent."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @staticmethod
    def name_for(data: bytes, extension: str) -> str:
        return f"{hashlib.sha256(data).hexdigest()}.{extension}"

    def path(self, name: str) -> Path:
        if not NAME.match(name):
            raise ValueError(f"not a media file name: {name!r}")
        return self.root / name[:2] / name[2:4] / name

    def put(self, data: bytes, extension: str) -> str:
        name = self.name_for(data, extension)
        target = self.path(name)
        if target.exists():
            return name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def exists(self, name: str) -> bool:
        return NAME.match(name) is not None and self.path(name).is_file()

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)
