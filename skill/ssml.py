"""The one place SSML is built. Text is always escaped; breaks never exceed Alexa's 10 s.

The ASK SDK's ``speak()``/``ask()`` wrap text in ``<speak>`` without escaping, so a cue
like "knees & toes" would break the response. Everything spoken goes through ``Speech``.

A recognised person's first name is Alexa's to say, never the skill's: ``say_naming`` puts
Alexa's ``<alexa:name type="first" personId="..."/>`` tag where a sentence holds ``{name}``.
Local tools, which have no name to say, read the tag as ``local_name`` of the person id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr, unescape

MAX_BREAK_MS = 10_000
# Texts up to this long (every prompt sentence, not a pasted essay) are cleaned once and remembered.
REMEMBERED_TEXT_CHARS = 300
_WHITESPACE = re.compile(r"\s+")
# Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF): one would make the SSML unusable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Where a sentence says the recognised person's name (the content files write it so).
NAME_PLACEHOLDER = "{name}"
# What local tools say for a person id that reads as no name.
LOCAL_NAME_FALLBACK = "friend"
_READABLE_NAME = re.compile(r"[A-Za-z]{1,20}")
_NAME_TAG = re.compile(r"<alexa:name\b([^>]*)>", re.IGNORECASE)
_QUOTES = {"&quot;": '"', "&apos;": "'"}
_PERSON_ID_ATTRIBUTE = re.compile(r"""personId\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


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
    return _inline(text).strip()


def _inline(text: str) -> str:
    """``_spoken`` without trimming: a piece of a sentence keeps the space next to what joins it."""
    return escape(_WHITESPACE.sub(" ", _NOT_XML.sub("", text)))


def name_tag(person_id: str) -> str:
    """Alexa's tag that says the first name of the person it recognised as ``person_id``."""
    return f'<alexa:name type="first" personId={quoteattr(_NOT_XML.sub("", person_id))}/>'


def local_name(person_id: str | None) -> str:
    """The name local tools say for the name tag, since only Alexa knows the real one: a person id
    whose last dot-separated part is a short word reads as that word ("amzn1.ask.person.anna":
    "Anna"), any other id (Alexa's are long codes) as "friend"."""
    last = (person_id or "").rsplit(".", 1)[-1]
    return last.capitalize() if _READABLE_NAME.fullmatch(last) else LOCAL_NAME_FALLBACK


def person_of_name_tag(attributes: str) -> str | None:
    """The personId written in the attributes of an ``<alexa:name>`` tag, if any."""
    found = _PERSON_ID_ATTRIBUTE.search(attributes)
    if found is None:
        return None
    return unescape(found.group(1) if found.group(1) is not None else found.group(2), _QUOTES)


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

    def say_naming(self, text: str, person_id: str) -> Speech:
        """Say ``text`` with each ``{name}`` in it spoken by Alexa as the first name of ``person_id``."""
        tag = name_tag(person_id)
        spoken = tag.join(_inline(piece) for piece in text.split(NAME_PLACEHOLDER)).strip()
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
    """The words of an SSML string, tags dropped and entities decoded (for cards, logs and local
    tools); Alexa's name tag reads as ``local_name`` of its person."""
    named = _NAME_TAG.sub(lambda tag: escape(local_name(person_of_name_tag(tag.group(1)))), ssml)
    without_tags = re.sub(r"<[^>]+>", " ", named)
    return _WHITESPACE.sub(" ", unescape(without_tags)).strip()
