"""Where media files live: a folder or an S3 bucket behind one small interface, files named by
the SHA-256 of their content and sharded as ab/cd/abcd….ext in either."""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import ClientError

from openparcours.media.formats import AUDIO_MIME

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

NAME = re.compile(r"^[0-9a-f]{64}\.(webp|mp3|ogg|wav|m4a|pdf)$")
MIME = {"webp": "image/webp", "pdf": "application/pdf", **AUDIO_MIME}
CHUNK = 64 * 1024


def name_for(data: bytes, extension: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{extension}"


def mime_of(name: str) -> str:
    return MIME[name.rsplit(".", 1)[1]]


def is_intact(name: str, data: bytes) -> bool:
    """Whether `data` still is the file its name was made from."""
    return hashlib.sha256(data).hexdigest() == name.split(".", 1)[0]


def _checked(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"not a media file name: {name!r}")
    return name


def _sharded(name: str) -> str:
    return f"{name[:2]}/{name[2:4]}/{_checked(name)}"


@dataclass
class Opened:
    """A stored file opened for sending: its whole size and the chunks of the bytes asked for."""

    size: int
    chunks: Iterator[bytes]


class Storage(Protocol):
    def put(self, data: bytes, extension: str) -> str: ...
    def exists(self, name: str) -> bool: ...
    def read(self, name: str) -> bytes: ...
    def delete(self, name: str) -> None: ...
    def names(self) -> Iterator[str]: ...
    def size(self, name: str) -> int: ...
    def open(self, name: str, span: tuple[int, int] | None = None) -> Opened:
        """The file, or its bytes `start` to `stop` (exclusive) for `span=(start, stop)`;
        FileNotFoundError if there is none."""
        ...


class LocalStorage:
    """Files in a folder; writes are atomic and idempotent."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root / _sharded(name)

    def put(self, data: bytes, extension: str) -> str:
        name = name_for(data, extension)
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

    def names(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/??/*")):
            if NAME.match(path.name) and path.is_file():
                yield path.name

    def size(self, name: str) -> int:
        return self.path(name).stat().st_size

    def open(self, name: str, span: tuple[int, int] | None = None) -> Opened:
        file = self.path(name).open("rb")
        size = os.fstat(file.fileno()).st_size
        start, stop = span or (0, size)
        file.seek(start)

        def chunks() -> Iterator[bytes]:
            with file:
                left = stop - start
                while left > 0 and (data := file.read(min(CHUNK, left))):
                    left -= len(data)
                    yield data

        return Opened(size, chunks())


def bucket_and_prefix(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix/"); ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


class S3Storage:
    """Objects in an S3 bucket under a prefix, for `s3://bucket/prefix`. Where the endpoint is
    and who the app is come from boto3's own settings (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, …).
    Objects get no ACL: the bucket's default keeps them private, and the app alone serves them."""

    def __init__(self, url: str):
        self.bucket, self.prefix = bucket_and_prefix(url)
        self.client: S3Client = boto3.client("s3")

    def key(self, name: str) -> str:
        return self.prefix + _sharded(name)

    def _missing(self, error: ClientError) -> bool:
        return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey")

    def put(self, data: bytes, extension: str) -> str:
        name = name_for(data, extension)
        if not self.exists(name):
            self.client.put_object(
                Bucket=self.bucket, Key=self.key(name), Body=data, ContentType=mime_of(name)
            )
        return name

    def exists(self, name: str) -> bool:
        if not NAME.match(name):
            return False
        try:
            self.size(name)
        except FileNotFoundError:
            return False
        return True

    def read(self, name: str) -> bytes:
        opened = self.open(name)
        return b"".join(opened.chunks)

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    def names(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Contents", []):
                name = entry["Key"].rsplit("/", 1)[-1]
                if NAME.match(name) and entry["Key"] == self.key(name):
                    yield name

    def size(self, name: str) -> int:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(name))["ContentLength"]
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(name) from error
            raise

    def open(self, name: str, span: tuple[int, int] | None = None) -> Opened:
        key = self.key(name)
        try:
            if span:
                asked = f"bytes={span[0]}-{span[1] - 1}"
                answer = self.client.get_object(Bucket=self.bucket, Key=key, Range=asked)
            else:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(name) from error
            raise
        # A range's answer names the whole size after the slash: "bytes 0-99/12345".
        total = answer["ContentRange"].rsplit("/", 1)[1] if span else answer["ContentLength"]
        size = int(total)
        body = answer["Body"]

        def chunks() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        return Opened(size, chunks())


def storage_at(place: str) -> Storage:
    """The storage an `s3://bucket/prefix` URL or a folder names."""
    return S3Storage(place) if place.startswith("s3://") else LocalStorage(place)


class Corrupt(Exception):
    """A stored file whose bytes no longer hash to its name."""


def copy(name: str, source: Storage, target: Storage) -> str:
    """Copy one file unless the target already holds it intact, and read it back to check:
    "copied", "present" or "repaired" (the target's copy was damaged and is replaced).
    Raises Corrupt when the source's own copy is damaged, or the copy does not read back."""
    if target.exists(name):
        if is_intact(name, target.read(name)):
            return "present"
        target.delete(name)
        outcome = "repaired"
    else:
        outcome = "copied"
    data = source.read(name)
    if not is_intact(name, data):
        raise Corrupt(f"{name} is damaged in the source storage")
    target.put(data, name.rsplit(".", 1)[1])
    if not is_intact(name, target.read(name)):
        raise Corrupt(f"{name} does not read back intact from the target storage")
    return outcome


@dataclass
class Transfer:
    """What `copy_all` did, file by file."""

    copied: int = 0
    present: int = 0
    repaired: int = 0
    damaged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.copied} copied, {self.present} already there, {self.repaired} repaired, "
            f"{len(self.damaged)} damaged"
        )


def copy_all(source: Storage, target: Storage) -> Transfer:
    """Every file of `source` into `target`, each checked; run again, it copies what is left."""
    done = Transfer()
    for name in source.names():
        try:
            outcome = copy(name, source, target)
        except Corrupt:
            done.damaged.append(name)
            continue
        setattr(done, outcome, getattr(done, outcome) + 1)
    return done
