"""Loading the owner's live record before each request and saving it (with any log entries) after.

The owner is the person Alexa recognised (``context.System.person.personId``): their own workout,
log and preferences; a speaker Alexa does not recognise uses the account's own state. The session
carries the revision of the record its last turn saw or wrote, so the store can skip the read, and
a save is refused (StaleRecord) if the record changed in between, rather than writing over newer
progress. A turn reads the live record only: the training log is appended to with the save that
finishes a workout and never read on an ordinary turn, so a turn costs the same whatever the history.
The log's summary is kept apart from the record: the requests in WANTS_SUMMARY read it with the
record (one read), any other turn only if it asks for ``record.summary`` (the one that finishes a
workout), and only the save of a turn that changed it writes it.
A request whose handler raises is answered by the exception handler and nothing is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.request import Request

from intents import answers, screen
from intents.locale import request_language
from intents.timers import permitted as timers_permitted
from skill.content import Content
from skill.conversation.session import SessionState, Turn
from skill.store.records import REVISION_KEY, CorruptAttributes, Loaded, Owner, RecordStore
from skill.training.pages import OwnerLog
from skill.workout.progress import CorruptRecord, UserRecord

log = logging.getLogger(__name__)
TURN_KEY = "turn"
LOADED_KEY = "loaded"
OWNER_KEY = "owner"
# Set when the person confirmed "delete my data": the save deletes the owner's data instead.
FORGET_KEY = "forget"
# The request types that are a turn of someone's conversation: the only ones that read the
# owner's record, and the only ones Alexa lets the skill answer with speech. Everything else (a
# session's end, Alexa's error report, skill events, AudioPlayer and PlaybackController events,
# CanFulfillIntentRequest, household lists, types Alexa adds later) is answered without a record.
TURN_REQUESTS = frozenset(
    {"LaunchRequest", "IntentRequest", "Connections.Response", "Alexa.Presentation.APL.UserEvent"}
)
# The SDK's model classes for those types, by dotted path (as its own table names them).
_TURN_CLASSES = frozenset(Request.discriminator_value_class_map[kind] for kind in TURN_REQUESTS)
# The turns that read the summary with the record, in the same read: those that may speak of the
# history, or start a workout (whose worker then holds the summary when the workout finishes).
WANTS_SUMMARY = frozenset({"LaunchRequest", "StartWorkoutIntent", "LastWorkoutIntent", "LastExerciseIntent",
                           "BestLiftIntent", "LegDayCountIntent", "StreakIntent", "ShowProgressIntent"})
# Skill events (enabled, disabled, permissions changed...) concern the account, never a turn.
SKILL_EVENT_PREFIX = "AlexaSkillEvent."


def turn_of(handler_input: HandlerInput) -> Turn:
    """The turn that LoadTurn put on this request."""
    return handler_input.attributes_manager.request_attributes[TURN_KEY]


def owner_of(envelope: RequestEnvelope) -> Owner:
    """Whose state a request reads and writes: the recognised person, else the account."""
    system = envelope.context.system if envelope.context is not None else None
    user = system.user if system is not None else None
    if user is None or not user.user_id:
        raise PersistenceException("request has no user id to store progress under")
    person = system.person.person_id if system.person is not None else None
    try:
        return Owner(str(user.user_id), str(person) if person else None)
    except ValueError as error:
        raise PersistenceException(f"request has no usable owner: {error}") from error


def forget_owner(handler_input: HandlerInput) -> None:
    """Have this turn's save delete the owner's data (and write nothing) instead of saving."""
    handler_input.attributes_manager.request_attributes[FORGET_KEY] = True


def request_type(envelope: RequestEnvelope) -> str:
    """The request's type ("" when it has none that is text: an envelope may set any field to anything)."""
    kind = getattr(envelope.request, "object_type", None)
    return kind if isinstance(kind, str) else ""


def wants_summary(envelope: RequestEnvelope) -> bool:
    """Whether this turn reads the summary with the record (see WANTS_SUMMARY)."""
    request = envelope.request
    intent = getattr(request, "intent", None)
    return request_type(envelope) in WANTS_SUMMARY or getattr(intent, "name", None) in WANTS_SUMMARY


