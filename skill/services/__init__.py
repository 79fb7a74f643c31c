"""Alexa's services (timers today; reminders and settings next) behind one seam.

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
class TimerSpec:
    """A timer to create: its length, its label (unique among the skill's timers), and what Alexa
    announces when it goes off (in the request's locale)."""

    seconds: int
    label: str
    announcement: str


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


@dataclass(frozen=True)
class Services:
    """The services one request can use. Reminders and the settings (time zone) join here."""

    timers: Timers


@dataclass(frozen=True)
class ServiceAccess:
    """What a request carries to reach Alexa's APIs on the person's behalf (both empty outside a request
    from Alexa, e.g. a hand-made envelope)."""

    api_endpoint: str
    api_access_token: str
    locale: str = "en-US"


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
