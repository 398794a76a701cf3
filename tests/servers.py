"""Real gunicorn servers for the tests that need separate processes: each in its own process
group on its own port, started from this interpreter, stopped gently or killed outright."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from openparcours.config import PROJECT_ROOT


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
