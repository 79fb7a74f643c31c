"""SSML to a flat script of what to play: sentences to speak, silences, and sound effects.

Alexa's tags are read the way Alexa would read them, not spoken: ``<say-as>`` changes how
its text is written for the speech engine, ``<sub>`` says its alias, ``<p>`` and ``<s>``
add their pauses, and wrapper tags (``<prosody>``, ``<amazon:effect>``...) keep only their
words. Alexa's ``<alexa:name>`` (a recognised person's first name, which only Alexa knows) is
spoken as ``skill.ssml.local_name`` of its person id: a short id's word, else "friend".
Broken markup never raises: the parser falls back to a tag-by-tag scan.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from skill.ssml import local_name

# Pauses Alexa makes for <break strength>, <s> and <p>; measured by ear, not documented exactly.
STRENGTH_MS = {"none": 0, "x-weak": 0, "weak": 250, "medium": 400, "strong": 700, "x-strong": 1000}
SENTENCE_PAUSE_MS = STRENGTH_MS["strong"]
PARAGRAPH_PAUSE_MS = STRENGTH_MS["x-strong"]

_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)([^>]*?)(/?)>|<!--.*?-->|<\?.*?\?>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_PREFIXED_TAG = re.compile(r"<(/?)([A-Za-z][\w.-]*):")
# <alexa:name> as the XML reading sees it, once its prefix is rewritten (see _wrapped).
NAME_TAG = "alexa-name"


@dataclass(frozen=True)
class Say:
    """One sentence of text for a speech engine."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence of a given length."""

    milliseconds: int


@dataclass(frozen=True)
class Sound:
    """An ``<audio src>`` clip (Alexa sound library or URL)."""

    src: str


Segment = Say | Pause | Sound


@dataclass(frozen=True)
class Script:
    """The parsed response: segments in playing order and whether the markup parsed cleanly."""

    segments: tuple[Segment, ...]
    well_formed: bool
    breaks: tuple[int, ...] = ()

    @property
    def longest_break_ms(self) -> int:
        """The longest single ``<break>`` as written (Alexa's limit is per tag, not per silence)."""
        return max(self.breaks, default=0)

    @property
    def says(self) -> tuple[str, ...]:
        """The sentences to speak, in order."""
        return tuple(s.text for s in self.segments if isinstance(s, Say))

    @property
    def pause_ms(self) -> int:
        """All silence written into the markup, in milliseconds."""
        return sum(s.milliseconds for s in self.segments if isinstance(s, Pause))


def parse_break_time(value: str | None) -> int | None:
    """``"1500ms"`` or ``"1.5s"`` as milliseconds; None when the value cannot be read."""
    if value is None:
        return None
    match = _TIME.match(value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2).lower()
    return round(number * 1000 if unit == "s" else number)


def break_ms(attributes: dict[str, str]) -> int:
    """The length of a ``<break>`` from its ``time`` or ``strength`` (Alexa's default is medium)."""
    timed = parse_break_time(attributes.get("time"))
    if timed is not None:
        return timed
    return STRENGTH_MS.get(attributes.get("strength", "medium").strip().lower(), STRENGTH_MS["medium"])


def say_as(text: str, interpret_as: str) -> str:
    """Rewrite ``<say-as>`` content so a plain speech engine reads it as Alexa would."""
    kind = interpret_as.strip().lower()
    stripped = text.strip()
    if kind in {"characters", "spell-out"}:
        return " ".join(ch for ch in stripped if not ch.isspace())
    if kind in {"digits", "telephone"}:
        return " ".join(ch for ch in stripped if ch.isdigit()) or stripped
    if kind == "ordinal" and stripped.isdigit():
        return stripped + _ordinal_suffix(int(stripped))
    if kind == "expletive":
        return "bleep"
    if kind == "interjection" and stripped and stripped[-1] not in "!?.":
        return stripped + "!"
    return stripped


def _ordinal_suffix(number: int) -> str:
    if number % 100 in {11, 12, 13}:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


