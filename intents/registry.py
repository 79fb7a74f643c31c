"""Every handler of the skill, registered in one explicit order.

Order matters: the SDK asks each request handler in turn and uses the first that can handle the
request, so ``ReplayHandler`` (a request answered before gets the same answer) comes first and the
catch-all ``UnhandledRequestHandler`` must stay last.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from intents.base import IntentHandler
from intents.conversation import FallbackHandler, HelpHandler, NavigateHomeHandler, NoHandler, StopHandler, YesHandler
from intents.replay import ReplayHandler
from intents.skill_events import SkillEventHandler
from intents.knowledge import ExerciseInfoHandler, WhyTrainLegsHandler
from intents.lifecycle import (
    ChangedElsewhere,
    ExceptionEncounteredHandler,
    LaunchHandler,
    SessionEndedHandler,
    SpokenApology,
    TimerPermissionHandler,
    UnhandledRequestHandler,
)
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
    SkipExerciseHandler,
    StartOverHandler,
    StartWorkoutHandler,
)
from skill.store.records import RecordStore
from skill.workout.coach import Coach

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
    WhyTrainLegsHandler,
    HelpHandler,
    StopHandler,
    NavigateHomeHandler,
    FallbackHandler,
    YesHandler,
    NoHandler,
)

HANDLED_INTENTS: frozenset[str] = frozenset(name for handler in INTENT_HANDLERS for name in handler.intents)


def request_handlers(coach: Coach, store: RecordStore) -> list[AbstractRequestHandler]:
    """All request handlers, in the order the SDK should try them."""
    return [
        ReplayHandler(),
        SkillEventHandler(store),
        LaunchHandler(coach),
        *(handler(coach) for handler in INTENT_HANDLERS),
        ScreenTouchHandler(coach),
        TimerPermissionHandler(coach),
        SessionEndedHandler(),
        ExceptionEncounteredHandler(),
        UnhandledRequestHandler(coach),
    ]


def exception_handlers(coach: Coach) -> list[AbstractExceptionHandler]:
    return [ChangedElsewhere(coach), SpokenApology(coach)]
