"""Requests that are not intents: launch, session end, Alexa's error report, and anything unknown."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response, SessionEndedRequest
from ask_sdk_model.interfaces.connections import ConnectionsResponse
from ask_sdk_model.interfaces.system import ExceptionEncounteredRequest

from intents import timers
from intents.base import SkillHandler
from intents.locale import request_language
from intents.respond import respond
from intents.state import TURN_KEY, is_turn
from skill.conversation.coach import Coach
from skill.conversation.reply import Reply
from skill.conversation.said import Fallback, Launch, PermissionAnswered, Said
from skill.store.records import SaveOutcomeUnknown, StaleRecord, StoreError

log = logging.getLogger(__name__)


class LaunchHandler(SkillHandler):
    """"Alexa, open Leg Day Coach": welcome, and offer to resume an unfinished workout."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def said(self, handler_input: HandlerInput) -> Said:
        return Launch()


class TimerPermissionHandler(SkillHandler):
    """The answer to Alexa's timer permission question: rest on a timer, or remember the no and count."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return isinstance(request, ConnectionsResponse) and request.name == timers.ASK_FOR

    def said(self, handler_input: HandlerInput) -> Said:
        request = handler_input.request_envelope.request
        assert isinstance(request, ConnectionsResponse)
        answer = timers.permission_answer(request.payload)
        log.info("timer permission answer: %s", answer.value)
        return PermissionAnswered(answer, timers.rest_from_token(request.token))


class SessionEndedHandler(AbstractRequestHandler):
    """The session closed (silence, "exit", an error): log why; the save interceptor keeps progress."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return isinstance(handler_input.request_envelope.request, SessionEndedRequest)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        reason = request.reason.value if request.reason else "unknown"
        if request.error is not None:
            log.warning("session ended: %s (%s: %s)", reason, request.error.object_type, request.error.message)
        else:
            log.info("session ended: %s", reason)
        return handler_input.response_builder.response


class ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that our last response was unusable; it may not be answered with speech."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return isinstance(handler_input.request_envelope.request, ExceptionEncounteredRequest)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = request.error
        log.error(
            "Alexa could not use a response: %s: %s",
            error.object_type if error else "unknown",
            error.message if error else "",
        )
        return handler_input.response_builder.response


class UnhandledRequestHandler(SkillHandler):
    """Last in line: a turn nothing else handles (an intent we do not know, a screen event we do not
    use) gets a helpful spoken answer. Requests that are not turns never reach it (intents.unserved)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def said(self, handler_input: HandlerInput) -> Said:
        request = handler_input.request_envelope.request
        log.warning("no handler for %s", getattr(request, "object_type", type(request).__name__))
        return Fallback()


class ChangedElsewhere(AbstractExceptionHandler):
    """A save refused because the record changed since this turn read it (two devices at once).

    The turn was worked out on an old copy, so it is not applied: the person hears why and says
    it again, and the next turn reads the record as it is now. Nothing is lost or counted twice.
    A rest timer the refused turn had already started with Alexa still rings, unrecorded.
    """

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StaleRecord)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.info("a turn was not applied: %s", exception)
        language = request_language(handler_input.request_envelope)
        return apologise(handler_input, self.coach, self.coach.changed_elsewhere(language))


class StoreUnavailable(AbstractExceptionHandler):
    """The store could not be read or written (a disk full, a database out of reach): the turn was not
    applied, and the person hears exactly that, never that their progress was saved."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, (PersistenceException, StoreError))

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        language = request_language(handler_input.request_envelope)
        if isinstance(exception, SaveOutcomeUnknown):
            log.error("the store did not answer a save; the turn may or may not be applied", exc_info=exception)
            return apologise(handler_input, self.coach, self.coach.save_unknown(language))
        log.error("the store failed; the turn was not applied", exc_info=exception)
        return apologise(handler_input, self.coach, self.coach.store_unavailable(language))


class SpokenApology(AbstractExceptionHandler):
    """Any other exception: log it, apologise briefly, keep the session open. Never an HTTP 500.

    Nothing is saved on this path (response interceptors do not run), so the last good progress stays.
    """

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("error while handling a request", exc_info=exception)
        language = request_language(handler_input.request_envelope)
        return apologise(handler_input, self.coach, self.coach.error(language))


def apologise(handler_input: HandlerInput, coach: Coach, reply: Reply) -> Response:
    """Answer a failed turn with ``reply`` alone: nothing of the turn is saved or sent.

    Requests that may not be answered with speech (anything but a turn: a session end, Alexa's
    error report, an event) get an empty response.
    """
    handler_input.attributes_manager.request_attributes.pop(TURN_KEY, None)
    # Start from an empty response: the failed turn may have added directives or a card.
    handler_input.response_builder = ResponseFactory()
    if not is_turn(handler_input.request_envelope):
        return handler_input.response_builder.response
    return respond(handler_input, coach, reply)
