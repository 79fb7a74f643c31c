"""Reading slot values: the entity-resolution id when Alexa matched one, else what was heard."""

from __future__ import annotations

import re

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Slot
from ask_sdk_model.slu.entityresolution import StatusCode


def _slot(handler_input: HandlerInput, name: str) -> Slot | None:
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None or not request.intent.slots:
        return None
    return request.intent.slots.get(name)


def heard(handler_input: HandlerInput, name: str) -> str | None:
    """The words Alexa heard for a slot, if any."""
    slot = _slot(handler_input, name)
    value = slot.value if slot is not None else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def resolved_id(handler_input: HandlerInput, name: str) -> str | None:
    """The id of the custom slot value Alexa resolved (synonyms included), or None if nothing matched."""
    slot = _slot(handler_input, name)
    return slot_resolved_id(slot) if slot is not None else None


def slot_resolved_id(slot: Slot) -> str | None:
    """The id entity resolution matched for ``slot`` (first authority that matched), or None."""
    if slot.resolutions is None or not slot.resolutions.resolutions_per_authority:
        return None
    for authority in slot.resolutions.resolutions_per_authority:
        status = authority.status.code if authority.status else None
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            value = authority.values[0].value
            if value is not None and value.id:
                return str(value.id)
    return None


def number(handler_input: HandlerInput, name: str) -> int | None:
    """An AMAZON.NUMBER slot as an int; Alexa sends digits, or "?" when it heard no number."""
    value = heard(handler_input, name)
    return int(value) if value is not None and value.isascii() and value.isdigit() else None


# A load as Alexa may send it: digits, with at most two decimals ("62.5"); anything else is not a load.
_DECIMAL = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2})?")


def decimal(handler_input: HandlerInput, name: str, fraction: str | None = None) -> float | None:
    """An AMAZON.NUMBER slot that may carry a decimal point, plus the id of a fraction slot said after
    it ("sixty two" and "and a half": 62.5); None when no number was heard."""
    value = heard(handler_input, name)
    if value is None or not _DECIMAL.fullmatch(value):
        return None
    number = float(value)
    part = resolved_id(handler_input, fraction) if fraction else None
    if part is not None and _DECIMAL.fullmatch(part) and number == int(number):
        number += float(part) % 1
    return int(number) if number == int(number) else number
