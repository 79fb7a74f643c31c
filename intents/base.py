"""The shape every intent handler shares: match intent names, ask the coach, respond."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from intents.respond import respond
from intents.state import turn_of
from skill.workout.coach import Coach, Reply, Turn


class IntentHandler(AbstractRequestHandler):
    """Handles the intents named in ``intents`` by asking the coach for a reply."""

    intents: tuple[str, ...] = ()

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.intents)

    def handle(self, handler_input: HandlerInput) -> Response:
        return respond(handler_input, self.coach, self.answer(handler_input, turn_of(handler_input)))

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        raise NotImplementedError
