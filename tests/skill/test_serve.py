"""`legday serve --dev` runs the real server (gunicorn, several workers) that the README promises."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.local.conversation import Conversation, over_http
from skill.local.nlu import default_matcher
from tests.dev_server import DevServer, dev_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    with dev_server(tmp_path) as running:
        yield running
    assert "Traceback" not in running.log.read_text(errors="replace")


def test_dev_server_says_verification_is_off_and_coaches_over_http(server: DevServer) -> None:
    with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=5) as answer:
        assert json.loads(answer.read())["verify_requests"] is False
    conversation = Conversation(over_http(server.endpoint), default_matcher())
    _, opened = conversation.say("open leg day coach")
    assert "Shall we start?" in opened.speech
    _, started = conversation.say("start a fifteen minute beginner leg day")
    assert "15 minute beginner leg day" in started.speech
    positions = []
    for _ in range(4):
        _, turn = conversation.say("done")
        positions.append(turn.session_attributes["position"])
    assert positions == [[1, 1], [2, 1], [3, 1], [3, 2]]
    _, stopped = conversation.say("stop")
    assert stopped.ends_session

    _, reopened = conversation.say("open leg day coach")
    assert "You stopped at the goblet squat, set 2 of 2" in reopened.speech
