"""The AWS Lambda entry point: the same skill as the Flask endpoint, with progress in DynamoDB.

serverless.yml points the function at ``skill.lambda_function.handler``. Importing this module
does no work and pulls in neither Flask nor gTTS; the skill (handlers, content, the DynamoDB
resource) is built on the first event and kept for the life of the container. Each event is
read and each answer written by the skill's own serializer, the one the Flask endpoint uses
(``skill.serializer.FastSerializer``), so one request reads alike on both entries; the Lambda
runtime turns the answer's dict into JSON.

The turn's deadline (``skill.deadline``) starts when Lambda hands over the event, before a cold
container builds the skill, and is cut to the function's own remaining time when that is shorter.

The cold start (importing the skill and the ASK SDK, building it, botocore's first DynamoDB client)
runs in the first event with the cyclic garbage collector paused: nearly everything it makes lives
as long as the container, so tracing it again and again is wasted work (about a tenth of the cold
start's CPU, measured with ``bench.cold``). When the first answer is made, what the cold start made
goes straight to the collector's oldest generation (see ``collection_paused``) and collection resumes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from skill import deadline
from skill.config import Settings

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill


class LambdaHandler(Protocol):
    """An entry: the event, Lambda's context, and (optionally) when the event arrived (monotonic)."""

    def __call__(self, event: dict[str, Any], context: Any, arrived: float | None = None) -> dict[str, Any]: ...


# On Lambda there is no disk worth keeping, so DynamoDB is the store unless LEGDAY_STORE says otherwise;
# the data dir is in the one writable place, the temporary dir (which also spares the cold start the
# import of platformdirs, whose user data dir would be read-only there anyway).
LAMBDA_DEFAULTS: dict[str, str] = {"LEGDAY_STORE": "dynamodb",
                                   "LEGDAY_DATA_DIR": os.path.join(tempfile.gettempdir(), "legday")}


def lambda_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, with the Lambda defaults underneath."""
    env = os.environ if environ is None else environ
    return Settings.from_env({**LAMBDA_DEFAULTS, **env})


def answer_event(skill: CustomSkill, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The answer envelope, as a dict, to one Alexa request envelope (the event Lambda hands over)."""
    from ask_sdk_model import RequestEnvelope  # imported by the first event, with the skill

    envelope = skill.serializer.read(event, RequestEnvelope)
    return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))


def event_deadline(settings: Settings, context: Any, arrived: float) -> deadline.Deadline:
    """The deadline of an event that arrived at ``arrived`` (monotonic): the turn's budget from then,
    or the function's remaining time from now less a margin to return the answer, whichever ends first."""
    ends_at = arrived + settings.turn_budget
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        ends_at = min(ends_at, time.monotonic() + remaining() / 1000 - deadline.ANSWER_RESERVE)
    return deadline.Deadline(ends_at, deadline.save_reserve(settings))


def make_handler(settings: Settings, **options: Any) -> LambdaHandler:
    """The Lambda entry for the skill built from ``settings`` (options as for the builder)."""
    from skill.builder import build_skill  # the skill's modules load in the first event (see collection_paused)

    skill = build_skill(settings, **options)

    def entry(event: dict[str, Any], context: Any, arrived: float | None = None) -> dict[str, Any]:
        started = time.monotonic() if arrived is None else arrived
        with deadline.turn(event_deadline(settings, context, started)):
            return answer_event(skill, event, context)

    return entry


@functools.cache
def container_handler() -> LambdaHandler:
    """The entry built once per container, from the function's environment."""
    return make_handler(lambda_settings())


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, and back as it was after it, with what the block
    made already in the oldest generation."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything the block made sits in the youngest generation, so the first allocation after the
        # collector is back would trace all of it (about 45 ms after a cold start, before the answer
        # leaves). Freezing and unfreezing moves it all to the oldest generation without tracing it:
        # it is traced, and its garbage freed, by the next full collection, as it would have been
        # once promoted there. Nothing stays frozen.
        gc.freeze()
        gc.unfreeze()
        if collecting:
            gc.enable()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What Lambda calls with each Alexa request envelope; returns the response envelope."""
    arrived = time.monotonic()
    if container_handler.cache_info().currsize:
        return container_handler()(event, context, arrived)
    with collection_paused():
        return container_handler()(event, context, arrived)
