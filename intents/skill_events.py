"""Skill events: Alexa telling the skill about the account (enabled, disabled, permissions changed...).

They arrive outside any conversation and get HTTP 200 with an empty response: no speech, no
reprompt, no session flag. When the skill is disabled and Alexa says the user's information is
not to be kept (``userInformationPersistenceStatus`` NOT_PERSISTED), the account's data goes:
its own live record and log and every recognised person's. PERSISTED (the person may enable the
skill again and carry on) keeps it, and so does a status that cannot be read: data is deleted
only when Alexa says so.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.events.skillevents import SkillDisabledRequest
from ask_sdk_model.request import Request

from intents.state import SKILL_EVENT_PREFIX, owner_of, request_type
from skill.store.records import RecordStore, StoreError

log = logging.getLogger(__name__)
SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"
NOT_PERSISTED = "NOT_PERSISTED"


class SkillDisabledEvent(SkillDisabledRequest):
    """The SDK's SkillDisabled request with the ``body`` Alexa sends (the SDK's model leaves it out)."""

    deserialized_types = {**SkillDisabledRequest.deserialized_types, "body": "dict(str, object)"}
    attribute_map = {**SkillDisabledRequest.attribute_map, "body": "body"}

    def __init__(self, body: dict[str, Any] | None = None, **fields: Any) -> None:
        super().__init__(**fields)
        self.body = body


def read_disabled_body() -> None:
    """Have request envelopes read SkillDisabled with its body (both entry points read through the
    SDK's model tables, which name the class for each request type by its dotted path)."""
    Request.discriminator_value_class_map[SKILL_DISABLED] = f"{__name__}.{SkillDisabledEvent.__name__}"


def persistence_status(request: Any) -> str | None:
    """``body.userInformationPersistenceStatus`` of a SkillDisabled request; None if it is not there."""
    body = getattr(request, "body", None)
    status = body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None
    return status if isinstance(status, str) else None


class SkillEventHandler(AbstractRequestHandler):
    """Every skill event: a speechless 200; a SkillDisabled whose data is not kept deletes the account's."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        read_disabled_body()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input.request_envelope).startswith(SKILL_EVENT_PREFIX)

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope = handler_input.request_envelope
        kind = envelope.request.object_type
        if kind == SKILL_DISABLED:
            status = persistence_status(envelope.request)
            if status == NOT_PERSISTED:
                self._delete_account(envelope)
            else:
                log.info("skill disabled, data kept (%s)", status or "no status given")
        else:
            log.info("skill event: %s", kind)
        return handler_input.response_builder.response

    def _delete_account(self, envelope: Any) -> None:
        # An event never gets speech, so a failure here is logged for the operator, not apologised for.
        try:
            self.store.delete_account(owner_of(envelope).user_id)
        except (PersistenceException, StoreError) as error:
            log.error("skill disabled, data not kept, but it could not be deleted: %s", error)
            return
        log.info("skill disabled, data not kept: the account's data was deleted")
