"""The built-in conversation intents every certified skill handles."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents.base import IntentHandler
from skill.workout.coach import Reply, Turn


class HelpHandler(IntentHandler):
    """Explains what to say, in the workout or before it, and asks a question."""

    intents = ("AMAZON.HelpIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.help(turn)


class StopHandler(IntentHandler):
    """Stop and Cancel end the session cleanly; progress stays saved."""

    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.stop(turn)


class NavigateHomeHandler(IntentHandler):
    """The device's home button or "go home": end quietly."""

    intents = ("AMAZON.NavigateHomeIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.navigate_home(turn)


class FallbackHandler(IntentHandler):
    """Something out of the skill's scope: steer back to what it can do."""

    intents = ("AMAZON.FallbackIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.fallback(turn)


class YesHandler(IntentHandler):
    """"yes" to the question the coach asked last."""

    intents = ("AMAZON.YesIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.yes(turn)


class NoHandler(IntentHandler):
    """"no" to the question the coach asked last."""

    intents = ("AMAZON.NoIntent",)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        return self.coach.no(turn)
