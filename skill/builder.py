"""Assembling the ASK SDK skill: handlers, interceptors, persistence. Shared by Flask and Lambda."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from intents.registry import exception_handlers, request_handlers
from intents.state import LoadTurn, SaveTurn
from skill.config import Settings
from skill.content import Content, load_content
from skill.store import make_adapter
from skill.workout.coach import Coach


# Seconds one call to an Alexa API (the timers service) may take: Alexa waits about 8 s for the
# whole answer, and a missing timer only means the rest is counted out loud instead.
API_TIMEOUT_SECONDS = 3.0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class BoundedApiClient(DefaultApiClient):
    """The SDK's API client (``requests``, HTTPS only) with a timeout, which the SDK's own lacks."""

    def __init__(self, timeout: float = API_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def _resolve_method(self, request: Any) -> Callable[..., Any]:
        return functools.partial(super()._resolve_method(request), timeout=self.timeout)


def build_skill_builder(
    settings: Settings,
    *,
    adapter: AbstractPersistenceAdapter | None = None,
    content: Content | None = None,
    rng: random.Random | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> CustomSkillBuilder:
    """A skill builder with every handler registered; ``.create()`` or ``.lambda_handler()`` finishes it."""
    content = content or load_content()
    coach = Coach(content, rng)
    builder = CustomSkillBuilder(
        persistence_adapter=adapter if adapter is not None else make_adapter(settings),
        api_client=BoundedApiClient(API_TIMEOUT_SECONDS),
    )
    builder.skill_id = settings.skill_id
    for handler in request_handlers(coach):
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers(coach):
        builder.add_exception_handler(exception_handler)
    builder.add_global_request_interceptor(LoadTurn(content, clock))
    builder.add_global_response_interceptor(SaveTurn())
    return builder


def build_skill(settings: Settings, **options) -> CustomSkill:  # type: ignore[no-untyped-def]
    """The skill, ready to invoke with a request envelope."""
    return build_skill_builder(settings, **options).create()
