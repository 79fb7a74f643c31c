"""Alexa's limits on one response's speech, and measuring a rendered response against them.

Amazon documents at most 240 s of audio in ``outputSpeech`` (90 s in a reprompt), at most
10 s per ``<break>`` and at most 8000 characters of ``outputSpeech``. The time limits are
applied here to the whole rendered response (speech, silences and clips together), the
cautious reading: a countdown that renders longer than that is too long for one response.
"""

from __future__ import annotations

from dataclasses import dataclass

from audio.render import Rendering

SPEECH_SECONDS = 240.0
REPROMPT_SECONDS = 90.0
BREAK_SECONDS = 10.0
SSML_CHARACTERS = 8000


@dataclass(frozen=True)
class Measure:
    """One measured quantity against its limit."""

    name: str
    value: float
    limit: float
    unit: str

    @property
    def within(self) -> bool:
        """True when the value does not exceed the limit."""
        return self.value <= self.limit

    def describe(self) -> str:
        """E.g. ``length 64.1 s of 240 s``."""
        if self.unit == "chars":
            return f"{self.name} {self.value:.0f} of {self.limit:.0f} {self.unit}"
        return f"{self.name} {self.value:.1f} {self.unit} of {self.limit:g} {self.unit}"


def measure(ssml: str, rendering: Rendering, *, reprompt: bool = False) -> list[Measure]:
    """The rendered length, the longest single break and the SSML size, each with Alexa's limit."""
    return [
        Measure("length", rendering.seconds, REPROMPT_SECONDS if reprompt else SPEECH_SECONDS, "s"),
        Measure("longest break", rendering.script.longest_break_ms / 1000, BREAK_SECONDS, "s"),
        Measure("size", len(ssml), SSML_CHARACTERS, "chars"),
    ]
