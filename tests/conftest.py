"""Shared fixtures: a fresh app per test, request envelopes from tests/requests, a typed conversation."""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from skill.app import create_app
from skill.config import Settings
from skill.local.conversation import Conversation, in_process
from skill.local.envelopes import timestamp
from skill.local.nlu import default_matcher
from skill.ssml import plain_text

# The DynamoDB-compatible server and its tables, for tests/deploy and tests/store alike.
pytest_plugins = ["tests.aws_fixtures"]

REQUESTS_DIR = Path(__file__).parent / "requests"

# In CI the generated tests draw the same examples on every run, so the gate cannot flake on a
# newly drawn case; a run on a laptop explores new ones (and a failure there prints its example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test: its own data folder, verification off (signatures have their own tests)."""
    return Settings(data_dir=tmp_path / "data", verify_requests=False)


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def read_request(name: str) -> dict[str, Any]:
    """A sample envelope from tests/requests, with a fresh request id and timestamp."""
    body = json.loads((REQUESTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    body["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    body["request"]["timestamp"] = timestamp()
    return body


def with_changes(
    body: dict[str, Any],
    *,
    user_id: str | None = None,
    new: bool | None = None,
    session_id: str | None = None,
    attributes: dict[str, Any] | None = None,
    screen: bool | None = None,
) -> dict[str, Any]:
    """A copy of ``body`` as sent by another user, in another session, or on another device."""
    body = copy.deepcopy(body)
    session = body.get("session")
    if user_id is not None:
        body["context"]["System"]["user"]["userId"] = user_id
        if session:
            session["user"]["userId"] = user_id
    if session:
        if new is not None:
            session["new"] = new
        if session_id is not None:
            session["sessionId"] = session_id
        if attributes is not None:
            session["attributes"] = attributes
    if screen is not None:
        interfaces = body["context"]["System"]["device"]["supportedInterfaces"]
        interfaces.clear()
        if screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.3"}}
    return body


def envelope_model(name: str, **changes: Any) -> RequestEnvelope:
    """A sample envelope (with optional changes) as the SDK's request model, for store-level tests."""
    body = with_changes(read_request(name), **changes) if changes else read_request(name)
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


@dataclass(frozen=True)
class Answer:
    """A response envelope from the endpoint, with readable accessors."""

    status: int
    body: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.body.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return plain_text(self.ssml)

    @property
    def reprompt(self) -> str:
        return plain_text(((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", ""))

    @property
    def ends_session(self) -> bool | None:
        return self.response.get("shouldEndSession")

    @property
    def attributes(self) -> dict[str, Any]:
        return self.body.get("sessionAttributes") or {}


Send = Callable[..., Answer]


@pytest.fixture
def send(client: FlaskClient) -> Send:
    """POST a sample envelope (by name, with optional changes) or a whole envelope to /alexa."""

    def post(request: str | dict[str, Any], **changes: Any) -> Answer:
        body = read_request(request) if isinstance(request, str) else request
        if changes:
            body = with_changes(body, **changes)
        answer = client.post("/alexa", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return Answer(answer.status_code, answer.get_json())

    return post


@pytest.fixture
def conversation(app: Flask) -> Conversation:
    """Typed utterances through the real endpoint, session carried from turn to turn."""
    return Conversation(in_process(app), default_matcher())
