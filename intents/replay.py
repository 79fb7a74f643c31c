"""A request delivered twice (a network retry, a replay inside Alexa's 150 s window) is applied once.

The first request handler asks whether this request is one of those the live record kept an answer
for (``intents.answers``); if so it answers exactly as the first time, and nothing is counted or
saved again.
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from intents.answers import recall
from intents.state import LOADED_KEY, TURN_KEY
from skill.conversation.session import Turn
from skill.store.records import REVISION_KEY, Loaded

log = logging.getLogger(__name__)


class ReplayHandler(AbstractRequestHandler):
    """First in line: a request already answered (same request id) gets the same answer, applied once."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
        request_id = getattr(handler_input.request_envelope.request, "request_id", None)
        return turn is not None and bool(turn.record.answers) and any(
            answer["id"] == request_id for answer in turn.record.answers)

    def handle(self, handler_input: HandlerInput) -> Response:
        manager = handler_input.attributes_manager
        turn: Turn = manager.request_attributes.pop(TURN_KEY)
        request_id = handler_input.request_envelope.request.request_id
        recalled = recall(turn.record, request_id)
        assert recalled is not None
        response, session = recalled
        log.info("request %s was answered before: the same answer, nothing applied again", request_id)
        if handler_input.request_envelope.session is not None:
            loaded: Loaded = manager.request_attributes[LOADED_KEY]
            manager.session_attributes = {**session, REVISION_KEY: loaded.revision} if loaded.revision else session
        return response
