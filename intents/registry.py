"""Every handler of the skill, registered in one explicit order.

Order matters: the SDK asks each request handler in turn and uses the first that can handle the
request, so ``ReplayHandler`` (a request answered before gets the same answer) comes first, the
speechless ``UnservedRequestHandler`` takes every request that is not a turn before the spoken
catch-all ``UnhandledRequestHandler``, which must stay last.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from intents.base import IntentHandler
from intents.conversation import FallbackHandler, HelpHandler, NavigateHomeHandler, NoHandler, StopHandler, YesHandler
from intents.knowledge import ExerciseInfoHandler, TellMeMoreHandler, WhyTrainLegsHandler
from intents.replay import ReplayHandler
from intents.can_fulfill import CanFulfillHandler
from intents.skill_events import SkillEventHandler
from intents.unserved import UnservedRequestHandler
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
from intents.your_data import DeleteMyDataHandler
from intents.history import HISTORY_HANDLERS
from intents.reminders import (
    CancelRemindersHandler,
    ListRemindersHandler,
    RemindersPermissionHandler,
    SetRemindersHandler,
)
from intents.rest_task import RestOverHandler
from intents.workout import (
    PauseHandler,
    PreviousHandler,
    ProgressHandler,
    RepeatHandler,
    RestTimerHandler,
    ResumeHandler,
    ScreenTouchHandler,
    SetDoneHandler,
    SetRestHandler,
    SetUnitHandler,
    SkipExerciseHandler,
    StartOverHandler,
    StartWorkoutHandler,
)
from skill.conversation.coach import Coach
from skill.services import ServicesFactory
from skill.store.records import RecordStore

INTENT_HANDLERS: tuple[type[IntentHandler], ...] = (
    StartWorkoutHandler,
    SetDoneHandler,
    SkipExerciseHandler,
    PreviousHandler,
    RepeatHandler,
    StartOverHandler,
    PauseHandler,
    ResumeHandler,
    ProgressHandler,
    SetRestHandler,
    RestTimerHandler,
    ExerciseInfoHandler,
    TellMeMoreHandler,
    WhyTrainLegsHandler,
    HelpHandler,
    StopHandler,
    NavigateHomeHandler,
    FallbackHandler,
    YesHandler,
    NoHandler,
    DeleteMyDataHandler,
    SetUnitHandler,
    *HISTORY_HANDLERS,
    SetRemindersHandler,
    ListRemindersHandler,
    CancelRemindersHandler,
)

HANDLED_INTENTS: frozenset[str] = frozenset(name for handler in INTENT_HANDLERS for name in handler.intents)


def request_handlers(coach: Coach, services: ServicesFactory, store: RecordStore) -> list[AbstractRequestHandler]:
    """All request handlers, in the order the SDK should try them (the catch-all last)."""
    return [
        ReplayHandler(),
        SkillEventHandler(store),
        CanFulfillHandler(),
        RestOverHandler(coach, services),  # a launch by the rest timer's task, before any other launch
        LaunchHandler(coach, services),
        *(handler(coach, services) for handler in INTENT_HANDLERS),
        ScreenTouchHandler(coach, services),
        RemindersPermissionHandler(coach, services),  # before the timers' handler, which takes every AskFor
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
