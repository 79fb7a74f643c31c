"""The AWS Lambda entry point: the same skill as the Flask endpoint, with progress in DynamoDB.

serverless.yml points the function at ``skill.lambda_function.handler``. Importing this module
does no work and pulls in neither Flask nor gTTS; the skill's parts (handlers, content, the DynamoDB
resource) are built on the first event and kept for the life of the container. The entry is the
ASK SDK's own ``lambda_handler()``, which wraps those parts in a fresh dispatcher for each event
(cheap) and reads requests with the SDK's default serializer.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

from skill.builder import build_skill_builder
from skill.config import Settings

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

# On Lambda there is no disk worth keeping, so DynamoDB is the store unless LEGDAY_STORE says otherwise.
LAMBDA_DEFAULTS: dict[str, str] = {"LEGDAY_STORE": "dynamodb"}


def lambda_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, with the Lambda defaults underneath."""
    env = os.environ if environ is None else environ
    return Settings.from_env({**LAMBDA_DEFAULTS, **env})


def make_handler(settings: Settings, **options: Any) -> LambdaHandler:
    """The ASK SDK's Lambda entry for the skill built from ``settings`` (options as for the builder)."""
    return build_skill_builder(settings, **options).lambda_handler()


@functools.cache
def container_handler() -> LambdaHandler:
    """The entry built once per container, from the function's environment."""
    return make_handler(lambda_settings())


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What Lambda calls with each Alexa request envelope; returns the response envelope."""
    return container_handler()(event, context)
