"""Handlers that answer questions: how to do an exercise (and "tell me more"), why train legs."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents import slots
from intents.base import IntentHandler
from skill.conversation.said import ExerciseInfo, Said, TellMeMore, WhyTrainLegs


class ExerciseInfoHandler(IntentHandler):
    """"how do I do a lunge" (or "how do I do this" during a workout)."""

    intents = ("ExerciseInfoIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return ExerciseInfo(slots.resolved_id(handler_input, "exercise"), slots.heard(handler_input, "exercise"))


class TellMeMoreHandler(IntentHandler):
    """"tell me more": an exercise's form cues after its short how-to."""

    intents = ("TellMeMoreIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return TellMeMore()


class WhyTrainLegsHandler(IntentHandler):
    """"why should I train legs", one reason at a time, or all of them."""

    intents = ("WhyTrainLegsIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return WhyTrainLegs(slots.resolved_id(handler_input, "topic"))
