"""Handlers that move through the workout: start, done, skip, previous, repeat, pause, progress, rest,
rest timers, and the screen's Done and Skip buttons."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents import screen, slots
from intents.base import IntentHandler, SkillHandler
from skill.conversation.said import (
    Done,
    Pause,
    Previous,
    Progress,
    Repeat,
    Resume,
    Said,
    SetRest,
    SetUnit,
    Skip,
    StartOver,
    StartWorkout,
    UseRestTimers,
)


class StartWorkoutHandler(IntentHandler):
    """"start leg day", optionally with a level, a length and equipment."""

    intents = ("StartWorkoutIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        # A value heard but not matched is passed on as heard (a length as 0): the coach answers it
        # with the nearest option it has, and says so.
        length = slots.resolved_id(handler_input, "length")
        heard_length = slots.heard(handler_input, "length")
        return StartWorkout(
            level=slots.resolved_id(handler_input, "level") or slots.heard(handler_input, "level"),
            length=int(length) if length and length.isascii() and length.isdigit() else 0 if heard_length else None,
            equipment=slots.resolved_id(handler_input, "equipment") or slots.heard(handler_input, "equipment"),
        )


class SetDoneHandler(IntentHandler):
    """"done", "next", "finished", "ready": the set is over, rest and go on; or said with the set
    ("done, eight reps at sixty kilos", "same weight", "that was hard")."""

    intents = ("SetDoneIntent", "AMAZON.NextIntent", "LogSetIntent")

    def said(self, handler_input: HandlerInput) -> Said:
        return Done(reps=slots.number(handler_input, "reps"),
                    load=slots.decimal(handler_input, "load", fraction="fraction"),
                    unit=slots.resolved_id(handler_input, "unit"),
                    effort=slots.resolved_id(handler_input, "effort"))


class SetUnitHandler(IntentHandler):
    """"use kilos", "switch to pounds"."""

    intents = ("SetUnitIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return SetUnit(slots.resolved_id(handler_input, "unit"))


class SkipExerciseHandler(IntentHandler):
    """"skip this exercise"."""

    intents = ("SkipExerciseIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Skip()


class PreviousHandler(IntentHandler):
    """"go back": undo the last set, or return to the previous exercise."""

    intents = ("AMAZON.PreviousIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Previous()


class RepeatHandler(IntentHandler):
    """"repeat": say the current set again, with its cues."""

    intents = ("AMAZON.RepeatIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Repeat()


class StartOverHandler(IntentHandler):
    """"start over": restart the workout from the warm-up, after a yes."""

    intents = ("AMAZON.StartOverIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return StartOver()


class PauseHandler(IntentHandler):
    """"pause": keep the place and end the session."""

    intents = ("AMAZON.PauseIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Pause()


class ResumeHandler(IntentHandler):
    """"resume": carry on from the saved place."""

    intents = ("AMAZON.ResumeIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Resume()


class ProgressHandler(IntentHandler):
    """"how many sets left", "what's next"."""

    intents = ("ProgressIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Progress()


class SetRestHandler(IntentHandler):
    """"rest ninety seconds", "rest two minutes", "shorter rests"."""

    intents = ("SetRestIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        seconds = slots.number(handler_input, "seconds")
        minutes = slots.number(handler_input, "minutes")
        if seconds is None and minutes is not None:
            seconds = minutes * 60
        return SetRest(seconds, slots.resolved_id(handler_input, "change"))


class RestTimerHandler(IntentHandler):
    """"use rest timers": long rests on an Alexa timer, asking for permission if it is missing."""

    intents = ("RestTimerIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return UseRestTimers()


class ScreenTouchHandler(SkillHandler):
    """Done or Skip touched on the screen (an APL UserEvent): the same as saying it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return screen.touched(handler_input) is not None

    def said(self, handler_input: HandlerInput) -> Said:
        return Skip() if screen.touched(handler_input) == screen.SKIP_EVENT else Done()
