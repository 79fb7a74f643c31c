"""Whether the skill can fulfil a request it was not named in ("Alexa, start a leg workout").

Alexa asks with a CanFulfillIntentRequest: the intent it heard and the slot values, before it
decides which skill to send the request to. The answer follows Amazon's definitions:

- the intent: YES when it is one the skill serves without being named and every slot value was
  understood; MAYBE when it is such an intent but a value was not (fully) understood; NO for an
  intent the skill does not serve that way. Only starting a workout, explaining an exercise and
  why legs matter make sense from outside the skill: "I'm done", "skip this" or "delete my data"
  said to no skill in particular are not requests for this one, so they get NO.
- each slot sent with a value: ``can_understand`` YES when the value is one of the slot type's
  values or synonyms (or Alexa resolved it to one), MAYBE when one of them is inside what was
  heard ("a heavy barbell"), NO otherwise; ``can_fulfill`` YES only when understood.

Pure logic over the interaction model: no SDK, nothing read or written, nothing said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from intents.model import InteractionModel, SlotType, normalize

NAME_FREE_INTENTS = ("StartWorkoutIntent", "ExerciseInfoIntent", "WhyTrainLegsIntent")
NUMBER_TYPE = "AMAZON.NUMBER"


class Answer(str, Enum):
    """Amazon's three answers (the slot's ``can_fulfill`` uses YES and NO only)."""

    YES = "YES"
    NO = "NO"
    MAYBE = "MAYBE"


@dataclass(frozen=True)
class HeardSlot:
    """A slot as Alexa sent it: the words heard and, when entity resolution matched, the value's id."""

    name: str
    value: str | None = None
    resolved_id: str | None = None


@dataclass(frozen=True)
class SlotAnswer:
    """Whether one slot's value is understood, and whether the skill can act on it."""

    can_understand: Answer
    can_fulfill: Answer


@dataclass(frozen=True)
class Verdict:
    """The answer to one CanFulfillIntentRequest: for the intent, and for each slot sent with a value."""

    can_fulfill: Answer
    slots: dict[str, SlotAnswer] = field(default_factory=dict)


UNDERSTOOD = SlotAnswer(Answer.YES, Answer.YES)
PARTLY_UNDERSTOOD = SlotAnswer(Answer.MAYBE, Answer.NO)
NOT_UNDERSTOOD = SlotAnswer(Answer.NO, Answer.NO)


def any_phrase(kind: SlotType) -> re.Pattern[str]:
    """A pattern finding any of a slot type's values or synonyms, as whole words, in normalized text."""
    phrases = sorted({normalize(phrase) for value in kind.values for phrase in value.phrases} - {""},
                     key=len, reverse=True)
    if not phrases:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


class NameFree:
    """Judges CanFulfillIntentRequests against one interaction model."""

    def __init__(self, model: InteractionModel, intents: Iterable[str] = NAME_FREE_INTENTS) -> None:
        self.model = model
        self.intents = frozenset(intents)
        self._ids = {name: {value.id for value in kind.values} for name, kind in model.types.items()}
        self._inside = {name: any_phrase(kind) for name, kind in model.types.items()}

    def judge(self, intent: str | None, slots: Iterable[HeardSlot]) -> Verdict:
        """The answer for ``intent`` with the slots Alexa sent."""
        declared = self.model.intents.get(intent or "")
        if declared is None or declared.name not in self.intents:
            return Verdict(Answer.NO)
        answers = {
            slot.name: self.slot(declared.slots.get(slot.name), slot)
            for slot in slots if slot.value is not None and slot.value.strip()
        }
        every = all(answer == UNDERSTOOD for answer in answers.values())
        return Verdict(Answer.YES if every else Answer.MAYBE, answers)

    def slot(self, slot_type: str | None, slot: HeardSlot) -> SlotAnswer:
        """Whether a slot's value, of ``slot_type`` (None: a slot the intent does not have), is understood."""
        heard = normalize(slot.value or "")
        if slot_type == NUMBER_TYPE:
            return UNDERSTOOD if heard.isascii() and heard.isdigit() else NOT_UNDERSTOOD
        kind = self.model.types.get(slot_type or "")
        if kind is None or not heard:
            return NOT_UNDERSTOOD
        if slot.resolved_id in self._ids[kind.name] or kind.value_for(heard) is not None:
            return UNDERSTOOD
        if self._inside[kind.name].search(heard):
            return PARTLY_UNDERSTOOD
        return NOT_UNDERSTOOD
