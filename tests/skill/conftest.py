"""Both entry points (the Flask endpoint and the Lambda entry) over one counted store, for tests that
must show a request answered alike on each and the store left alone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from skill.app import create_app
from skill.config import Settings
from skill.lambda_function import make_handler
from skill.store import make_store
from tests.deploy.conftest import as_lambda
from tests.state.conftest import CountingStore


@dataclass
class Entry:
    """One entry point: ``send`` an envelope, get the answer envelope; the store it keeps; its log."""

    name: str
    send: Callable[[dict[str, Any]], dict[str, Any]]
    store: CountingStore
    logged: list[logging.LogRecord] = field(default_factory=list)


@pytest.fixture(params=["flask", "lambda"])
def entry(request: pytest.FixtureRequest, settings: Settings, caplog: pytest.LogCaptureFixture) -> Entry:
    """The Flask endpoint or the Lambda entry, each over a store that counts its calls."""
    store = CountingStore(make_store(settings))
    if request.param == "flask":
        client = create_app(settings, store=store).test_client()

        def post(body: dict[str, Any]) -> dict[str, Any]:
            answer = client.post("/alexa", json=body)
            assert answer.status_code == 200, answer.get_data(as_text=True)
            return answer.get_json()

        send = post
    else:
        send = as_lambda(make_handler(settings, store=store))
    caplog.set_level(logging.INFO)

    def send_and_log(body: dict[str, Any]) -> dict[str, Any]:
        caplog.clear()
        answer = send(body)
        entry.logged = [record for record in caplog.records if record.levelno >= logging.INFO]
        return answer

    entry = Entry(request.param, send_and_log, store)
    return entry
