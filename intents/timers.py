"""The one module that talks to the Alexa Timers API, through the ASK SDK's timer management client.

It carries out the coach's timer actions and translates the service's answers into the coach's
outcomes: 401/403 mean the timer permission is missing, 404 that the timer has already gone
off or been cancelled on the device, anything else (500, 504 device offline, no connection)
that there is no timer to be had right now. It also reads the permission from the request and
builds the two things that ask for it: Alexa's voice permission prompt and the consent card.
"""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import PermissionStatus
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.services import ServiceException
from ask_sdk_model.services.timer_management import (
    AnnounceOperation,
    CreationBehavior,
    DisplayExperience,
    NotificationConfig,
    TextToAnnounce,
    TimerManagementServiceClient,
    TimerRequest,
    TriggeringBehavior,
    Visibility,
)
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.workout.coach import (
    CancelTimer,
    PauseTimer,
    PermissionAnswer,
    PermissionRequest,
    ResumeTimer,
    StartTimer,
    TimerAction,
    TimerOutcome,
    TimerResult,
)

log = logging.getLogger(__name__)

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
ASK_FOR = "AskFor"
# Echoed back by Alexa in the Connections.Response: which rest (if any) waits for the answer.
TOKEN_PREFIX = "legday-rest-timer:"
UNAUTHORIZED = {401, 403}
BAD_REQUEST = 400
NOT_FOUND = 404


def permitted(handler_input: HandlerInput) -> bool:
    """The request says the person has granted timer permission to the skill."""
    user = handler_input.request_envelope.context.system.user if handler_input.request_envelope.context else None
    permissions = user.permissions if user is not None else None
    scopes = permissions.scopes if permissions is not None else None
    scope = scopes.get(TIMERS_SCOPE) if isinstance(scopes, dict) else None
    return scope is not None and scope.status == PermissionStatus.GRANTED


def carry_out(handler_input: HandlerInput, action: TimerAction) -> TimerResult:
    """Start, pause, resume or cancel a rest timer; never raises."""
    try:
        client = handler_input.service_client_factory.get_timer_management_service()
        if isinstance(action, StartTimer):
            return _start(client, action, handler_input.request_envelope.request.locale or "en-US")
        if isinstance(action, PauseTimer):
            client.pause_timer(action.timer_id)
        elif isinstance(action, ResumeTimer):
            client.resume_timer(action.timer_id)
        elif isinstance(action, CancelTimer):
            client.delete_timer(action.timer_id)
        return TimerResult(TimerOutcome.DONE)
    except ServiceException as error:
        return TimerResult(_outcome(error, action))
    except Exception as error:  # no API client, no token, a malformed answer: no timer, but no crash
        log.warning("timer %s failed: %r", type(action).__name__, error)
        return TimerResult(TimerOutcome.UNAVAILABLE)


def _start(client: TimerManagementServiceClient, action: StartTimer, locale: str) -> TimerResult:
    if action.replaces:
        _cancel_quietly(client, action.replaces)
    request = timer_request(action, locale)
    try:
        created = client.create_timer(request)
    except ServiceException as error:
        if error.status_code != BAD_REQUEST:
            raise
        # Timer labels must be unique: a 400 means a rest timer of ours still runs (its id lost,
        # say, to a failed save). Keep to one timer per person: cancel the skill's timers, retry once.
        log.info("rest timer label in use (%s); cancelling the skill's timers", _reason(error))
        client.delete_timers()
        created = client.create_timer(request)
    timer_id = getattr(created, "id", None)
    if not timer_id:
        log.warning("timer created without an id: %r", created)
        return TimerResult(TimerOutcome.UNAVAILABLE)
    return TimerResult(TimerOutcome.DONE, timer_id=str(timer_id))


def _cancel_quietly(client: TimerManagementServiceClient, timer_id: str) -> None:
    try:
        client.delete_timer(timer_id)
    except ServiceException as error:
        if error.status_code != NOT_FOUND:
            log.warning("could not cancel the old rest timer: %s", _reason(error))


def timer_request(action: StartTimer, locale: str) -> TimerRequest:
    """The create-timer body: visible on screen devices, and an announcement of the next set.

    ANNOUNCE, not LAUNCH_TASK: the announcement already says what to do next, and the person
    needs the skill again only after that set ("Alexa, tell Leg Day Coach I'm done"), so
    relaunching the skill at the end of the rest would open a microphone nobody answers.
    """
    return TimerRequest(
        duration=iso_duration(action.seconds),
        timer_label=action.label,
        creation_behavior=CreationBehavior(display_experience=DisplayExperience(visibility=Visibility.VISIBLE)),
        triggering_behavior=TriggeringBehavior(
            operation=AnnounceOperation(text_to_announce=[TextToAnnounce(locale=locale, text=action.announcement)]),
            notification_config=NotificationConfig(play_audible=True),
        ),
    )


def iso_duration(seconds: int) -> str:
    """Seconds as an ISO 8601 duration: 120 -> "PT2M", 90 -> "PT1M30S"."""
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    text = "PT"
    text += f"{hours}H" if hours else ""
    text += f"{minutes}M" if minutes else ""
    text += f"{rest}S" if rest or text == "PT" else ""
    return text


def _outcome(error: ServiceException, action: TimerAction) -> TimerOutcome:
    status = error.status_code
    if status in UNAUTHORIZED:
        outcome = TimerOutcome.PERMISSION_MISSING
    elif status == NOT_FOUND:
        outcome = TimerOutcome.NOT_FOUND
    else:
        outcome = TimerOutcome.UNAVAILABLE
    log.warning("timer %s: HTTP %s (%s) -> %s", type(action).__name__, status, _reason(error), outcome.value)
    return outcome


def _reason(error: ServiceException) -> str:
    body = error.body
    code = getattr(body, "code", None)
    message = getattr(body, "message", None)
    return " ".join(str(part) for part in (code, message) if part) or str(error)


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
