"""Turning the coach's Reply into an Alexa response with the SDK's response builder."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.workout.coach import Reply


def respond(handler_input: HandlerInput, reply: Reply) -> Response:
    """Speech, reprompt (which keeps the microphone open) and the end-of-session flag."""
    builder = handler_input.response_builder
    if not reply.speech.is_empty():
        builder.speak(reply.speech.ssml())
    if reply.end_session:
        builder.set_should_end_session(True)
    else:
        assert reply.reprompt is not None, "an open session needs a reprompt"
        builder.ask(reply.reprompt.ssml())
        builder.set_should_end_session(False)
    return builder.response
