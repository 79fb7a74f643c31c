"""Timer permission at the edge: read it from the request, and the two ways to ask for it.

Alexa's voice permission prompt (a ``Connections.SendRequest`` AskFor directive, answered by a
``Connections.Response``) and the consent card in the Alexa app. The timers themselves are
reached through ``skill.services``.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import PermissionStatus
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.conversation.reply import PermissionRequest
from skill.conversation.said import PermissionAnswer

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
ASK_FOR = "AskFor"
# Echoed back by Alexa in the Connections.Response: which rest (if any) waits for the answer.
TOKEN_PREFIX = "legday-rest-timer:"


def permitted(handler_input: HandlerInput) -> bool:
    """The request says the person has granted timer permission to the skill."""
    user = handler_input.request_envelope.context.system.user if handler_input.request_envelope.context else None
    permissions = user.permissions if user is not None else None
    scopes = permissions.scopes if permissions is not None else None
    scope = scopes.get(TIMERS_SCOPE) if isinstance(scopes, dict) else None
    return scope is not None and scope.status == PermissionStatus.GRANTED


def permission_directive(request: PermissionRequest) -> SendRequestDirective:
    """Alexa's voice permission prompt for timers (the answer arrives as a Connections.Response)."""
    return SendRequestDirective(
        name=ASK_FOR,
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": TIMERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=f"{TOKEN_PREFIX}{request.rest_seconds}",
    )


def consent_card() -> AskForPermissionsConsentCard:
    """A card in the Alexa app that lets the person turn on timers for the skill."""
    return AskForPermissionsConsentCard(permissions=[TIMERS_SCOPE])


def rest_from_token(token: object) -> int:
    """The rest that waited for the permission answer, from the token we sent (0 when none or unreadable)."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return 0
    digits = token[len(TOKEN_PREFIX):]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 5 else 0


def permission_answer(payload: object) -> PermissionAnswer:
    """ACCEPTED, DENIED or NOT_ANSWERED from a Connections.Response payload; anything else counts as no answer."""
    status = payload.get("status") if isinstance(payload, dict) else None
    try:
        return PermissionAnswer(status)
    except (ValueError, TypeError):
        return PermissionAnswer.NOT_ANSWERED
