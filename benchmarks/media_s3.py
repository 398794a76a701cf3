"""Benchmark: media files streamed by the app from an S3 bucket (SeaweedFS, local), next to the
same objects streamed by bare boto3 under Flask, read from the bucket directly (what a
redirect to a presigned URL would give a phone), and served by the app from its folder.
Gunicorn sync workers × 4, wrk with 16 keep-alive connections, one photo and one audio file:

    .venv/bin/python -m benchmarks.media_s3 [--seconds 10] [--connections 16]
"""

import argparse
import io
import os
import random
import re
import subprocess
import tempfile
import wave
from pathlib import Path

from flask_migrate import upgrade
from PIL import Image

from benchmarks.class_load import serve
from openparcours import create_app
from openparcours.media import service as media_service
from openparcours.media.storage import LocalStorage, copy_all
from tests.s3_server import S3Server, s3_env


def photo() -> bytes:
    """A photo of noise, which WebP cannot make small: about 330 KB once stored."""
    noise = random.Random(1).randbytes(800 * 600 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (800, 600), noise).save(out, format="PNG")
    return out.getvalue()


def audio() -> bytes:
    """A minute of 8 kHz, 16-bit mono: about 1 MB, an audio guide's station."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(random.Random(2).randbytes(8000 * 2 * 60))
    return out.getvalue()


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str, str]:
    """Requests per second, transfer per second and the p99 latency, as wrk reports them."""
    said = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in said or "Socket errors" in said:
        raise RuntimeError(f"wrk saw errors for {url}:\n{said}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", said)[1])
    transfer = re.search(r"Transfer/sec:\s+(\S+)", said)[1]
    p99 = re.search(r"99%\s+(\S+)", said)[1]
    return rate, transfer, p99


def warm_up(url: str, connections: int) -> None:
    """Short runs until two agree within a fifth: gunicorn accepts before its workers have
    loaded the code, which takes seconds each on a busy machine."""
    last = 0.0
    for _ in range(15):
        rate = wrk(url, 3, connections)[0]
        if last and abs(rate - last) < rate / 5:
            return
        last = rate
    raise RuntimeError(f"{url} did not settle")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    s3 = S3Server(folder / "s3")
    s3.folder.mkdir()
    s3.start()
    servers = []
    try:
        bucket = s3.new_bucket()
        env = {
            **os.environ,
            **s3_env(s3, bucket),
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_DIR": str(folder / "media"),
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(folder),
            "BARE_BUCKET": bucket,
        }
        os.environ.update(s3_env(s3, bucket))
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                "MEDIA_URL": env["MEDIA_URL"],
                "JOB_CHECK_SECONDS": 0,
            }
        )
        with app.app_context():
            upgrade()
            files = {
                "photo": media_service.store_media(photo(), None, None),
                "audio": media_service.store_media(audio(), None, None),
            }
            media_service.db.session.commit()
            bucket_storage = media_service.storage()
            names = {kind: media.file for kind, media in files.items()}
            sizes = {kind: media.size for kind, media in files.items()}
            keys = {kind: bucket_storage.key(name) for kind, name in names.items()}
            copy_all(bucket_storage, LocalStorage(folder / "media"))
            direct = {
                kind: bucket_storage.client.generate_presigned_url(
                    "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=3600
                )
                for kind, key in keys.items()
            }
        folder_env = {k: v for k, v in env.items() if k != "MEDIA_URL"}
        servers = [
            serve("openparcours:create_app()", 5093, env),
            serve("benchmarks.bare_media:app", 5094, env),
            serve("openparcours:create_app()", 5095, folder_env),
        ]
        rows = [
            ("the app, from the bucket", lambda kind: f"http://127.0.0.1:5093/media/{names[kind]}"),
            ("bare boto3 under Flask", lambda kind: f"http://127.0.0.1:5094/object/{keys[kind]}"),
            ("the bucket directly (presigned URL)", lambda kind: direct[kind]),
            ("the app, from its folder", lambda kind: f"http://127.0.0.1:5095/media/{names[kind]}"),
        ]
        print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn sync workers × 4")
        print("| served by | file | req/s | transfer/s | p99 |")
        print("|---|---|---|---|---|")
        rates = {}
        for kind in ("photo", "audio"):
            for label, url in rows:
                warm_up(url(kind), args.connections)
                rate, transfer, p99 = wrk(url(kind), args.seconds, args.connections)
                rates[label, kind] = rate
                size = f"{kind}, {sizes[kind] // 1000} KB"
                print(f"| {label} | {size} | {rate:.0f} | {transfer} | {p99} |", flush=True)
        for kind in ("photo", "audio"):
            ratio = rates["the app, from the bucket", kind] / rates["bare boto3 under Flask", kind]
            print(f"{kind}: the app streams at {ratio:.0%} of bare boto3")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        s3.stop()


if __name__ == "__main__":
    main()
