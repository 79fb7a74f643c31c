"""Turning the coach's Reply into an Alexa response with the SDK's response builder.

First whatever only Alexa can do is carried out (a rest timer; the coach hears how it went and
may change its reply), then speech, reprompt, cards and directives are built.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from intents import screen, timers
from intents.state import TURN_KEY
from skill.workout.coach import Coach, Reply, Turn


def respond(handler_input: HandlerInput, coach: Coach, reply: Reply) -> Response:
    """Carry out the reply's timer action, then build the response: speech, reprompt (which keeps
    the microphone open), the end-of-session flag, a consent card, and the screen on APL devices."""
    turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
    if reply.timer is not None and turn is not None:
        reply = coach.timer_settled(turn, reply, timers.carry_out(handler_input, reply.timer))
        assert reply.timer is None, "a settled reply has no timer action left"
    if turn is not None:
        reply = coach.explain_recovery(turn, reply)
    builder = handler_input.response_builder
    if not reply.speech.is_empty():
        builder.speak(reply.speech.ssml())
    if reply.permission_request is not None:
        # Alexa asks the permission question itself and sends the answer as a Connections.Response;
        # nothing else goes with the directive, and the session is left to Alexa.
        builder.add_directive(timers.permission_directive(reply.permission_request))
        return builder.response
    if reply.consent_card:
        builder.set_card(timers.consent_card())
    if reply.end_session:
        builder.set_should_end_session(True)
    else:
        assert reply.reprompt is not None, "an open session needs a reprompt"
        builder.ask(reply.reprompt.ssml())
        builder.set_should_end_session(False)
    if turn is not None and turn.shows_screen:
        model = reply.screen or coach.screen(turn)
        if model is not None:
            builder.add_directive(screen.render(model))
    return builder.response
