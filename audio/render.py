"""One response's SSML as one MP3: sentences spoken, breaks as real silence, sound effects as tones.

Every sentence is a cached clip (see ``audio.clips``); the whole response is cached too, under
a key made of what went into it (the clips used, the silences, the sounds), so rendering the
same response again makes no request and encodes nothing. Its key is the ``clip_id`` that
``GET /audio/<clip_id>.mp3`` serves.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from audio import pcm
from audio.cache import FileStore, content_key
from audio.clips import Clip, ClipMaker
from audio.engines import Engine
from audio.espeak import Espeak
from audio.espeak_library import EspeakLibrary, library_installed
from audio.google import GoogleTTS
from audio.responses import RESPONSE_SUFFIX, responses_store
from audio.script import Pause, Say, Script, Sound, parse
from audio.sounds import stand_in

if TYPE_CHECKING:
    from skill.config import Settings

SILENT_RESPONSE_MS = 500
"""A response with no speech renders as this much silence, so there is always a file to play."""


@dataclass(frozen=True)
class Rendering:
    """A rendered response and how it was made."""

    path: Path
    clip_id: str
    seconds: float
    """Length of the MP3, measured from its frames."""
    engines: tuple[str, ...]
    requests: int
    notes: tuple[str, ...]
    script: Script


def engines_for(settings: Settings) -> list[Engine]:
    """The engines to try in order: ``auto`` is gTTS then espeak-ng, ``gtts`` and ``offline`` one each."""
    if settings.tts_engine == "gtts":
        return [GoogleTTS.from_settings(settings)]
    if settings.tts_engine == "offline":
        return [offline_engine(settings)]
    return [GoogleTTS.from_settings(settings), offline_engine(settings)]


def offline_engine(settings: Settings) -> Engine:
    """espeak-ng from the audio extra's library when it is installed, else the system's espeak-ng program."""
    if library_installed():
        return EspeakLibrary.from_settings(settings)
    return Espeak.from_settings(settings)


class Renderer:
    """Renders SSML with a fixed list of engines into one cache folder; safe to share between threads."""

    def __init__(self, engines: list[Engine], cache_folder: Path) -> None:
        self.clips = ClipMaker(engines, FileStore(cache_folder / "clips"))
        self.responses = responses_store(cache_folder)

    @classmethod
    def from_settings(cls, settings: Settings) -> Renderer:
        """The engines ``LEGDAY_TTS_ENGINE`` names, caching under ``LEGDAY_DATA_DIR``."""
        return cls(engines_for(settings), settings.audio_cache_dir)

    def render(self, ssml: str, out: Path | None = None) -> Rendering:
        """Render ``ssml`` (cached); copy the MP3 to ``out`` when given."""
        script = parse(ssml)
        notes: list[str] = [] if script.well_formed else ["the SSML is not well-formed; it was read tag by tag"]
        clips: dict[int, Clip] = {}
        for index, segment in enumerate(script.segments):
            if isinstance(segment, Say):
                clips[index] = clip = self.clips.clip_for(segment.text)
                for engine, reason in clip.passed_over:
                    notes.append(f"{engine} unavailable ({reason}); {clip.engine} spoke instead")
            elif isinstance(segment, Sound):
                notes.append(stand_in(segment.src).note)
        if not script.segments:
            notes.append(f"the response says nothing; rendered {SILENT_RESPONSE_MS} ms of silence")
        recipe = [_ingredient(segment, clips.get(index)) for index, segment in enumerate(script.segments)]
        clip_id = content_key(kind="response", recipe=recipe)
        path, _ = self.responses.get_or_make(clip_id, RESPONSE_SUFFIX, lambda: _mix(script, clips))
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
            path = out
        return Rendering(
            path=path,
            clip_id=clip_id,
            seconds=pcm.mp3_duration(path),
            engines=tuple(dict.fromkeys(clip.engine for clip in clips.values())),
            requests=sum(clip.requests for clip in clips.values()),
            notes=tuple(dict.fromkeys(notes)),
            script=script,
        )


def _ingredient(segment: Say | Pause | Sound, clip: Clip | None) -> list[object]:
    if isinstance(segment, Say):
        assert clip is not None
        return ["say", clip.key]
    if isinstance(segment, Pause):
        return ["pause", segment.milliseconds]
    return ["sound", segment.src]


def _mix(script: Script, clips: dict[int, Clip]) -> bytes:
    parts: list[bytes] = []
    for index, segment in enumerate(script.segments):
        if isinstance(segment, Say):
            parts.append(pcm.decode(clips[index].path.read_bytes()))
        elif isinstance(segment, Pause):
            parts.append(pcm.silence(segment.milliseconds))
        else:
            parts.append(stand_in(segment.src).audio)
    return pcm.encode_mp3(b"".join(parts) or pcm.silence(SILENT_RESPONSE_MS))


@lru_cache(maxsize=8)
def renderer_for(settings: Settings) -> Renderer:
    """One renderer per Settings, so gTTS's cooldown after a failure carries over between responses."""
    return Renderer.from_settings(settings)


def render_ssml(ssml: str, settings: Settings, out: Path | None = None, locale: str | None = None) -> Rendering:
    """Render one response's SSML to an MP3 (see ``Renderer.render``), in the voice of ``locale``
    when given (de-DE: gTTS German, espeak-ng's "de"), else the voice Settings name.

    Never raises for a network failure while an offline engine can speak; raises
    ``EngineUnavailable`` when no engine can.
    """
    return renderer_for(voiced(settings, locale)).render(ssml, out)


def voiced(settings: Settings, locale: str | None) -> Settings:
    """``settings`` speaking the language and accent of ``locale`` (unchanged for None)."""
    if locale is None:
        return settings
    from skill.content import locale_of

    spoken = locale_of(locale)
    return settings.replace(tts_lang=spoken.gtts_lang, tts_tld=spoken.gtts_tld)
