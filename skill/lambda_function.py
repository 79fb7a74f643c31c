"""The AWS Lambda entry point: the same skill as the Flask endpoint, with progress in DynamoDB.

serverless.yml points the function at ``skill.lambda_function.handler``. Importing this module
does no work and pulls in neither Flask nor gTTS; the skill (handlers, content, the DynamoDB
resource) is built on the first event and kept for the life of the container. Each event is
read and each answer written by the skill's own serializer, the one the Flask endpoint uses
(``skill.serializer.FastSerializer``), so one request reads alike on both entries; the Lambda
runtime turns the answer's dict into JSON.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.config import Settings

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

# On Lambda there is no disk worth keeping, so DynamoDB is the store unless LEGDAY_STORE says otherwise.
LAMBDA_DEFAULTS: dict[str, str] = {"LEGDAY_STORE": "dynamodb"}


def lambda_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, with the Lambda defaults underneath."""
    env = os.environ if environ is None else environ
    return Settings.from_env({**LAMBDA_DEFAULTS, **env})


def answer_event(skill: CustomSkill, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The answer envelope, as a dict, to one Alexa request envelope (the event Lambda hands over)."""
    envelope = skill.serializer.read(event, RequestEnvelope)
    return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))


def make_handler(settings: Settings, **options: Any) -> LambdaHandler:
    """The Lambda entry for the skill built from ``settings`` (options as for the builder)."""
    return functools.partial(answer_event, build_skill(settings, **options))


@functools.cache
def container_handler() -> LambdaHandler:
    """The entry built once per container, from the function's environment."""
    return make_handler(lambda_settings())


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What Lambda calls with each Alexa request envelope; returns the response envelope."""
    return container_handler()(event, context)
