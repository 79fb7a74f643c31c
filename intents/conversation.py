"""The built-in conversation intents every certified skill handles."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents.base import IntentHandler
from skill.conversation.said import Fallback, Help, NavigateHome, No, Said, Stop, Yes


class HelpHandler(IntentHandler):
    """Explains what to say, in the workout or before it, and asks a question."""

    intents = ("AMAZON.HelpIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Help()


class StopHandler(IntentHandler):
    """Stop and Cancel end the session cleanly; progress stays saved."""

    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def said(self, handler_input: HandlerInput) -> Said:
        return Stop()


class NavigateHomeHandler(IntentHandler):
    """The device's home button or "go home": end quietly."""

    intents = ("AMAZON.NavigateHomeIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return NavigateHome()


class FallbackHandler(IntentHandler):
    """Something out of the skill's scope: steer back to what it can do."""

    intents = ("AMAZON.FallbackIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Fallback()


class YesHandler(IntentHandler):
    """"yes" to the question the coach asked last."""

    intents = ("AMAZON.YesIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return Yes()


class NoHandler(IntentHandler):
    """"no" to the question the coach asked last."""

    intents = ("AMAZON.NoIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return No()
