"""Timer and reminder permissions at the edge: read them from the request, and the two ways to ask for them.

Alexa's voice permission prompt (a ``Connections.SendRequest`` AskFor directive, answered by a
``Connections.Response``) and the consent card in the Alexa app. The directive's token says what
waits for the answer (a rest's timer, or a reminders schedule), and comes back with it. The timers
and reminders themselves are reached through ``skill.services``.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import PermissionStatus
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.conversation.reply import PermissionRequest
from skill.conversation.said import PermissionAnswer
from skill.services import WeeklySchedule

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
SCOPES = {"timers": TIMERS_SCOPE, "reminders": REMINDERS_SCOPE}
ASK_FOR = "AskFor"
# Echoed back by Alexa in the Connections.Response: which rest (if any) waits for the answer.
TOKEN_PREFIX = "legday-rest-timer:"
# ... or which reminders schedule: "legday-reminders:MO,TH@18:00".
REMINDERS_TOKEN_PREFIX = "legday-reminders:"


def permitted(handler_input: HandlerInput) -> bool:
    """The request says the person has granted timer permission to the skill."""
    user = handler_input.request_envelope.context.system.user if handler_input.request_envelope.context else None
    permissions = user.permissions if user is not None else None
    scopes = permissions.scopes if permissions is not None else None
    scope = scopes.get(TIMERS_SCOPE) if isinstance(scopes, dict) else None
    return scope is not None and scope.status == PermissionStatus.GRANTED


def permission_directive(request: PermissionRequest) -> SendRequestDirective:
    """Alexa's voice permission prompt for timers or reminders (the answer arrives as a Connections.Response)."""
    if request.reminders is not None:
        scope, token = REMINDERS_SCOPE, reminders_token(request.reminders)
    else:
        scope, token = TIMERS_SCOPE, f"{TOKEN_PREFIX}{request.rest_seconds}"
    return SendRequestDirective(
        name=ASK_FOR,
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": scope, "consentLevel": "ACCOUNT"}],
        },
        token=token,
    )


def consent_card(scope: str = "timers") -> AskForPermissionsConsentCard:
    """A card in the Alexa app that lets the person turn on timers (or reminders) for the skill."""
    return AskForPermissionsConsentCard(permissions=[SCOPES[scope]])


def reminders_token(schedule: WeeklySchedule) -> str:
    """"legday-reminders:MO,TH@18:00": the schedule waiting for the reminders permission."""
    return f"{REMINDERS_TOKEN_PREFIX}{','.join(schedule.days)}@{schedule.hour:02d}:{schedule.minute:02d}"


def is_reminders_token(token: object) -> bool:
    """The token of a reminders permission prompt."""
    return isinstance(token, str) and token.startswith(REMINDERS_TOKEN_PREFIX)


def schedule_from_token(token: object) -> WeeklySchedule | None:
    """The schedule a reminders permission prompt waited with (None when none or unreadable)."""
    if not is_reminders_token(token):
        return None
    assert isinstance(token, str)
    days, _, time = token[len(REMINDERS_TOKEN_PREFIX):].partition("@")
    hour, _, minute = time.partition(":")
    try:
        return WeeklySchedule(tuple(days.split(",")), int(hour), int(minute))
    except ValueError:
        return None


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
