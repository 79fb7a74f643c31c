"""Asking the coach, and turning its Reply into an Alexa response with the SDK's response builder."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.ui import SimpleCard

from intents import screen, timers
from intents.locale import request_locale
from intents.state import TURN_KEY, forget_owner, turn_of
from skill.conversation.coach import Coach
from skill.conversation.reply import Reply
from skill.conversation.said import Said
from skill.conversation.session import Turn
from skill.services import ServiceAccess, ServicesFactory

def answer(handler_input: HandlerInput, coach: Coach, services: ServicesFactory, said: Said) -> Response:
    """The coach's answer to ``said`` on this request's turn, as a response."""
    access = service_access(handler_input.request_envelope)
    reply = coach.answer(turn_of(handler_input), said, services(access))
    if reply.forget:
        forget_owner(handler_input)
    return respond(handler_input, coach, reply)


def service_access(envelope: RequestEnvelope) -> ServiceAccess:
    """The API endpoint and token Alexa gave this request (empty when it gave none), and its locale."""
    system = envelope.context.system if envelope.context is not None else None
    locale = request_locale(envelope)
    return ServiceAccess(api_endpoint=(system.api_endpoint if system else None) or "",
                         api_access_token=(system.api_access_token if system else None) or "", locale=locale,
                         device_id=(system.device.device_id if system and system.device else None) or "",
                         skill_id=(system.application.application_id if system and system.application else None)
                         or "")


def respond(handler_input: HandlerInput, coach: Coach, reply: Reply) -> Response:
    """Build the response: speech, reprompt (which keeps the microphone open), the end-of-session
    flag, a consent card or Alexa's permission prompt, and the screen on APL devices."""
    turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
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
        builder.set_card(timers.consent_card(reply.consent_scope))
    elif reply.card is not None:
        builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.text))
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
