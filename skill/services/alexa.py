"""Alexa's services in production: the ASK SDK's service clients, behind the seam in ``skill.services``.

Each request gets its own ``Services``, reaching the API endpoint Alexa named in the request with
the request's access token, over one shared API client (``skill.api_client.BoundedApiClient``,
which puts a deadline on every call). A client is built only when a turn first uses it.

The Timers API's answers are translated here, and only here, into the conversation's outcomes:
401/403 mean the timer permission is missing, 404 that the timer already went off or was
cancelled on the device, 400 that the request was refused (for a create, a label already in
use), anything else (500, 504 device offline, no connection, a timeout) that there is no timer
to be had right now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import ApiClient, ApiConfiguration, ServiceException
from ask_sdk_model.services.timer_management import (
    AnnounceOperation,
    CreationBehavior,
    DisplayExperience,
    NotificationConfig,
    Operation,
    TextToAnnounce,
    TimerManagementServiceClient,
    TimerRequest,
    TriggeringBehavior,
    Visibility,
)

from skill.services import Failure, ServiceAccess, ServiceFailure, Services, ServicesFactory, TimerSpec
from skill.services.alexa_reminders import AlexaReminders, AlexaSettings, timer_operation

T = TypeVar("T")

PERMISSION_MISSING_STATUSES = frozenset({401, 403})
NOT_FOUND_STATUS = 404
REFUSED_STATUS = 400


def alexa_services(api_client: ApiClient) -> ServicesFactory:
    """The production factory: Alexa's services for each request, all over ``api_client``."""
    serializer = DefaultSerializer()

    def services(access: ServiceAccess) -> Services:
        configuration = ApiConfiguration(serializer=serializer, api_client=api_client,
                                         authorization_value=access.api_access_token,
                                         api_endpoint=access.api_endpoint)
        return Services(timers=AlexaTimers(configuration, access.locale, access),
                        reminders=AlexaReminders(configuration, access.locale, failure_for),
                        settings=AlexaSettings(configuration, access.device_id, failure_for))

    return services


def failure_for(status: int | None) -> Failure:
    """The outcome an HTTP status from Alexa's APIs stands for."""
    if status in PERMISSION_MISSING_STATUSES:
        return Failure.PERMISSION_MISSING
    if status == NOT_FOUND_STATUS:
        return Failure.NOT_FOUND
    if status == REFUSED_STATUS:
        return Failure.REFUSED
    return Failure.UNAVAILABLE


class AlexaTimers:
    """The ``Timers`` protocol over the SDK's ``TimerManagementServiceClient``."""

    def __init__(self, configuration: ApiConfiguration, locale: str, access: ServiceAccess | None = None) -> None:
        self.configuration = configuration
        self.locale = locale
        self.access = access
        self._client: TimerManagementServiceClient | None = None

    def create(self, timer: TimerSpec) -> str:
        operation = timer_operation(timer, self.access) if self.access else None
        created = self._call("create", lambda client: client.create_timer(timer_request(timer, self.locale,
                                                                                         operation)))
        timer_id = getattr(created, "id", None)
        if not timer_id:
            raise ServiceFailure(Failure.UNAVAILABLE, f"timer created without an id: {created!r}")
        return str(timer_id)

    def pause(self, timer_id: str) -> None:
        self._call("pause", lambda client: client.pause_timer(timer_id))

    def resume(self, timer_id: str) -> None:
        self._call("resume", lambda client: client.resume_timer(timer_id))

    def cancel(self, timer_id: str) -> None:
        self._call("cancel", lambda client: client.delete_timer(timer_id))

    def cancel_all(self) -> None:
        self._call("cancel all", lambda client: client.delete_timers())

    def _call(self, what: str, call: Callable[[TimerManagementServiceClient], T]) -> T:
        """Make one call; every way it can fail becomes a ``ServiceFailure``."""
        try:
            return call(self._service())
        except ServiceException as error:
            raise ServiceFailure(failure_for(error.status_code), f"timer {what}: HTTP {error.status_code} "
                                                                 f"({_reason(error)})") from error
        except ServiceFailure:
            raise
        except Exception as error:  # a malformed answer, a bug in a client: no timer, but no crash
            raise ServiceFailure(Failure.UNAVAILABLE, f"timer {what}: {error!r}") from error

    def _service(self) -> TimerManagementServiceClient:
        if self._client is None:
            if not self.configuration.api_endpoint or not self.configuration.authorization_value:
                raise ServiceFailure(Failure.UNAVAILABLE, "the request carries no API endpoint or token")
            self._client = TimerManagementServiceClient(self.configuration)
        return self._client


def timer_request(timer: TimerSpec, locale: str, operation: Operation | None = None) -> TimerRequest:
    """The create-timer body: visible on screen devices; when it goes off, ``operation`` (LAUNCH_TASK: offer
    to carry on with the next set), else an announcement of the next set."""
    return TimerRequest(
        duration=iso_duration(timer.seconds),
        timer_label=timer.label,
        creation_behavior=CreationBehavior(display_experience=DisplayExperience(visibility=Visibility.VISIBLE)),
        triggering_behavior=TriggeringBehavior(
            operation=operation or AnnounceOperation(
                text_to_announce=[TextToAnnounce(locale=locale, text=timer.announcement)]),
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


def _reason(error: ServiceException) -> str:
    body = error.body
    code = getattr(body, "code", None)
    message = getattr(body, "message", None)
    return " ".join(str(part) for part in (code, message) if part) or str(error)
