"""`legday serve --dev` runs the real server (gunicorn, several workers) that the README promises."""

from __future__ import annotations

import json
import threading
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


def test_no_server_opens_gunicorns_shared_control_socket(tmp_path: Path) -> None:
    """gunicorn 25.1+ puts one control socket per user; two servers shared it and stopping one removed it."""
    run, home = tmp_path / "run", tmp_path / "home"
    for folder in (run, home, tmp_path / "one", tmp_path / "two"):
        folder.mkdir()
    env = {"XDG_RUNTIME_DIR": str(run), "HOME": str(home)}
    with dev_server(tmp_path / "one", env=env) as one, dev_server(tmp_path / "two", env=env) as two:
        for server in (one, two):
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=5) as answer:
                assert answer.status == 200
        assert list(run.iterdir()) == [] and list(home.rglob("*.ctl")) == []


def test_a_local_request_to_a_verifying_server_says_to_use_dev(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from werkzeug.serving import make_server

    from skill.app import create_app
    from skill.cli import main
    from skill.config import Settings

    app = create_app(Settings(data_dir=tmp_path / "data", verify_requests=True))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/alexa"
        result = CliRunner().invoke(main, ["request", "tests/requests/launch.json", "--url", url])
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert result.exit_code == 1
    assert "Missing Signature/Certificate" in result.output
    assert "start it with `legday serve --dev`" in result.output
