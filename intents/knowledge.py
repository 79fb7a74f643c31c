"""Handlers that answer questions: how to do an exercise, why train legs."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents import slots
from intents.base import IntentHandler
from skill.workout.coach import Reply, Turn


class ExerciseInfoHandler(IntentHandler):
    """"how do I do a lunge" (or "how do I do this" during a workout)."""

    intents = ("ExerciseInfoIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.exercise_info(
            turn, slots.resolved_id(handler_input, "exercise"), slots.heard(handler_input, "exercise")
        )


class WhyTrainLegsHandler(IntentHandler):
    """"why should I train legs", one reason at a time, or all of them."""

    intents = ("WhyTrainLegsIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.why_train_legs(turn, slots.resolved_id(handler_input, "topic"))
