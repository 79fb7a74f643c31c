"""`legday serve --dev` runs the real server (gunicorn, several workers) that the README promises."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.local.conversation import Conversation, over_http
from skill.local.nlu import default_matcher

START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    environment = {**os.environ, "LEGDAY_DATA_DIR": str(tmp_path / "data")}
    legday = Path(sys.executable).with_name("legday")
    process = subprocess.Popen(
        [str(legday), "serve", "--dev", "--port", str(port), "--workers", "2"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                    assert json.loads(answer.read())["verify_requests"] is False
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        assert b"Traceback" not in stderr, stderr.decode()[-2000:]


def test_dev_server_says_verification_is_off_and_coaches_over_http(server: str, tmp_path: Path) -> None:
    conversation = Conversation(over_http(f"{server}/alexa"), default_matcher())
    _, opened = conversation.say("open leg day coach")
    assert "Shall we start?" in opened.speech
    _, started = conversation.say("start a fifteen minute beginner leg day")
    assert "15 minute beginner leg day" in started.speech
    positions = []
    for _ in range(4):
        _, turn = conversation.say("done")
        positions.append(turn.session_attributes["position"])
    assert positions == [[1, 1], [2, 1], [2, 2], [3, 1]]
    _, stopped = conversation.say("stop")
    assert stopped.ends_session

    _, reopened = conversation.say("open leg day coach")
    assert "You stopped at lunge, set 1 of 2" in reopened.speech
