"""Where rendered responses are kept: one MP3 per response under the audio cache, named by its clip id.

Apart from the renderer so that serving a rendered response (``audio.web``) needs neither the
speech engines nor the codecs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from audio.cache import FileStore, is_key

if TYPE_CHECKING:
    from skill.config import Settings

RESPONSE_SUFFIX = ".mp3"


def responses_store(cache_folder: Path) -> FileStore:
    """The store of whole rendered responses under an audio cache folder."""
    return FileStore(cache_folder / "responses")


def response_path(settings: Settings, clip_id: str) -> Path | None:
    """The rendered response with this id, or None if the id is malformed or nothing is there."""
    if not is_key(clip_id):
        return None
    return responses_store(settings.audio_cache_dir).find(clip_id, RESPONSE_SUFFIX)
