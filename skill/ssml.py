"""The one place SSML is built. Text is always escaped; breaks never exceed Alexa's 10 s.

The ASK SDK's ``speak()``/``ask()`` wrap text in ``<speak>`` without escaping, so a cue
like "knees & toes" would break the response. Everything spoken goes through ``Speech``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

MAX_BREAK_MS = 10_000
# Texts up to this long (every prompt sentence, not a pasted essay) are cleaned once and remembered.
REMEMBERED_TEXT_CHARS = 300
_WHITESPACE = re.compile(r"\s+")
# Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF): one would make the SSML unusable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def break_tags(milliseconds: int) -> str:
    """Silence of any length as a run of ``<break>`` tags, each at most 10 s."""
    remaining = max(0, int(milliseconds))
    tags = []
    while remaining > 0:
        chunk = min(remaining, MAX_BREAK_MS)
        tags.append(f'<break time="{chunk}ms"/>')
        remaining -= chunk
    return "".join(tags)


def _spoken(text: str) -> str:
    """Text as it goes into SSML: characters XML forbids dropped, whitespace collapsed, escaped."""
    return escape(_WHITESPACE.sub(" ", _NOT_XML.sub("", text)).strip())


# The same sentences come back turn after turn, so each is cleaned once per process.
_remembered_spoken = lru_cache(maxsize=4096)(_spoken)


class Speech:
    """An SSML fragment under construction; ``str()`` or ``ssml()`` gives ``<speak>…</speak>``."""

    def __init__(self, text: str | None = None) -> None:
        self._parts: list[str] = []
        if text:
            self.say(text)

    def say(self, text: str) -> Speech:
        spoken = _remembered_spoken(text) if len(text) <= REMEMBERED_TEXT_CHARS else _spoken(text)
        if spoken:
            self._parts.append(spoken)
        return self

    def pause(self, seconds: float) -> Speech:
        self._parts.append(break_tags(round(seconds * 1000)))
        return self

    def emphasis(self, text: str, level: str = "moderate") -> Speech:
        self._parts.append(f"<emphasis level={quoteattr(level)}>{escape(_NOT_XML.sub('', text))}</emphasis>")
        return self

    def cardinal(self, number: int) -> Speech:
        self._parts.append(f'<say-as interpret-as="cardinal">{int(number)}</say-as>')
        return self

    def audio(self, src: str) -> Speech:
        self._parts.append(f"<audio src={quoteattr(src)}/>")
        return self

    def extend(self, other: Speech) -> Speech:
        self._parts.extend(other._parts)
        return self

    def is_empty(self) -> bool:
        return not self._parts

    def inner(self) -> str:
        return " ".join(self._parts)

    def ssml(self) -> str:
        return f"<speak>{self.inner()}</speak>"

    def __str__(self) -> str:
        return self.ssml()


def plain_text(ssml: str) -> str:
    """The words of an SSML string, tags dropped and entities decoded (for cards and logs)."""
    from xml.sax.saxutils import unescape

    without_tags = re.sub(r"<[^>]+>", " ", ssml)
    return _WHITESPACE.sub(" ", unescape(without_tags)).strip()
