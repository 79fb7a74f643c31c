"""What every speech engine offers the renderer (``audio.render.engines_for`` picks them from Settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class EngineUnavailable(Exception):
    """No speech from an engine (or from any engine); ``requests`` counts the HTTP requests spent trying.

    ``skipped`` is True when the engine did not even try, because it failed the same way a moment ago.
    """

    def __init__(self, reason: str, requests: int = 0, *, skipped: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.requests = requests
        self.skipped = skipped


@dataclass(frozen=True)
class Synthesis:
    """Encoded audio of one sentence and the HTTP requests it took."""

    audio: bytes
    requests: int = 0


class Engine(Protocol):
    """A text-to-speech engine: a name, a file suffix for what it makes, and ``synthesize``."""

    name: str
    suffix: str

    def voice(self) -> dict[str, str]:
        """The settings that change how text sounds (part of every cache key)."""
        ...

    def synthesize(self, text: str) -> Synthesis:
        """Speak ``text`` or raise ``EngineUnavailable``."""
        ...
