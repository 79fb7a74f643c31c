"""The real server: ``legday serve --dev`` (gunicorn, several worker processes) on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

WORKERS = 3
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Server:
    """A running server: its endpoint, data folder and log file."""

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
        return probe.getsockname()[1]


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"the server did not become healthy:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``legday serve --dev --workers 3`` as a subprocess, stopped (by its own pid) at the end."""
    root = tmp_path_factory.mktemp("load")
    data_dir, log = root / "data", root / "server.log"
    port = free_port()
    env = {**os.environ, "LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from skill.cli import main; main()",
               "serve", "--dev", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process, log)
        yield Server(base_url, data_dir, log)
    finally:
        process.terminate()  # gunicorn's arbiter stops its workers on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
