"""The shape every handler shares: read what was said, ask the coach, respond."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from intents.respond import answer
from skill.conversation.coach import Coach
from skill.conversation.said import Said
from skill.services import ServicesFactory


class SkillHandler(AbstractRequestHandler):
    """A request handler that answers through the coach, with Alexa's services for the request."""

    def __init__(self, coach: Coach, services: ServicesFactory) -> None:
        self.coach = coach
        self.services = services

    def handle(self, handler_input: HandlerInput) -> Response:
        return answer(handler_input, self.coach, self.services, self.said(handler_input))

    def said(self, handler_input: HandlerInput) -> Said:
        """What the person said, read off the request."""
        raise NotImplementedError


class IntentHandler(SkillHandler):
    """Handles the intents named in ``intents``."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_among(handler_input, self.intents)


def is_intent_among(handler_input: HandlerInput, names: tuple[str, ...]) -> bool:
    """An intent request for one of ``names``: the SDK's ``is_intent_name`` for all of them at once
    (without building a predicate per name on every request)."""
    request = handler_input.request_envelope.request
    return isinstance(request, IntentRequest) and request.intent.name in names
