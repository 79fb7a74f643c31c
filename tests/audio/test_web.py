"""GET /audio/<clip_id>.mp3 serves rendered responses and nothing else."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from audio.cache import content_key
from audio.render import render_ssml
from audio.web import audio_blueprint
from skill.config import Settings


@pytest.fixture
def audio_client(offline_settings: Settings) -> FlaskClient:
    app = Flask(__name__)
    app.register_blueprint(audio_blueprint(offline_settings))
    return app.test_client()


def test_a_rendered_response_plays_in_a_browser(audio_client: FlaskClient, offline_settings: Settings) -> None:
    rendering = render_ssml("<speak>Time's up.</speak>", offline_settings)

    with audio_client.get(f"/audio/{rendering.clip_id}.mp3") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "audio/mpeg"
        assert answer.data == rendering.path.read_bytes()
        assert "max-age" in answer.headers["Cache-Control"]


def test_a_browser_can_seek(audio_client: FlaskClient, offline_settings: Settings) -> None:
    rendering = render_ssml("<speak>Time's up.</speak>", offline_settings)

    with audio_client.get(f"/audio/{rendering.clip_id}.mp3", headers={"Range": "bytes=0-99"}) as answer:
        assert answer.status_code == 206
        assert answer.data == rendering.path.read_bytes()[:100]


@pytest.mark.parametrize("path", [
    f"/audio/{content_key(text='never rendered')}.mp3",
    "/audio/not-a-clip.mp3",
    f"/audio/{content_key(text='x').upper()}.mp3",
    "/audio/../../etc/passwd",
    "/audio/..%2F..%2Fetc%2Fpasswd.mp3",
    "/audio/%2e%2e/legday.sqlite3",
    "/audio/",
])
def test_anything_else_is_a_json_404(audio_client: FlaskClient, path: str) -> None:
    answer = audio_client.get(path)

    assert answer.status_code == 404
    assert answer.is_json and "error" in answer.get_json()


def test_sentence_clips_and_other_files_are_not_served(audio_client: FlaskClient, offline_settings: Settings) -> None:
    key = content_key(text="secret")
    clips = offline_settings.audio_cache_dir / "clips"
    clips.mkdir(parents=True)
    (clips / f"{key}.mp3").write_bytes(b"not for you")

    assert audio_client.get(f"/audio/{key}.mp3").status_code == 404
    assert audio_client.get(f"/audio/clips/{key}.mp3").status_code == 404
