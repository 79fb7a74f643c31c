""""Delete my data" by voice: the coach asks to confirm; the save (``intents.state.SaveTurn``) deletes."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from intents.base import IntentHandler
from skill.conversation.said import DeleteMyData, Said


class DeleteMyDataHandler(IntentHandler):
    """"delete my data", "forget me": asks to confirm with yes (answered by the Yes and No handlers)."""

    intents = ("DeleteMyDataIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return DeleteMyData()
