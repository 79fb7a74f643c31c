"""Name-free requests: Alexa asks whether the skill can fulfil an intent before sending it.

The answer (``intents.name_free``) goes back as ``response.canFulfillIntent`` and nothing else:
no speech, no card, no session flag. The request is not a turn, so no one's record is read or
written (``intents.state.is_turn``). Each request is judged against the interaction model of its
own locale ("Alexa, starte ein Beintraining" against de-DE's), read on that locale's first such request.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response, Slot
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentRequest,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from intents.locale import request_locale
from intents.model import load_model
from intents.name_free import HeardSlot, NameFree, Verdict
from intents.slots import slot_resolved_id
from skill.content import locale_of

log = logging.getLogger(__name__)


def heard_slots(slots: Any) -> list[HeardSlot]:
    """The slots of a CanFulfillIntentRequest's intent, as the name-free logic reads them."""
    heard: list[HeardSlot] = []
    if not isinstance(slots, dict):
        return heard
    for name, slot in slots.items():
        if not isinstance(slot, Slot):
            continue
        value = slot.value if isinstance(slot.value, str) else None
        heard.append(HeardSlot(str(name), value, slot_resolved_id(slot)))
    return heard


def can_fulfill_intent(verdict: Verdict) -> CanFulfillIntent:
    """The verdict as the SDK's ``canFulfillIntent`` model."""
    slots = {
        name: CanFulfillSlot(can_understand=CanUnderstandSlotValues(answer.can_understand.value),
                             can_fulfill=CanFulfillSlotValues(answer.can_fulfill.value))
        for name, answer in verdict.slots.items()
    }
    return CanFulfillIntent(can_fulfill=CanFulfillIntentValues(verdict.can_fulfill.value), slots=slots or None)


class CanFulfillHandler(AbstractRequestHandler):
    """A CanFulfillIntentRequest: YES, MAYBE or NO for the intent and each slot, and nothing more."""

    def __init__(self) -> None:
        self._name_free: dict[str, NameFree] = {}

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return isinstance(handler_input.request_envelope.request, CanFulfillIntentRequest)

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = handler_input.request_envelope.request.intent
        name = getattr(intent, "name", None)
        name = name if isinstance(name, str) else None
        judge = self.name_free(request_locale(handler_input.request_envelope))
        verdict = judge.judge(name, heard_slots(getattr(intent, "slots", None)))
        log.info("can fulfil %s? %s", name, verdict.can_fulfill.value)
        handler_input.response_builder.set_can_fulfill_intent(can_fulfill_intent(verdict))
        return handler_input.response_builder.response

    def name_free(self, locale: str = "en-US") -> NameFree:
        """The judge over the interaction model of ``locale`` (a locale the skill is not published in:
        its language's, else en-US's), built on first use (not at start-up)."""
        published = locale_of(locale).code
        if published not in self._name_free:
            self._name_free[published] = NameFree(load_model(published))
        return self._name_free[published]
