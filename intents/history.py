"""History questions by voice: the last workout, an exercise's last sets and best, counts, the streak,
and "show my progress"."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents import slots
from intents.base import IntentHandler
from skill.conversation.said import BestLift, LastExercise, LastWorkout, LegDayCount, Said, ShowProgress, Streak


class LastWorkoutHandler(IntentHandler):
    """"what did I do last time"."""

    intents = ("LastWorkoutIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return LastWorkout()


class LastExerciseHandler(IntentHandler):
    """"what did I squat last time"."""

    intents = ("LastExerciseIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return LastExercise(slots.resolved_id(handler_input, "exercise"), slots.heard(handler_input, "exercise"))


class BestLiftHandler(IntentHandler):
    """"what's my best deadlift"."""

    intents = ("BestLiftIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return BestLift(slots.resolved_id(handler_input, "exercise"), slots.heard(handler_input, "exercise"))


class LegDayCountHandler(IntentHandler):
    """"how many leg days have I done" (this week, this month, this year, ever)."""

    intents = ("LegDayCountIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return LegDayCount(slots.resolved_id(handler_input, "period"))


class StreakHandler(IntentHandler):
    """"what's my streak"."""

    intents = ("StreakIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Streak()


class ShowProgressHandler(IntentHandler):
    """"show my progress": a chart on a screen, a spoken summary on a speaker."""

    intents = ("ShowProgressIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return ShowProgress()


HISTORY_HANDLERS: tuple[type[IntentHandler], ...] = (
    LastWorkoutHandler, LastExerciseHandler, BestLiftHandler, LegDayCountHandler, StreakHandler, ShowProgressHandler,
)
