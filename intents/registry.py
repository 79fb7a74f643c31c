"""Every handler of the skill, registered in one explicit order.

Order matters: the SDK asks each request handler in turn and uses the first that can handle the
request, so ``ReplayHandler`` (a request answered before gets the same answer) comes first, the
speechless ``UnservedRequestHandler`` takes every request that is not a turn before the spoken
catch-all ``UnhandledRequestHandler``, which must stay last.

Only the handlers that any request may reach are imported when the skill is built. The others are
named by where they live, with a cheap test of the requests they may take (the intent's name, the
request's type), and are imported and built on the first such request (``Deferred``): a cold start
that answers a launch loads none of the workout's, history's, reminders' or name-free handlers.
Each test is true of every request its handler takes (tests/skill/test_registry.py holds them to
it), so who answers a request is exactly who would if every handler were built up front.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.canfulfill import CanFulfillIntentRequest
from ask_sdk_model.interfaces.connections import ConnectionsResponse
from ask_sdk_model.request import Request

from intents.base import is_intent_among
from intents.lifecycle import (
    ChangedElsewhere,
    ExceptionEncounteredHandler,
    LaunchHandler,
    SessionEndedHandler,
    SpokenApology,
    StoreUnavailable,
    TimerPermissionHandler,
    UnhandledRequestHandler,
)
from intents.replay import ReplayHandler
from intents.rest_task import RestOverHandler
from intents.state import SKILL_EVENT_PREFIX, request_type
from intents.unserved import UnservedRequestHandler
from skill.conversation.coach import Coach
from skill.services import ServicesFactory
from skill.store.records import RecordStore

Gate = Callable[[HandlerInput], bool]

# The intent handlers, in the order they are asked: where each class lives, and the intents it
# answers (its ``intents``; a test checks that the two agree).
INTENT_HANDLERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intents.workout.StartWorkoutHandler", ("StartWorkoutIntent",)),
    ("intents.workout.SetDoneHandler", ("SetDoneIntent", "AMAZON.NextIntent", "LogSetIntent")),
    ("intents.workout.SkipExerciseHandler", ("SkipExerciseIntent",)),
    ("intents.workout.PreviousHandler", ("AMAZON.PreviousIntent",)),
    ("intents.workout.RepeatHandler", ("AMAZON.RepeatIntent",)),
    ("intents.workout.StartOverHandler", ("AMAZON.StartOverIntent",)),
    ("intents.workout.PauseHandler", ("AMAZON.PauseIntent",)),
    ("intents.workout.ResumeHandler", ("AMAZON.ResumeIntent",)),
    ("intents.workout.ProgressHandler", ("ProgressIntent",)),
    ("intents.workout.SetRestHandler", ("SetRestIntent",)),
    ("intents.workout.RestTimerHandler", ("RestTimerIntent",)),
    ("intents.knowledge.ExerciseInfoHandler", ("ExerciseInfoIntent",)),
    ("intents.knowledge.TellMeMoreHandler", ("TellMeMoreIntent",)),
    ("intents.knowledge.WhyTrainLegsHandler", ("WhyTrainLegsIntent",)),
    ("intents.conversation.HelpHandler", ("AMAZON.HelpIntent",)),
    ("intents.conversation.StopHandler", ("AMAZON.StopIntent", "AMAZON.CancelIntent")),
    ("intents.conversation.NavigateHomeHandler", ("AMAZON.NavigateHomeIntent",)),
    ("intents.conversation.FallbackHandler", ("AMAZON.FallbackIntent",)),
    ("intents.conversation.YesHandler", ("AMAZON.YesIntent",)),
    ("intents.conversation.NoHandler", ("AMAZON.NoIntent",)),
    ("intents.your_data.DeleteMyDataHandler", ("DeleteMyDataIntent",)),
    ("intents.workout.SetUnitHandler", ("SetUnitIntent",)),
    ("intents.history.LastWorkoutHandler", ("LastWorkoutIntent",)),
    ("intents.history.LastExerciseHandler", ("LastExerciseIntent",)),
    ("intents.history.BestLiftHandler", ("BestLiftIntent",)),
    ("intents.history.LegDayCountHandler", ("LegDayCountIntent",)),
    ("intents.history.StreakHandler", ("StreakIntent",)),
    ("intents.history.ShowProgressHandler", ("ShowProgressIntent",)),
    ("intents.reminders.SetRemindersHandler", ("SetRemindersIntent",)),
    ("intents.reminders.ListRemindersHandler", ("ListRemindersIntent",)),
    ("intents.reminders.CancelRemindersHandler", ("CancelRemindersIntent",)),
)

HANDLED_INTENTS: frozenset[str] = frozenset(name for _, names in INTENT_HANDLERS for name in names)

# SkillDisabled is read with its body (intents.skill_events) from the first request on, before its
# handler is imported: the SDK's model table names the class by its dotted path.
SKILL_DISABLED = ("AlexaSkillEvent.SkillDisabled", "intents.skill_events.SkillDisabledEvent")


def intent_named(names: tuple[str, ...]) -> Gate:
    """An intent request for one of ``names`` (what ``IntentHandler.can_handle`` asks, in the same way)."""
    return lambda handler_input: is_intent_among(handler_input, names)


def read_as(kind: type) -> Gate:
    """A request the SDK read as ``kind``."""
    return lambda handler_input: isinstance(handler_input.request_envelope.request, kind)


def typed(test: Callable[[str], bool]) -> Gate:
    """A request whose type passes ``test`` (the type as ``intents.state.request_type`` reads it)."""
    return lambda handler_input: test(request_type(handler_input.request_envelope))


class Deferred(AbstractRequestHandler):
    """The handler at ``path``, imported and built by ``build`` on the first request that passes ``gate``.

    ``gate`` must be true of every request the handler can handle; then it answers what it would
    have answered had it been built up front, and a request that fails the gate costs one test.
    """

    def __init__(self, path: str, gate: Gate, build: Callable[[type], AbstractRequestHandler]) -> None:
        self.path = path
        self.gate = gate
        self.build = build

    @functools.cached_property
    def handler(self) -> AbstractRequestHandler:
        """The handler itself, built once (cached_property builds it under a lock, for threaded servers)."""
        module, _, name = self.path.rpartition(".")
        return self.build(getattr(importlib.import_module(module), name))

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.gate(handler_input) and self.handler.can_handle(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.handler.handle(handler_input)


def request_handlers(coach: Coach, services: ServicesFactory, store: RecordStore) -> list[AbstractRequestHandler]:
    """All request handlers, in the order the SDK should try them (the catch-all last)."""
    Request.discriminator_value_class_map[SKILL_DISABLED[0]] = SKILL_DISABLED[1]

    def skill_handler(cls: type) -> AbstractRequestHandler:
        return cls(coach, services)

    return [
        ReplayHandler(),
        Deferred("intents.skill_events.SkillEventHandler", typed(lambda kind: kind.startswith(SKILL_EVENT_PREFIX)),
                 lambda cls: cls(store)),
        Deferred("intents.can_fulfill.CanFulfillHandler", read_as(CanFulfillIntentRequest), lambda cls: cls()),
        RestOverHandler(coach, services),  # a launch by the rest timer's task, before any other launch
        LaunchHandler(coach, services),
        *(Deferred(path, intent_named(names), skill_handler) for path, names in INTENT_HANDLERS),
        Deferred("intents.workout.ScreenTouchHandler", typed(lambda kind: kind == "Alexa.Presentation.APL.UserEvent"),
                 skill_handler),
        # Before the timers' handler, which takes every AskFor.
        Deferred("intents.reminders.RemindersPermissionHandler", read_as(ConnectionsResponse), skill_handler),
        TimerPermissionHandler(coach, services),
        SessionEndedHandler(),
        ExceptionEncounteredHandler(),
        UnservedRequestHandler(),
        UnhandledRequestHandler(coach, services),
    ]


def exception_handlers(coach: Coach) -> list[AbstractExceptionHandler]:
    """The exception handlers, most specific first: a store failure is a PersistenceException, and a
    refused save (StaleRecord) a particular one of those."""
    return [ChangedElsewhere(coach), StoreUnavailable(coach), SpokenApology(coach)]
