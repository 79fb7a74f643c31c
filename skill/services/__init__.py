"""Alexa's services (timers, reminders, the device's settings) behind one seam.

The conversation calls a service through the protocols here and nothing else: it never sees
HTTP, the ASK SDK or status codes. One factory, handed down by the app factory and the Lambda
entry, builds a ``Services`` for each request from the request's API endpoint and token:
``skill.services.alexa`` in production, an in-memory fake in tests. Importing this module loads
nothing of the SDK.

A service call either works or raises ``ServiceFailure`` with one of a few outcomes the
conversation knows how to talk about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class Failure(str, Enum):
    """Why a service call did not work, in the conversation's terms."""

    # The person has not granted the skill this permission (or took it back).
    PERMISSION_MISSING = "permission_missing"
    # The thing named is gone: a timer that went off or was cancelled on the device.
    NOT_FOUND = "not_found"
    # The service refused the request as made: for timers, most often a label already in use.
    REFUSED = "refused"
    # No answer to be had now: a server error, the device offline, no connection, a timeout.
    UNAVAILABLE = "unavailable"


class ServiceFailure(Exception):
    """A service call that did not work; ``failure`` says why."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure


@dataclass(frozen=True)
class ResumeTask:
    """A timer that offers to carry on when it goes off: Alexa says ``confirm`` and, on a yes, launches the
    skill's custom task ``name`` (declared in the manifest) at ``version``."""

    name: str
    version: str
    confirm: str


@dataclass(frozen=True)
class TimerSpec:
    """A timer to create: its length, its label (unique among the skill's timers), what Alexa announces
    when it goes off (in the request's locale), or, with ``resume_task``, the task it offers to launch."""

    seconds: int
    label: str
    announcement: str
    resume_task: ResumeTask | None = None


class Timers(Protocol):
    """Alexa's timers for this person's device. Every method raises ``ServiceFailure`` when it fails."""

    def create(self, timer: TimerSpec) -> str:
        """Start a timer; returns its id."""
        ...

    def pause(self, timer_id: str) -> None:
        """Pause a running timer."""
        ...

    def resume(self, timer_id: str) -> None:
        """Resume a paused timer."""
        ...

    def cancel(self, timer_id: str) -> None:
        """Cancel one timer."""
        ...

    def cancel_all(self) -> None:
        """Cancel every timer this skill has set for the person."""
        ...


# RFC 5545 day codes, Monday first (the order reminders are spoken in).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class WeeklySchedule:
    """Leg day on these weekdays (RFC 5545 codes, in week order) at ``hour``:``minute``, local time."""

    days: tuple[str, ...]
    hour: int
    minute: int = 0

    def __post_init__(self) -> None:
        if not self.days or any(day not in WEEKDAYS for day in self.days):
            raise ValueError(f"not weekdays: {self.days!r}")
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"not a time of day: {self.hour}:{self.minute}")
        object.__setattr__(self, "days", tuple(day for day in WEEKDAYS if day in self.days))

    def rule(self) -> str:
        """The recurrence rule Alexa's Reminders API takes: "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;..."."""
        return (f"FREQ=WEEKLY;BYDAY={','.join(self.days)};BYHOUR={self.hour};BYMINUTE={self.minute};"
                "BYSECOND=0;INTERVAL=1")

    @classmethod
    def from_rule(cls, rule: str) -> WeeklySchedule:
        """The schedule in a weekly recurrence rule (ValueError for any other rule)."""
        parts = dict(part.split("=", 1) for part in rule.strip().strip(";").split(";") if "=" in part)
        if parts.get("FREQ") != "WEEKLY":
            raise ValueError(f"not a weekly rule: {rule!r}")
        return cls(tuple(parts.get("BYDAY", "").split(",")), int(parts.get("BYHOUR", "")),
                   int(parts.get("BYMINUTE", "0")))


@dataclass(frozen=True)
class ReminderSpec:
    """A recurring reminder to create: when, in which IANA time zone, and what Alexa says (request's locale)."""

    schedule: WeeklySchedule
    time_zone: str
    text: str


@dataclass(frozen=True)
class ScheduledReminder:
    """One of the skill's reminders as Alexa keeps it: its token, and its schedule (None when not weekly)."""

    token: str
    schedule: WeeklySchedule | None


class Reminders(Protocol):
    """Alexa's reminders this skill set for the person. Every method raises ``ServiceFailure`` when it fails."""

    def create(self, reminder: ReminderSpec) -> str:
        """Set a recurring reminder; returns its token."""
        ...

    def list(self) -> list[ScheduledReminder]:
        """The skill's reminders that are still on."""
        ...

    def delete(self, token: str) -> None:
        """Delete one reminder."""
        ...


class Settings(Protocol):
    """The person's device settings (Alexa's Settings API). Raises ``ServiceFailure`` when it fails."""

    def time_zone(self) -> str:
        """The device's IANA time zone, e.g. "America/New_York"."""
        ...


class UnavailableReminders:
    """Reminders where there are none to be had: every call fails as unavailable."""

    def create(self, reminder: ReminderSpec) -> str:
        raise ServiceFailure(Failure.UNAVAILABLE, "no reminders service")

    def list(self) -> list[ScheduledReminder]:
        raise ServiceFailure(Failure.UNAVAILABLE, "no reminders service")

    def delete(self, token: str) -> None:
        raise ServiceFailure(Failure.UNAVAILABLE, "no reminders service")


class UnavailableSettings:
    """Settings that cannot be read: every call fails as unavailable."""

    def time_zone(self) -> str:
        raise ServiceFailure(Failure.UNAVAILABLE, "no settings service")


@dataclass(frozen=True)
class Services:
    """The services one request can use."""

    timers: Timers
    reminders: Reminders = UnavailableReminders()
    settings: Settings = UnavailableSettings()


@dataclass(frozen=True)
class ServiceAccess:
    """What a request carries to reach Alexa's APIs on the person's behalf (both empty outside a request
    from Alexa, e.g. a hand-made envelope)."""

    api_endpoint: str
    api_access_token: str
    locale: str = "en-US"
    # The device asking (the Settings API is per device) and the skill (a timer's task is named after it).
    device_id: str = ""
    skill_id: str = ""


ServicesFactory = Callable[[ServiceAccess], Services]


class UnavailableTimers:
    """Timers where there are none to be had: every call fails as unavailable."""

    def create(self, timer: TimerSpec) -> str:
        raise ServiceFailure(Failure.UNAVAILABLE, "no timers service")

    def pause(self, timer_id: str) -> None:
        raise ServiceFailure(Failure.UNAVAILABLE, "no timers service")

    def resume(self, timer_id: str) -> None:
        raise ServiceFailure(Failure.UNAVAILABLE, "no timers service")

    def cancel(self, timer_id: str) -> None:
        raise ServiceFailure(Failure.UNAVAILABLE, "no timers service")

    def cancel_all(self) -> None:
        raise ServiceFailure(Failure.UNAVAILABLE, "no timers service")


OFFLINE = Services(timers=UnavailableTimers())
