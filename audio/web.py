"""``GET /audio/<clip_id>.mp3``: rendered responses, playable in a browser.

Only ids shaped like cache keys (32 hex characters) are looked up, and only in the responses
folder, so no request can name any other file. Development tooling: the app registers it in dev
mode only, and serving a file needs neither the speech engines nor the codecs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, jsonify, send_file

from audio.responses import response_path

if TYPE_CHECKING:
    from skill.config import Settings

ONE_YEAR = 365 * 24 * 3600
"""Clips are named by their content, so a clip id always means the same bytes."""


def audio_blueprint(settings: Settings) -> Blueprint:
    """A blueprint serving rendered responses from the audio cache under ``settings.data_dir``."""
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/<clip_id>.mp3")
    def clip(clip_id: str) -> Response | tuple[Response, int]:
        path = response_path(settings, clip_id)
        if path is None:
            return jsonify(error=f"no rendered audio with id {clip_id[:64]!r}"), 404
        return send_file(path, mimetype="audio/mpeg", conditional=True, max_age=ONE_YEAR)

    @blueprint.get("/audio/", defaults={"anything": ""})
    @blueprint.get("/audio/<path:anything>")
    def not_a_clip(anything: str) -> tuple[Response, int]:
        return jsonify(error="audio is served as /audio/<clip_id>.mp3"), 404

    return blueprint
