"""The key a user's attributes are stored under."""

from __future__ import annotations

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope


def user_key(request_envelope: RequestEnvelope) -> str:
    """The Alexa user id of the request (one record per user, across all their devices)."""
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError as error:
        raise PersistenceException("request has no user id to store progress under") from error
    if not user_id:
        raise PersistenceException("request has no user id to store progress under")
    return str(user_id)
