"""The real server: ``legday serve --dev`` (gunicorn, several worker processes) on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dev_server import DevServer, dev_server

WORKERS = 3
Server = DevServer


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``legday serve --dev --workers 3`` as a subprocess, stopped at the end."""
    with dev_server(tmp_path_factory.mktemp("load"), workers=WORKERS, env={"LEGDAY_LOG_LEVEL": "WARNING"}) as running:
        yield running
