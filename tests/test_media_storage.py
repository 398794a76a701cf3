"""The media storage, in a folder and in an S3 bucket (SeaweedFS): content-addressed, idempotent
writes, ranges and revalidation when served, and the migration from one to the other."""

import hashlib
import io
import os
import urllib.error
import urllib.request
import wave

import pytest

from openparcours.extensions import db
from openparcours.media import service as media_service
from openparcours.media.storage import LocalStorage, S3Storage, copy_all
from tests.helpers import damage
from tests.s3_server import s3_env
from tests.servers import Server, free_port

AUDIO = bytes(range(256)) * 40  # 10,240 bytes that show any misplaced offset


def test_put_exists_read_delete(media_storage):
    name = media_storage.put(AUDIO, "mp3")
    assert name == f"{hashlib.sha256(AUDIO).hexdigest()}.mp3"
    assert media_storage.exists(name)
    assert media_storage.read(name) == AUDIO
    assert media_storage.size(name) == len(AUDIO)
    assert list(media_storage.names()) == [name]
    media_storage.delete(name)
    assert not media_storage.exists(name)
    assert list(media_storage.names()) == []
    with pytest.raises(FileNotFoundError):
        media_storage.open(name)


def test_writes_are_idempotent(media_storage):
    first = media_storage.put(AUDIO, "mp3")
    assert media_storage.put(AUDIO, "mp3") == first
    assert list(media_storage.names()) == [first]


def test_names_are_checked(media_storage):
    assert not media_storage.exists("../secret_key")
    with pytest.raises(ValueError, match="not a media file name"):
        media_storage.read("../../secret_key.mp3")


def test_a_span_is_read_exactly(media_storage):
    name = media_storage.put(AUDIO, "mp3")
    opened = media_storage.open(name, (1000, 9001))
    assert opened.size == len(AUDIO)
    assert b"".join(opened.chunks) == AUDIO[1000:9001]


def test_objects_are_private_with_their_type(s3_server, monkeypatch):
    bucket = s3_server.new_bucket()
    for name, value in s3_env(s3_server, bucket).items():
        monkeypatch.setenv(name, value)
    storage = S3Storage(f"s3://{bucket}/deep/prefix")
    name = storage.put(AUDIO, "mp3")
    key = f"deep/prefix/{name[:2]}/{name[2:4]}/{name}"
    head = s3_server.client().head_object(Bucket=bucket, Key=key)
    assert head["ContentType"] == "audio/mpeg"
    anonymous = f"{s3_server.endpoint_url}/{bucket}/{key}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=5)
    assert refused.value.code == 403
    refused.value.close()


def wav_file() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(range(256)) * 64)
    return out.getvalue()


@pytest.fixture
def served(media_storage, make_organisation, make_user, make_client):
    """A museum's audio file, uploaded, and its URL."""
    museum = make_organisation("museum")
    author = make_client(make_user(roles={museum: ["educator"]}))
    data = wav_file()
    response = author.post(
        f"/api/v1/organisations/{museum.id}/media",
        data={"file": (io.BytesIO(data), "ton.wav")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    return response.json["url"], data


def test_a_file_is_served_whole_with_its_hash_as_etag(client, served):
    url, data = served
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.mimetype == "audio/wav"


def test_a_cached_copy_is_confirmed_with_304(client, served):
    url, data = served
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("asked", "first", "stop"), [("bytes=100-299", 100, 300), ("bytes=-50", -50, None)]
)
def test_a_range_is_served_as_206(client, served, asked, first, stop):
    url, data = served
    response = client.get(url, headers={"Range": asked})
    assert response.status_code == 206
    part = data[first:stop]
    assert response.data == part
    start = first % len(data)
    assert response.headers["Content-Range"] == (
        f"bytes {start}-{start + len(part) - 1}/{len(data)}"
    )
    assert response.headers["Content-Length"] == str(len(part))


def test_an_open_range_goes_to_the_end(client, served):
    url, data = served
    response = client.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    assert (response.status_code, response.data) == (206, data[-10:])


@pytest.mark.parametrize("asked", ["bytes=999999-", "bytes=5-2", "lines=1-2", "bytes=0-1,5-9"])
def test_a_range_that_cannot_be_served_is_416(client, served, asked):
    url, data = served
    response = client.get(url, headers={"Range": asked})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(data)}"


