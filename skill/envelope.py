"""Refusing bodies that parse as JSON but are not Alexa request envelopes.

The SDK deserializes ``{}`` into an empty ``RequestEnvelope`` without complaint; such a body
must get a 400, not a spoken apology. Plugged in as the first of the SDK's verifiers, so it runs
whether or not signature checking is on.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_model import RequestEnvelope

from skill.verification import AbstractVerifier, VerificationException


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
        if system.user is None or not isinstance(system.user.user_id, str) or not system.user.user_id:
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
