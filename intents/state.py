"""Loading a user's record before each request and saving it after every response.

A request whose handler raises is answered by the exception handler and nothing is saved, so a
crash mid-workout leaves the last good progress in the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from intents import screen
from intents.timers import permitted as timers_permitted
from skill.content import Content
from skill.store.sqlite import CorruptAttributes
from skill.workout.coach import SessionState, Turn
from skill.workout.progress import CorruptRecord, UserRecord

log = logging.getLogger(__name__)
TURN_KEY = "turn"
# Requests that are answered without looking at the person's record, so it is not read.
NO_TURN_REQUESTS = ("SessionEndedRequest", "System.ExceptionEncountered")


def turn_of(handler_input: HandlerInput) -> Turn:
    """The turn that LoadTurn put on this request."""
    return handler_input.attributes_manager.request_attributes[TURN_KEY]


class LoadTurn(AbstractRequestInterceptor):
    """Reads the user's record (recovering from damaged saved state) and the session cursor."""

    def __init__(self, content: Content, clock: Callable[[], datetime]) -> None:
        self.content = content
        self.clock = clock

    def process(self, handler_input: HandlerInput) -> None:
        if getattr(handler_input.request_envelope.request, "object_type", None) in NO_TURN_REQUESTS:
            return
        manager = handler_input.attributes_manager
        now = self.clock()
        try:
            record = UserRecord.from_dict(manager.persistent_attributes, self.content)
        except (CorruptRecord, CorruptAttributes) as error:
            log.warning("recovering from unreadable saved state: %s", error)
            record = UserRecord(recovered_from=str(error))
            manager.persistent_attributes = {}
        in_session = handler_input.request_envelope.session is not None
        session = SessionState.from_dict(manager.session_attributes if in_session else None)
        if record.workout:
            record.workout.note_turn(now)
        manager.request_attributes[TURN_KEY] = Turn(
            record=record, session=session, now=now, timers_permitted=timers_permitted(handler_input),
            shows_screen=screen.supported(handler_input),
        )


class SaveTurn(AbstractResponseInterceptor):
    """Saves the record after every turn that changed it, and keeps only a small cursor in the session."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        manager = handler_input.attributes_manager
        turn: Turn | None = manager.request_attributes.get(TURN_KEY)
        if turn is None:
            return
        saved = turn.record.to_dict()
        # A turn that changed nothing (a launch, help, a question) writes nothing: every write
        # waits for the store's one writer, which is what many users at once contend for.
        if saved != manager.persistent_attributes:
            manager.persistent_attributes = saved
            manager.save_persistent_attributes()
        if handler_input.request_envelope.session is not None:
            manager.session_attributes = turn.session.to_dict(turn.record)