def test_another_version_asked_by_if_range_gets_the_whole_file(client, served):
    url, data = served
    response = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"older"'})
    assert (response.status_code, response.data) == (200, data)


def test_a_file_missing_from_the_storage_is_404(client, served, media_storage):
    url, _ = served
    media_storage.delete(url.rsplit("/", 1)[1])
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"Range": "bytes=0-9"}).status_code == 404


def test_migrate_copies_and_checks_every_file(app, media_storage, tmp_path):
    names = {media_storage.put(AUDIO[:n], "mp3") for n in (100, 200, 300)}
    runner = app.test_cli_runner()
    target = str(tmp_path / "elsewhere")
    moved = runner.invoke(args=["media", "migrate", "--to", target])
    assert moved.exit_code == 0, moved.output
    assert "3 copied, 0 already there, 0 repaired, 0 damaged" in moved.output
    copy = LocalStorage(target)
    assert set(copy.names()) == names
    assert all(copy.read(name) == media_storage.read(name) for name in names)

    again = runner.invoke(args=["media", "migrate", "--to", target])
    assert "0 copied, 3 already there" in again.output


def test_migrate_into_a_bucket_repairs_a_damaged_copy_and_names_a_damaged_source(
    app, media_storage, s3_server, monkeypatch
):
    bucket = s3_server.new_bucket()
    for variable, value in s3_env(s3_server, bucket).items():
        if variable != "MEDIA_URL":
            monkeypatch.setenv(variable, value)
    intact, damaged = (media_storage.put(AUDIO[:n], "mp3") for n in (100, 200))
    target = S3Storage(f"s3://{bucket}/media")
    assert copy_all(media_storage, target).copied == 2
    # Bit rot on either side: a copy in the bucket, and the original of another file.
    damage(target, intact, b"rotten")
    damage(media_storage, damaged, b"rotten too")
    target.delete(damaged)

    result = app.test_cli_runner().invoke(args=["media", "migrate", "--to", f"s3://{bucket}/media"])
    assert result.exit_code == 1
    assert "0 copied, 0 already there, 1 repaired, 1 damaged" in result.output
    assert damaged in result.output
    assert target.read(intact) == AUDIO[:100]
    assert not target.exists(damaged)


def test_migrate_refuses_an_unknown_target(app, media_storage):
    result = app.test_cli_runner().invoke(args=["media", "migrate", "--to", "s3://"])
    assert result.exit_code == 2
    assert "s3://bucket/prefix" in result.output


def test_an_app_process_serves_from_the_bucket_its_environment_names(
    app, database_url, s3_server, monkeypatch, tmp_path
):
    """The settings as a deployment gives them: MEDIA_URL and boto3's own AWS_* variables."""
    settings = s3_env(s3_server, s3_server.new_bucket())
    for variable, value in settings.items():
        monkeypatch.setenv(variable, value)
    app.config["MEDIA_URL"] = settings["MEDIA_URL"]
    stored = media_service.store_media(wav_file(), None, None).file
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # the server gets the database to itself
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "media",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MEDIA_DIR": str(tmp_path / "unused"),
    }
    server = Server(env, free_port(), workers=1)
    server.start()
    try:
        with urllib.request.urlopen(f"{server.url}/media/{stored}", timeout=10) as response:
            assert response.read() == wav_file()
            assert response.headers["ETag"] == f'"{stored.split(".")[0]}"'
    finally:
        server.stop()
    assert not (tmp_path / "unused").exists()
