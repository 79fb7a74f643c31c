"""Loading a user's record before each request and saving it after every response.

A request whose handler raises is answered by the exception handler and nothing is saved, so a
crash mid-workout leaves the last good progress in the store. The session carries the revision
of the record its last turn saw or wrote, so the store can skip the read, and a save is refused
(StaleRecord) if the record changed in between, rather than writing over newer progress.
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
from skill.store.records import REVISION_KEY, CorruptAttributes, Loaded, RecordStore
from skill.conversation.session import SessionState, Turn
from skill.workout.progress import CorruptRecord, UserRecord

log = logging.getLogger(__name__)
TURN_KEY = "turn"
LOADED_KEY = "loaded"
# Requests that are answered without looking at the person's record, so it is not read.
NO_TURN_REQUESTS = ("SessionEndedRequest", "System.ExceptionEncountered")


def turn_of(handler_input: HandlerInput) -> Turn:
    """The turn that LoadTurn put on this request."""
    return handler_input.attributes_manager.request_attributes[TURN_KEY]


class LoadTurn(AbstractRequestInterceptor):
    """Reads the user's record (recovering from damaged saved state) and the session cursor."""

    def __init__(self, content: Content, clock: Callable[[], datetime], store: RecordStore) -> None:
        self.content = content
        self.clock = clock
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        if getattr(envelope.request, "object_type", None) in NO_TURN_REQUESTS:
            return
        manager = handler_input.attributes_manager
        now = self.clock()
        in_session = envelope.session is not None
        session_attributes = manager.session_attributes if in_session else None
        try:
            loaded = self.store.load(envelope, seen=(session_attributes or {}).get(REVISION_KEY))
            record = UserRecord.from_dict(loaded.attributes, self.content)
        except (CorruptRecord, CorruptAttributes) as error:
            log.warning("recovering from unreadable saved state: %s", error)
            record = UserRecord(recovered_from=str(error))
            revision = error.revision if isinstance(error, CorruptAttributes) else loaded.revision
            loaded = Loaded({}, revision)
        manager.request_attributes[LOADED_KEY] = loaded
        session = SessionState.from_dict(session_attributes)
        if record.workout:
            record.workout.note_turn(now)
        manager.request_attributes[TURN_KEY] = Turn(
            record=record, session=session, now=now, timers_permitted=timers_permitted(handler_input),
            shows_screen=screen.supported(handler_input),
        )


class SaveTurn(AbstractResponseInterceptor):
    """Saves the record after every turn that changed it, and keeps only a small cursor (and the
    record's revision) in the session."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        manager = handler_input.attributes_manager
        turn: Turn | None = manager.request_attributes.get(TURN_KEY)
        if turn is None:
            return
        loaded: Loaded = manager.request_attributes[LOADED_KEY]
        revision = loaded.revision
        saved = turn.record.to_dict()
        # A turn that changed nothing (a launch, help, a question) writes nothing: every write
        # waits for the store's one writer, which is what many users at once contend for.
        if saved != loaded.attributes:
            revision = self.store.save(handler_input.request_envelope, saved, based_on=loaded.revision)
        if handler_input.request_envelope.session is not None:
            manager.session_attributes = turn.session.to_dict(turn.record)
            if revision is not None:
                manager.session_attributes[REVISION_KEY] = revision
