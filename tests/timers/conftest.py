"""Timer tests run the whole skill with Alexa's Timers service swapped for an in-memory fake.

The app is built with ``services=`` the fake's factory; envelopes name the fake's API endpoint, and
the fake records the endpoint and token each call was reached with. No HTTP, no certificates.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from tests.conftest import read_request, with_changes
from tests.timers.fake import FakeTimers

TOKEN = "local-access-token"
TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"


@pytest.fixture
def timers_api() -> FakeTimers:
    """The fake Timers service the app below reaches."""
    return FakeTimers()


@pytest.fixture
def app(settings: Settings, timers_api: FakeTimers) -> Flask:
    return create_app(settings, services=timers_api.services)


def on_device(name: str, api: Any, *, granted: bool = True, screen: bool | None = None,
              **changes: Any) -> dict[str, Any]:
    """A sample envelope whose apiEndpoint is ``api.url``, with timer permission granted (or not)."""
    body = with_changes(read_request(name), screen=screen, **changes)
    system = body["context"]["System"]
    system["apiEndpoint"] = api.url
    if granted:
        system["user"]["permissions"] = {"scopes": {TIMERS_SCOPE: {"status": "GRANTED"}}}
    else:
        system["user"].pop("permissions", None)
    return body

