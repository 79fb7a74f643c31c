"""The hello-world ASK SDK skill: the smallest real skill, used as the baseline to beat.

Shaped like Amazon's hello-world sample (a launch handler, a hello intent, help, stop, session
end, a catch-all error handler), with no persistence. ``lambda_handler`` is its Lambda entry.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response


class LaunchRequestHandler(AbstractRequestHandler):
    """Welcome, and ask."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        speech = "Welcome, you can say Hello or Help. Which would you like to try?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class HelloWorldIntentHandler(AbstractRequestHandler):
    """Any intent at all gets hello world (so every benchmark request finds a handler)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input) and not is_intent_name("AMAZON.StopIntent")(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello World!").ask("Say hello again?").response


class StopIntentHandler(AbstractRequestHandler):
    """Goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Goodbye!").set_should_end_session(True).response


class SessionEndedRequestHandler(AbstractRequestHandler):
    """Nothing to say when the session ends."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Sorry."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        speech = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speech).ask(speech).response


def skill_builder(builder: SkillBuilder | None = None) -> SkillBuilder:
    """``builder`` (a new one if None) with the hello-world handlers registered."""
    builder = builder if builder is not None else SkillBuilder()
    builder.add_request_handler(LaunchRequestHandler())
    builder.add_request_handler(HelloWorldIntentHandler())
    builder.add_request_handler(StopIntentHandler())
    builder.add_request_handler(SessionEndedRequestHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder


sb = skill_builder()
lambda_handler = sb.lambda_handler()
