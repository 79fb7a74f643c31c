"""``legday serve --dev`` as the README runs it (gunicorn, worker processes), on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class DevServer:
    """A running server: its base URL, data folder and log file."""

    base_url: str
    data_dir: Path
    log: Path

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/alexa"

    @property
    def database(self) -> Path:
        return self.data_dir / "legday.sqlite3"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def dev_server(root: Path, *, workers: int = 2, env: dict[str, str] | None = None) -> Iterator[DevServer]:
    """Start the server with its data and log under ``root``, wait for /healthz, stop it (SIGTERM) at the end."""
    port = free_port()
    server = DevServer(f"http://127.0.0.1:{port}", root / "data", root / "server.log")
    environment = {**os.environ, "LEGDAY_DATA_DIR": str(server.data_dir), **(env or {})}
    legday = Path(sys.executable).with_name("legday")
    command = [str(legday), "serve", "--dev", "--port", str(port), "--workers", str(workers)]
    with server.log.open("wb") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(server, process)
        yield server
    finally:
        process.terminate()  # gunicorn's arbiter stops its workers on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_healthy(server: DevServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{server.log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz:\n{server.log.read_text(errors='replace')}")
