"""Alexa's Reminders and Settings APIs (and a timer's launch task) over the ASK SDK's service clients.

Same rules as the timers next door (``skill.services.alexa``): one shared API client with a
deadline on every call and Amazon's hosts only, a client built when a turn first uses it, and
every way a call fails turned into the conversation's outcomes: 401/403 mean the reminders
permission is missing, 404 that the reminder is gone, 400 a request refused, anything else (a
server error, 429, no connection, a timeout, an answer that makes no sense) that there is no
answer to be had right now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar

from ask_sdk_model.services import ApiConfiguration, ServiceException
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderManagementServiceClient,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)
from ask_sdk_model.services.timer_management import LaunchTaskOperation, Task, TextToConfirm
from ask_sdk_model.services.ups import UpsServiceClient

from skill.services import (
    Failure,
    ReminderSpec,
    ScheduledReminder,
    ServiceAccess,
    ServiceFailure,
    TimerSpec,
    WeeklySchedule,
)
from skill.training.calendar import zone_named

T = TypeVar("T")
C = TypeVar("C")
# Reminders that still ring; a COMPLETED one is history.
ON = "ON"


# What an HTTP status from Alexa's APIs means (``skill.services.alexa.failure_for``), handed down by the
# module that builds these adapters rather than imported back from it.
FailureFor = Callable[[int | None], Failure]


def call(what: str, failure_for: FailureFor, client: Callable[[], C], operation: Callable[[C], T]) -> T:
    """Make one call on the client ``client()`` returns; every way it can fail becomes a ``ServiceFailure``."""
    try:
        return operation(client())
    except ServiceException as error:
        raise ServiceFailure(failure_for(error.status_code), f"{what}: HTTP {error.status_code}") from error
    except ServiceFailure:
        raise
    except Exception as error:  # a malformed answer, a bug in a client: no answer, but no crash
        raise ServiceFailure(Failure.UNAVAILABLE, f"{what}: {error!r}") from error


def _reachable(configuration: ApiConfiguration) -> None:
    if not configuration.api_endpoint or not configuration.authorization_value:
        raise ServiceFailure(Failure.UNAVAILABLE, "the request carries no API endpoint or token")


class AlexaReminders:
    """The ``Reminders`` protocol over the SDK's ``ReminderManagementServiceClient``."""

    def __init__(self, configuration: ApiConfiguration, locale: str, failure_for: FailureFor) -> None:
        self.configuration = configuration
        self.locale = locale
        self.failure_for = failure_for
        self._client: ReminderManagementServiceClient | None = None

    def create(self, reminder: ReminderSpec) -> str:
        now = datetime.now(timezone.utc)
        created = call("reminder create", self.failure_for, self._service,
                       lambda client: client.create_reminder(reminder_request(reminder, self.locale, now)))
        token = getattr(created, "alert_token", None)
        if not token:
            raise ServiceFailure(Failure.UNAVAILABLE, f"reminder created without a token: {created!r}")
        return str(token)

    def list(self) -> list[ScheduledReminder]:
        answer = call("reminder list", self.failure_for, self._service, lambda client: client.get_reminders())
        alerts = getattr(answer, "alerts", None) or []
        return [ScheduledReminder(str(alert.alert_token), schedule_of(alert)) for alert in alerts
                if alert.alert_token and _status(alert) == ON]

    def delete(self, token: str) -> None:
        call("reminder delete", self.failure_for, self._service, lambda client: client.delete_reminder(token))

    def _service(self) -> ReminderManagementServiceClient:
        if self._client is None:
            _reachable(self.configuration)
            self._client = ReminderManagementServiceClient(self.configuration)
        return self._client


class AlexaSettings:
    """The ``Settings`` protocol over the SDK's ``UpsServiceClient`` (no permission needed for the time zone)."""

    def __init__(self, configuration: ApiConfiguration, device_id: str, failure_for: FailureFor) -> None:
        self.configuration = configuration
        self.device_id = device_id
        self.failure_for = failure_for

    def time_zone(self) -> str:
        zone = call("time zone", self.failure_for, self._service, lambda client: client.get_system_time_zone(self.device_id))
        # An answer that is not a zone we know would put reminders at the wrong hour: no answer at all.
        if not isinstance(zone, str) or zone_named(zone) is timezone.utc:
            raise ServiceFailure(Failure.UNAVAILABLE, f"not a time zone: {zone!r}")
        return zone

    def _service(self) -> UpsServiceClient:
        _reachable(self.configuration)
        if not self.device_id:
            raise ServiceFailure(Failure.UNAVAILABLE, "the request names no device")
        return UpsServiceClient(self.configuration)


def reminder_request(reminder: ReminderSpec, locale: str, now: datetime) -> ReminderRequest:
    """The create-reminder body: weekly at the schedule's local time in ``reminder.time_zone``, from today on."""
    local_now = now.astimezone(zone_named(reminder.time_zone)).replace(tzinfo=None, microsecond=0)
    return ReminderRequest(
        request_time=now.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id=reminder.time_zone,
            recurrence=Recurrence(start_date_time=local_now, recurrence_rules=[reminder.schedule.rule()]),
        ),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=reminder.text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def schedule_of(alert: Any) -> WeeklySchedule | None:
    """The weekly schedule a listed reminder rings on (None for any other kind)."""
    recurrence = getattr(getattr(alert, "trigger", None), "recurrence", None)
    for rule in getattr(recurrence, "recurrence_rules", None) or []:
        try:
            return WeeklySchedule.from_rule(str(rule))
        except (ValueError, TypeError):
            continue
    return None


def _status(alert: Any) -> str:
    status = getattr(alert, "status", None)
    return str(getattr(status, "value", status))


def launch_task_operation(timer: TimerSpec, locale: str, skill_id: str) -> LaunchTaskOperation:
    """When the rest is over Alexa asks ``confirm``; a yes launches the skill with its resume task."""
    task = timer.resume_task
    assert task is not None
    return LaunchTaskOperation(
        text_to_confirm=[TextToConfirm(locale=locale, text=task.confirm)],
        task=Task(name=f"{skill_id}.{task.name}", version=task.version, input={}),
    )


def timer_operation(timer: TimerSpec, access: ServiceAccess) -> LaunchTaskOperation | None:
    """The LAUNCH_TASK operation for a timer that offers to carry on (None: announce, as without a task,
    or when the request named no skill to launch)."""
    if timer.resume_task is None or not access.skill_id:
        return None
    return launch_task_operation(timer, access.locale, access.skill_id)
