"""Real servers for the tests that need separate processes: gunicorn and nginx, each in its own
process group on its own port, stopped gently or killed outright; and the phones that sync
with them over the network as a phone does, sending again what failed."""

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openparcours.config import PROJECT_ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's, outside a user's PATH


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`Server(env, port)`: gunicorn, two workers running `openparcours:create_app()` in `env`."""

    def __init__(self, env: dict, port: int, workers: int = 2):
        self.env, self.port, self.workers, self.process = env, port, workers, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # What gunicorn says goes to a file, for the error when it does not start.
        log, self.log_path = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(PROJECT_ROOT / "gunicorn.conf.py"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "openparcours:create_app()",
            ],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        os.close(log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = Path(self.log_path).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{said}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1):
                    return
            except urllib.error.HTTPError as error:  # up, but not healthy (yet)
                error.close()
            except OSError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM: gunicorn finishes the requests in flight and exits; killed if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group may be gone already
            os.killpg(self.process.pid, signal.SIGKILL)  # master and workers, no goodbye
        self.process.wait()


class Nginx:
    """`Nginx(config, folder)`: nginx in the foreground with this configuration text, its files
    in `folder` (no root needed)."""

    def __init__(self, config: str, folder: Path):
        self.folder, self.process = folder, None
        (folder / "nginx.conf").write_text(config)

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def start(self, port: int) -> None:
        self.process = subprocess.Popen(
            [
                *(NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")),
                *("-e", str(self.error_log), "-g", "daemon off;"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.error_log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{said}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGQUIT)  # nginx's graceful shutdown
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def post(url: str, path: str, body: dict, token: str | None = None, context=None) -> dict:
    """POST JSON to `url` + /api/v1 + `path` (with a team's token): the answer's JSON."""
    request = urllib.request.Request(
        f"{url}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=5, context=context) as response:
        return json.loads(response.read())


class Phone(threading.Thread):
    """A team's phone at one QR station: checks in `events` times, in batches of `per_batch`;
    on any failure it waits a moment and sends the batch again."""

    def __init__(
        self, url: str, token: str, station: dict, events: int, per_batch: int, context=None
    ):
        super().__init__(daemon=True)
        self.url, self.token, self.per_batch, self.context = url, token, per_batch, context
        now = datetime.now(UTC)
        self.outbox = [
            {
                "id": str(uuid.uuid4()),
                "type": "checkin",
                "station_id": station["id"],
                "code": station["code"],
                "at": (now + timedelta(seconds=n)).isoformat(),
            }
            for n in range(events)
        ]
        self.sent = [event["id"] for event in self.outbox]
        self.acked: set[str] = set()
        self.failures = 0

    def run(self) -> None:
        deadline = time.monotonic() + 90
        while self.outbox and time.monotonic() < deadline:
            batch = self.outbox[: self.per_batch]
            try:
                answer = post(self.url, "/play/sync", {"events": batch}, self.token, self.context)
            except urllib.error.HTTPError as error:  # an answer, but not a good one
                error.close()
                self.failures += 1
                time.sleep(0.2)
                continue
            except (OSError, http.client.HTTPException):  # no server, or it died mid-answer
                self.failures += 1
                time.sleep(0.2)
                continue
            self.acked |= set(answer["acked"])
            self.outbox = [e for e in self.outbox if e["id"] not in answer["acked"]]