def is_turn(envelope: RequestEnvelope) -> bool:
    """Whether this request is a turn of someone's conversation: their record is read, and the
    answer may speak.

    Judged by the class the SDK read the request as (chosen by its JSON ``type``), not by its
    ``object_type``, which an extra JSON key of that name overwrites with anything.
    """
    kind = type(envelope.request)
    return f"{kind.__module__}.{kind.__name__}" in _TURN_CLASSES


class LoadTurn(AbstractRequestInterceptor):
    """Reads the owner's live record (recovering from damaged saved state) and the session cursor."""

    def __init__(self, content: Content, clock: Callable[[], datetime], store: RecordStore) -> None:
        self.content = content
        self.clock = clock
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        if not is_turn(envelope):
            return
        manager = handler_input.attributes_manager
        now = self.clock()
        owner = owner_of(envelope)
        session_attributes = manager.session_attributes if envelope.session is not None else None
        seen = (session_attributes or {}).get(REVISION_KEY)
        try:
            loaded = self.store.load(owner, seen=seen if type(seen) is int else None,
                                     with_summary=wants_summary(envelope))
            record = UserRecord.from_dict(loaded.attributes, self.content, trusted=loaded.trusted)
        except (CorruptRecord, CorruptAttributes) as error:
            log.warning("recovering from unreadable saved state: %s", error)
            record = UserRecord(recovered_from=str(error))
            revision = error.revision if isinstance(error, CorruptAttributes) else loaded.revision
            loaded = Loaded({}, revision, loaded.summary_at if isinstance(error, CorruptRecord) else None)
        summary_at = loaded.summary_at
        record.read_summary_from(lambda: self.store.load_summary(owner, summary_at))
        manager.request_attributes[OWNER_KEY] = owner
        manager.request_attributes[LOADED_KEY] = loaded
        session = SessionState.from_dict(session_attributes)
        if record.workout:
            record.workout.note_turn(now)
        manager.request_attributes[TURN_KEY] = Turn(
            record=record, session=session, now=now, timers_permitted=timers_permitted(handler_input),
            shows_screen=screen.supported(handler_input), person_id=owner.person_id,
            locale=str(getattr(envelope.request, "locale", None) or "en-US"),
            log=OwnerLog(self.store, owner),
            language=request_language(envelope),
        )


class SaveTurn(AbstractResponseInterceptor):
    """Saves the record (and the log entries of a finished workout, in the same write) after every
    turn that changed it, keeping its answer for a repeat; the session keeps a small cursor and the
    record's revision. A turn that confirmed "delete my data" deletes instead, and saves nothing."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput, response: Response) -> None:

        manager = handler_input.attributes_manager
        turn: Turn | None = manager.request_attributes.get(TURN_KEY)
        if turn is None:
            return
        if manager.request_attributes.get(FORGET_KEY):
            self._forget(handler_input)
            return
        loaded: Loaded = manager.request_attributes[LOADED_KEY]
        revision = loaded.revision
        in_session = handler_input.request_envelope.session is not None
        cursor = turn.session.to_dict(turn.record) if in_session else {}
        saved = turn.record.to_dict()
        items = turn.record.take_log_items()
        summary = turn.record.take_summary()
        # A turn that changed nothing (a launch, help, a question) writes nothing: every write
        # waits for the store's one writer, which is what many users at once contend for.
        if saved != loaded.attributes or items or summary is not None:
            request = handler_input.request_envelope.request
            answers.remember(turn.record, getattr(request, "request_id", None), turn.now, response, cursor)
            saved["answers"] = list(turn.record.answers)
            revision = self.store.save(manager.request_attributes[OWNER_KEY], saved, based_on=loaded.revision,
                                       log=items, summary=summary)
        if in_session:
            manager.session_attributes = cursor
            if revision is not None:
                manager.session_attributes[REVISION_KEY] = revision

    def _forget(self, handler_input: HandlerInput) -> None:
        """Delete a recognised person's live record and log, or for the account's own voice everything
        kept for the account; the record this turn holds is not written back, and the session keeps
        no revision of a record that is gone."""
        manager = handler_input.attributes_manager
        owner: Owner = manager.request_attributes[OWNER_KEY]
        if owner.person_id is not None:
            self.store.delete_owner(owner)
        else:
            self.store.delete_account(owner.user_id)
        log.info("deleted by voice: %s", "a person's data" if owner.person_id else "the account's data")
        if handler_input.request_envelope.session is not None:
            manager.session_attributes = {}
