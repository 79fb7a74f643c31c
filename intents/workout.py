"""Handlers that move through the workout: start, done, skip, previous, repeat, pause, progress, rest,
rest timers, and the screen's Done and Skip buttons."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from intents import screen, slots
from intents.base import IntentHandler
from intents.respond import respond
from intents.state import turn_of
from skill.workout.coach import Coach, Reply, StartRequest, Turn


class StartWorkoutHandler(IntentHandler):
    """"start leg day", optionally with a level, a length and equipment."""

    intents = ("StartWorkoutIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        length = slots.resolved_id(handler_input, "length")
        wanted = StartRequest(
            level=slots.resolved_id(handler_input, "level"),
            length=int(length) if length and length.isascii() and length.isdigit() else None,
            equipment=slots.resolved_id(handler_input, "equipment"),
        )
        return self.coach.start(turn, wanted)


class SetDoneHandler(IntentHandler):
    """"done", "next", "finished", "ready": the set is over, rest and go on."""

    intents = ("SetDoneIntent", "AMAZON.NextIntent")

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.done(turn)


class SkipExerciseHandler(IntentHandler):
    """"skip this exercise"."""

    intents = ("SkipExerciseIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.skip(turn)


class PreviousHandler(IntentHandler):
    """"go back": undo the last set, or return to the previous exercise."""

    intents = ("AMAZON.PreviousIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.previous(turn)


class RepeatHandler(IntentHandler):
    """"repeat": say the current set again, with its cues."""

    intents = ("AMAZON.RepeatIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.repeat(turn)


class StartOverHandler(IntentHandler):
    """"start over": restart the workout from the warm-up, after a yes."""

    intents = ("AMAZON.StartOverIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.start_over(turn)


class PauseHandler(IntentHandler):
    """"pause": keep the place and end the session."""

    intents = ("AMAZON.PauseIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.pause(turn)


class ResumeHandler(IntentHandler):
    """"resume": carry on from the saved place."""

    intents = ("AMAZON.ResumeIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.resume(turn)


class ProgressHandler(IntentHandler):
    """"how many sets left", "what's next"."""

    intents = ("ProgressIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.progress(turn)


class SetRestHandler(IntentHandler):
    """"rest ninety seconds", "rest two minutes", "shorter rests"."""

    intents = ("SetRestIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        seconds = slots.number(handler_input, "seconds")
        minutes = slots.number(handler_input, "minutes")
        if seconds is None and minutes is not None:
            seconds = minutes * 60
        return self.coach.set_rest(turn, seconds, slots.resolved_id(handler_input, "change"))


class RestTimerHandler(IntentHandler):
    """"use rest timers": long rests on an Alexa timer, asking for permission if it is missing."""

    intents = ("RestTimerIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.use_rest_timers(turn)


class ScreenTouchHandler(AbstractRequestHandler):
    """Done or Skip touched on the screen (an APL UserEvent): the same as saying it."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return screen.touched(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        if screen.touched(handler_input) == screen.SKIP_EVENT:
            return respond(handler_input, self.coach, self.coach.skip(turn))
        return respond(handler_input, self.coach, self.coach.done(turn))