class _Builder:
    """Collects text into sentences; merges adjacent pauses; drops leading and trailing implied pauses."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.breaks: list[int] = []
        self._text: list[str] = []
        self._gap = 0

    def text(self, words: str) -> None:
        if words:
            self._text.append(words)

    def pause(self, milliseconds: int) -> None:
        """An explicit ``<break>``: recorded as written, played merged with its neighbours."""
        self.breaks.append(milliseconds)
        self._flush()
        self._add(Pause(milliseconds))

    def gap(self, milliseconds: int) -> None:
        """A pause implied by ``<s>`` or ``<p>``: only kept between two things that play."""
        self._flush()
        if self.segments:
            self._gap = max(self._gap, milliseconds)

    def sound(self, src: str) -> None:
        self._flush()
        self._add(Sound(src))

    def finish(self, *, well_formed: bool) -> Script:
        self._flush()
        return Script(tuple(self.segments), well_formed, tuple(self.breaks))

    def _add(self, segment: Segment) -> None:
        if self._gap:
            gap, self._gap = self._gap, 0
            self._add(Pause(gap))
        if isinstance(segment, Pause):
            if segment.milliseconds <= 0:
                return
            if self.segments and isinstance(last := self.segments[-1], Pause):
                self.segments[-1] = Pause(last.milliseconds + segment.milliseconds)
                return
        self.segments.append(segment)

    def _flush(self) -> None:
        run = _WHITESPACE.sub(" ", "".join(self._text)).strip()
        self._text.clear()
        for sentence in _SENTENCE_END.split(run):
            if any(ch.isalnum() for ch in sentence):
                self._add(Say(sentence))


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _walk(element: ElementTree.Element, out: _Builder) -> None:
    name = _local_name(element.tag)
    attributes = {_local_name(key): value for key, value in element.attrib.items()}
    if name == "break":
        out.pause(break_ms(attributes))
    elif name == "audio":
        out.sound(attributes.get("src", "").strip())
    elif name == "sub":
        out.text(attributes.get("alias", "".join(element.itertext())))
    elif name == "say-as":
        out.text(say_as("".join(element.itertext()), attributes.get("interpret-as", "")))
    elif name == NAME_TAG:
        out.text(local_name(attributes.get("personid")))
    else:
        if name == "p":
            out.gap(PARAGRAPH_PAUSE_MS)
        out.text(element.text or "")
        for child in element:
            _walk(child, out)
            out.text(child.tail or "")
        if name in {"s", "p"}:
            out.gap(SENTENCE_PAUSE_MS if name == "s" else PARAGRAPH_PAUSE_MS)


def _wrapped(ssml: str) -> str:
    body = ssml.strip()
    # Alexa accepts <amazon:effect> without declaring the prefix; XML does not.
    body = _PREFIXED_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2)}-", body)
    if not body.startswith("<speak"):
        body = f"<speak>{body}</speak>"
    return body


def _scan(ssml: str) -> Script:
    """Tag-by-tag reading for markup that is not well-formed XML."""
    out = _Builder()
    position = 0
    sub_alias: str | None = None
    for match in _TAG.finditer(ssml):
        if sub_alias is None:
            out.text(html.unescape(ssml[position : match.start()]))
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").split(":")[-1].lower()
        attributes = {k.split(":")[-1].lower(): v[1:-1] for k, v in _ATTRIBUTE.findall(match.group(3) or "")}
        if name == "break" and not closing:
            out.pause(break_ms(attributes))
        elif name == "audio" and not closing:
            out.sound(html.unescape(attributes.get("src", "")).strip())
        elif (match.group(2) or "").lower() == "alexa:name" and not closing:
            out.text(local_name(html.unescape(attributes.get("personid", ""))))
        elif name == "sub":
            if closing:
                sub_alias = None
            elif "alias" in attributes:
                out.text(html.unescape(attributes["alias"]))
                sub_alias = attributes["alias"]
        elif name in {"s", "p"} and closing:
            out.gap(SENTENCE_PAUSE_MS if name == "s" else PARAGRAPH_PAUSE_MS)
        out.text(" ")
    if sub_alias is None:
        out.text(html.unescape(ssml[position:]))
    return out.finish(well_formed=False)


def parse(ssml: str) -> Script:
    """Read an SSML string (or plain text) into a Script; never raises on bad markup."""
    try:
        root = ElementTree.fromstring(_wrapped(ssml))
    except ElementTree.ParseError:
        return _scan(ssml)
    out = _Builder()
    _walk(root, out)
    return out.finish(well_formed=True)
