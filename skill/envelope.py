"""Refusing bodies that are JSON but are not Alexa request envelopes.

Before parsing: the body must be a JSON object (a list reaches the SDK's model code as
``attribute name must be string``), and nested at most ``MAX_JSON_DEPTH`` levels (Alexa's
envelopes nest about ten; the SDK copies session attributes with ``deepcopy``, which runs out
of stack near 500). After parsing: the SDK reads ``{}`` as an empty ``RequestEnvelope`` without
complaint, so ``EnvelopeShapeVerifier``, the first verifier, names what a real request carries.
"""

from __future__ import annotations

import re
from typing import Any

from ask_sdk_model import RequestEnvelope

from skill.verification import AbstractVerifier, VerificationException


MAX_JSON_DEPTH = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[][{}]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON ``text`` (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def body_problem(text: str) -> str | None:
    """Why ``text`` cannot be an Alexa request whatever it holds, or None; cheap for ordinary bodies."""
    if text.lstrip()[:1] not in ("{", ""):
        return "it must be a JSON object (an Alexa request envelope), as Alexa sends"
    # Nesting cannot exceed the number of opening brackets: count those first (fast, in C).
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        return f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
    return None


def missing_parts(envelope: RequestEnvelope | None) -> list[str]:
    """The fields every Alexa request carries that ``envelope`` lacks."""
    if not isinstance(envelope, RequestEnvelope):
        return ["the envelope"]
    missing = []
    if not envelope.version:
        missing.append("version")
    request = envelope.request
    if request is None or not request.object_type:
        missing.append("request.type")
    elif not request.request_id or request.timestamp is None:
        missing.append("request.requestId and request.timestamp")
    elif request.object_type == "IntentRequest" and (getattr(request, "intent", None) is None or not request.intent.name):
        missing.append("request.intent.name")
    system = envelope.context.system if envelope.context else None
    if system is None:
        missing.append("context.System")
    else:
        if system.application is None or not system.application.application_id:
            missing.append("context.System.application.applicationId")
        # Alexa may ask CanFulfillIntentRequest for no one in particular, without a user id.
        anonymous = request is not None and request.object_type == "CanFulfillIntentRequest"
        if not anonymous and (system.user is None or not isinstance(system.user.user_id, str)
                              or not system.user.user_id):
            missing.append("context.System.user.userId")
    return missing


class NotAnEnvelope(VerificationException):
    """A body that parsed but is not an Alexa request envelope."""


class EnvelopeShapeVerifier(AbstractVerifier):
    """Raises ``NotAnEnvelope`` naming what an incomplete envelope lacks."""

    def verify(self, headers: Any, serialized_request_env: str, deserialized_request_env: Any) -> None:
        """Refuse an envelope without a request, an application id or a user id."""
        missing = missing_parts(deserialized_request_env)
        if missing:
            raise NotAnEnvelope(f"missing {', '.join(missing)}")
