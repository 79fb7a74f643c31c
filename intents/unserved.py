"""Requests the skill does not serve: a valid, empty answer and one log line.

Alexa sends a skill more than turns of a conversation: AudioPlayer and PlaybackController events,
household-list and messaging events, gadget input, and request types added after the SDK's model
was released. None of them may be answered with speech, a reprompt, a card or an open session
(Alexa rejects such an answer as INVALID_RESPONSE), and none reads or writes anyone's record
(``intents.state.is_turn``). A type the SDK's model does not know is read as ``UnknownRequest``
with the fields every request has, rather than refused, so it gets the same empty answer.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.request import Request

from intents.state import is_turn, request_type

log = logging.getLogger(__name__)


class UnknownRequest(Request):
    """A request of a type the SDK's model does not name: its type, id, timestamp and locale (any
    other field is kept as it came, as the SDK keeps unknown keys)."""


UNKNOWN_REQUEST = f"{__name__}.{UnknownRequest.__name__}"


class RequestTypes(dict):
    """The SDK's table of request classes by type, naming ``UnknownRequest`` for a type it lacks.

    The SDK looks a request's class up with ``discriminator_value_class_map.get(type)`` and
    refuses the whole envelope when that gives None; a missing or non-string type still does.
    """

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        if found is None and isinstance(key, str) and key:
            return UNKNOWN_REQUEST
        return found


def read_unknown_types() -> None:
    """Have request envelopes read a type the SDK's model lacks as ``UnknownRequest`` (both entry
    points read through the SDK's model tables)."""
    if not isinstance(Request.discriminator_value_class_map, RequestTypes):
        Request.discriminator_value_class_map = RequestTypes(Request.discriminator_value_class_map)


class UnservedRequestHandler(AbstractRequestHandler):
    """Any request that is not a turn of a conversation and that no handler before it took: empty."""

    def __init__(self) -> None:
        read_unknown_types()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return not is_turn(handler_input.request_envelope)

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("not served, answered without speech: %s", request_type(handler_input.request_envelope) or "?")
        return handler_input.response_builder.response
