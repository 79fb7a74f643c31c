"""One spoken sentence as a cached audio clip, from the first engine that can speak it.

Clips are keyed by content: the text, the engine and the engine's voice (language and accent
for gTTS). A cached clip is used without asking its engine; otherwise the engine is asked, its
audio is checked by decoding it (so a broken answer is never kept), and only then stored.
Engines are tried in order, so in ``auto`` mode a sentence gets Google's voice whenever Google
answers, and espeak-ng's otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audio import pcm
from audio.cache import FileStore, content_key
from audio.engines import Engine, EngineUnavailable


@dataclass(frozen=True)
class Clip:
    """A sentence's clip: where it is, which engine spoke it, and what getting it cost."""

    key: str
    path: Path
    engine: str
    made: bool
    requests: int
    passed_over: tuple[tuple[str, str], ...] = ()
    """Engines tried first that could not speak, with their reasons."""


class ClipMaker:
    """Sentences to clips through a list of engines and a shared file store."""

    def __init__(self, engines: list[Engine], store: FileStore) -> None:
        if not engines:
            raise ValueError("at least one speech engine is needed")
        self.engines = engines
        self.store = store

    def key(self, engine: Engine, text: str) -> str:
        """The cache key of ``text`` spoken by ``engine``."""
        return content_key(text=text, engine=engine.name, **engine.voice())

    def clip_for(self, text: str) -> Clip:
        """The clip of ``text``; ``EngineUnavailable`` names every engine's reason if none can speak."""
        passed_over: list[tuple[str, str]] = []
        requests = 0
        for engine in self.engines:
            key = self.key(engine, text)
            spent = [0]
            try:
                path, made = self.store.get_or_make(key, engine.suffix, lambda: self._speak(engine, text, spent))
            except EngineUnavailable as error:
                requests += error.requests
                passed_over.append((engine.name, error.reason))
                continue
            return Clip(key, path, engine.name, made, requests + spent[0], tuple(passed_over))
        reasons = "; ".join(f"{name}: {reason}" for name, reason in passed_over)
        raise EngineUnavailable(f"no speech engine could say {text[:40]!r} ({reasons})", requests)

    @staticmethod
    def _speak(engine: Engine, text: str, spent: list[int]) -> bytes:
        synthesis = engine.synthesize(text)
        spent[0] = synthesis.requests
        try:
            pcm.decode(synthesis.audio)
        except pcm.AudioError as error:
            raise EngineUnavailable(f"{engine.name} sent audio that cannot be decoded", synthesis.requests) from error
        return synthesis.audio
