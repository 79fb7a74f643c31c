"""Assembling the ASK SDK skill: handlers, interceptors, persistence. Shared by Flask and Lambda."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timezone

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from intents.registry import exception_handlers, request_handlers
from intents.state import LoadTurn, SaveTurn
from skill.api_client import BoundedApiClient
from skill.config import Settings
from skill.content import Content, load_content
from skill.serializer import FastSerializer
from skill.conversation.coach import Coach
from skill.services import ServicesFactory
from skill.services.alexa import alexa_services
from skill.store import make_store
from skill.store.records import RecordStore


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def build_skill_builder(
    settings: Settings,
    *,
    store: RecordStore | None = None,
    content: Content | None = None,
    rng: random.Random | None = None,
    clock: Callable[[], datetime] = utc_now,
    services: ServicesFactory | None = None,
) -> CustomSkillBuilder:
    """A skill builder with every handler registered; ``.create()`` or ``.lambda_handler()`` finishes it.

    ``services`` builds Alexa's services for each request (tests hand in fakes); by default the
    SDK's clients, with ``settings.api_timeout`` on every call.
    """
    content = content or load_content()
    coach = Coach(content, rng)
    store = store if store is not None else make_store(settings)
    if services is None:
        services = alexa_services(BoundedApiClient(settings.api_timeout, settings.alexa_api_hosts))
    # No api_client for the SDK: Alexa's APIs are reached only through ``services``.
    builder = CustomSkillBuilder()
    builder.skill_id = settings.skill_id
    for handler in request_handlers(coach, services, store):
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers(coach):
        builder.add_exception_handler(exception_handler)
    builder.add_global_request_interceptor(LoadTurn(content, clock, store))
    builder.add_global_response_interceptor(SaveTurn(store))
    return builder


def build_skill(settings: Settings, **options) -> CustomSkill:  # type: ignore[no-untyped-def]
    """The skill, ready to invoke with a request envelope (and to parse one, quickly)."""
    skill = build_skill_builder(settings, **options).create()
    skill.serializer = FastSerializer()
    return skill
