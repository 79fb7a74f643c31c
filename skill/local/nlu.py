"""Typed utterances to intents and slots, the way Alexa would resolve them, without the cloud.

Each sample of the interaction model becomes a pattern; slot references match the slot type's
values and synonyms (and resolve to the value's id, as Alexa's entity resolution does). When no
listed value fits, a custom slot still takes the words heard, unresolved, as Alexa does. Nothing
that matches becomes ``AMAZON.FallbackIntent``. Pure logic: no Flask, no SDK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from intents.model import LETTERS, InteractionModel, SlotType, normalize

FALLBACK_INTENT = "AMAZON.FallbackIntent"
NUMBER_TYPE = "AMAZON.NUMBER"

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SLOT_REFERENCE = re.compile(r"\{(\w+)\}")
# English, unless the model's language lists its own (the ``[local]`` table of its built-in phrases).
ENGLISH_WORDS: dict[str, Any] = {
    "open": ["open", "launch", "start", "begin", "run", "load"],
    "ask": ["ask", "tell"],
    "connectors": ["to", "that", "for", "about", "if", "whether"],
    "numbers": {word: value for value, word in enumerate(_UNITS)} | _TENS | {"a": 1, "an": 1},
    "hundred": "hundred",
    "thousand": "thousand",
    "and": "and",
}


@dataclass(frozen=True)
class SlotMatch:
    """A filled slot: the words heard and, when they are a listed value, its id."""

    name: str
    value: str
    slot_type: str
    resolved_id: str | None = None


@dataclass(frozen=True)
class Understanding:
    """What an utterance means: launch the skill, or an intent with slots (possibly one-shot)."""

    intent: str | None
    slots: dict[str, SlotMatch] = field(default_factory=dict)
    launch: bool = False
    one_shot: bool = False


def words_to_number(text: str, words: dict[str, Any] | None = None) -> int | None:
    """ "ninety" -> 90, "one hundred twenty" -> 120, "45" -> 45; with German ``words``,
    "fünfundvierzig" -> 45; None for anything else."""
    words = words or ENGLISH_WORDS
    text = normalize(text)
    if text.isdigit():
        return int(text)
    total, current, seen = 0, 0, False
    for piece in _number_pieces(text, words):
        if piece is None:
            return None
        if piece == words["and"]:
            continue
        if piece == words["hundred"]:
            current = max(current, 1) * 100
        elif piece == words["thousand"]:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += words["numbers"][piece]
        seen = True
    return total + current if seen else None


def _number_pieces(text: str, words: dict[str, Any]) -> list[str | None]:
    """The number words of ``text``, compounds split ("fünfundvierzig": fünf, und, vierzig); None
    marks a word that is no number."""
    known = sorted({*words["numbers"], words["hundred"], words["thousand"], words["and"]}, key=len, reverse=True)
    pieces: list[str | None] = []
    for word in text.split():
        while word:
            piece = next((candidate for candidate in known if word.startswith(candidate)), None)
            if piece is None:
                return [None]
            pieces.append(piece)
            word = word[len(piece):]
    return pieces


class Matcher:
    """Resolves utterances against one interaction model."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self.words = {**ENGLISH_WORDS, **model.local_words}
        invocation = normalize(model.invocation_name)
        self._invocation = invocation
        self._exact: list[tuple[int, str, re.Pattern[str], dict[str, str]]] = []
        self._loose: list[tuple[int, str, re.Pattern[str], dict[str, str]]] = []
        for intent in model.intents.values():
            for sample in intent.samples:
                literal = len(_SLOT_REFERENCE.sub("", normalize(sample)))
                exact = self._compile(sample, intent.slots, loose=False)
                self._exact.append((literal, intent.name, exact, intent.slots))
                if _SLOT_REFERENCE.search(sample):
                    self._loose.append((literal, intent.name, self._compile(sample, intent.slots, loose=True),
                                        intent.slots))
        for table in (self._exact, self._loose):
            table.sort(key=lambda entry: -entry[0])

    def understand(self, utterance: str) -> Understanding:
        """The meaning of one typed utterance, invocation phrases included."""
        text = normalize(utterance)
        if text.startswith("alexa "):
            text = text[len("alexa "):]
        first, _, rest = text.partition(" ")
        if rest.startswith(self._invocation):
            request = rest[len(self._invocation):].strip()
            if first in self.words["open"] and not request:
                return Understanding(intent=None, launch=True)
            if first in self.words["ask"]:
                if not request:
                    return Understanding(intent=None, launch=True)
                connector, _, remainder = request.partition(" ")
                if connector in self.words["connectors"] and remainder:
                    request = remainder
                meaning = self.match(request)
                return Understanding(meaning.intent, meaning.slots, one_shot=True)
        return self.match(text)

    def match(self, text: str) -> Understanding:
        """The intent whose sample fits ``text`` best, or the fallback intent.

        Samples whose slots all take listed values win; otherwise a sample with a free-form slot
        value, preferring the one that resolves the most slots, then the longest literal text.
        """
        text = normalize(text)
        for _, intent_name, pattern, slot_types in self._exact:
            found = pattern.fullmatch(text)
            slots = self._slots(found, slot_types) if found else None
            if slots is not None:
                return Understanding(intent_name, slots)
        candidates = []
        for literal, intent_name, pattern, slot_types in self._loose:
            found = pattern.fullmatch(text)
            slots = self._slots(found, slot_types) if found else None
            if slots is not None:
                resolved = sum(1 for slot in slots.values() if slot.resolved_id or slot.slot_type == NUMBER_TYPE)
                candidates.append(((resolved, literal), intent_name, slots))
        if candidates:
            _, intent_name, slots = max(candidates, key=lambda candidate: candidate[0])
            return Understanding(intent_name, slots)
        return Understanding(FALLBACK_INTENT)

    def _slots(self, found: re.Match[str], slot_types: dict[str, str]) -> dict[str, SlotMatch] | None:
        slots = {}
        for name, heard in found.groupdict().items():
            if heard is None:
                continue
            slot_type = slot_types[name]
            if slot_type == NUMBER_TYPE:
                number = words_to_number(heard, self.words)
                if number is None:
                    return None
                slots[name] = SlotMatch(name, str(number), slot_type)
            else:
                slots[name] = SlotMatch(name, heard, slot_type, self._resolve(self.model.types.get(slot_type), heard))
        return slots

    @staticmethod
    def _resolve(slot_type: SlotType | None, heard: str) -> str | None:
        value = slot_type.value_for(heard) if slot_type is not None else None
        return value.id if value is not None else None

    def _compile(self, sample: str, slot_types: dict[str, str], *, loose: bool) -> re.Pattern[str]:
        parts = []
        position = 0
        text = sample.lower()
        for reference in _SLOT_REFERENCE.finditer(text):
            parts.append(re.escape(normalize(text[position:reference.start()])))
            name = reference.group(1)
            parts.append(f"(?P<{name}>{self._slot_pattern(slot_types[name], loose)})")
            position = reference.end()
        parts.append(re.escape(normalize(text[position:])))
        pattern = r"\ ".join(part for part in parts if part)
        return re.compile(pattern)

    def _slot_pattern(self, slot_type: str, loose: bool) -> str:
        if slot_type == NUMBER_TYPE or loose:
            return rf"[{LETTERS}' ]+?"
        known = self.model.types.get(slot_type)
        if known is None:
            return rf"[{LETTERS}' ]+?"
        phrases = sorted({normalize(phrase) for value in known.values for phrase in value.phrases}, key=len,
                         reverse=True)
        return "|".join(re.escape(phrase) for phrase in phrases)


@lru_cache(maxsize=8)
def default_matcher(locale: str = "en-US") -> Matcher:
    """A matcher for the skill's own interaction model of ``locale`` (built once per process)."""
    from intents.model import load_model

    return Matcher(load_model(locale))
