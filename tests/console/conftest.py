"""Console fixtures: a development-mode app with the console, and a helper that plays turns through its API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill.app import create_app
from skill.config import Settings

TRANSCRIPTS_DIR = Path(__file__).parent / "transcripts"


def with_console(app: Flask, settings: Settings) -> Flask:
    """``app`` with the console and the audio route it plays from, if create_app did not add them."""
    from audio.web import audio_blueprint
    from skill.app import create_app
    from skill.console.web import console_blueprint

    if "audio" not in app.blueprints:
        app.register_blueprint(audio_blueprint(settings))
    if "console" not in app.blueprints:
        app.register_blueprint(console_blueprint(settings, create_app))
    return app


@pytest.fixture
def dev_settings(tmp_path: Path) -> Settings:
    """Development mode (verification off, console on), offline speech, a data folder of its own."""
    return Settings(data_dir=tmp_path / "data", dev=True, tts_engine="offline")


@pytest.fixture
def console_app(dev_settings: Settings) -> Flask:
    return with_console(create_app(dev_settings), dev_settings)


@pytest.fixture
def console(console_app: Flask) -> FlaskClient:
    return console_app.test_client()


Play = Callable[..., dict[str, Any]]


@pytest.fixture
def play(console: FlaskClient) -> Play:
    """POST one action to /console/api/turn, carrying the caller the way the page does."""
    carried: dict[str, Any] = {"caller": None}

    def act(action: str, utterance: str | None = None, device: str = "speaker",
            person: str | None = None) -> dict[str, Any]:
        answer = console.post("/console/api/turn", json={"caller": carried["caller"], "action": action,
                                                         "utterance": utterance, "device": device, "person": person})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        data = answer.get_json()
        carried["caller"] = data["caller"]
        return data

    return act
