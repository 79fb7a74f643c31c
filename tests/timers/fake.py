"""An in-memory stand-in for Alexa's Timers service, handed to the skill through the services seam.

It keeps the person's timers (one label each, as Alexa does), records every call with the
request's API access it was reached through, and fails as told: ``fail_with`` a ``Failure``
(permission missing, not found, refused, unavailable) or an exception to raise as is (a timeout
from a client that broke its promise to raise only ``ServiceFailure``), or ``refuse_tasks`` (a timer
that would launch the skill's task is refused, as where a device cannot).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from skill.services import Failure, ServiceAccess, ServiceFailure, Services, TimerSpec


@dataclass(frozen=True)
class Call:
    """One call the fake received: the operation, the timer it named or the one to create, and the access."""

    operation: str
    access: ServiceAccess
    timer_id: str | None = None
    timer: TimerSpec | None = None


@dataclass
class FakeTimers:
    """The far end's state: its timers (id -> {"label", "seconds", "status"}), what it was asked, how to fail."""

    url: str = "https://api.fake-alexa.test"
    timers: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    fail_with: Failure | Exception | None = None
    # A device (or account) where timers cannot launch a task: such a create is refused (400).
    refuse_tasks: bool = False

    def services(self, access: ServiceAccess) -> Services:
        """The services factory to hand to ``create_app``: this fake, reached with ``access``."""
        return Services(timers=_Bound(self, access))

    def requests(self, operation: str | None = None, timer_id: str | None = None) -> list[Call]:
        return [call for call in self.calls if (operation is None or call.operation == operation)
                and (timer_id is None or call.timer_id == timer_id)]

    def add_timer(self, label: str, seconds: int = 120) -> str:
        """A timer created earlier (its id unknown to the skill)."""
        timer_id = str(uuid.uuid4())
        self.timers[timer_id] = {"label": label, "seconds": seconds, "status": "ON"}
        return timer_id

    def handle(self, call: Call) -> str | None:
        self.calls.append(call)
        if isinstance(self.fail_with, Failure):
            raise ServiceFailure(self.fail_with, "as configured")
        if self.fail_with is not None:
            raise self.fail_with
        if call.operation == "create":
            assert call.timer is not None
            if self.refuse_tasks and call.timer.resume_task is not None:
                raise ServiceFailure(Failure.REFUSED, "this device cannot launch a task from a timer")
            if any(timer["label"] == call.timer.label for timer in self.timers.values()):
                raise ServiceFailure(Failure.REFUSED, "a timer with this label already exists")
            return self.add_timer(call.timer.label, call.timer.seconds)
        if call.operation == "cancel_all":
            self.timers.clear()
            return None
        if call.timer_id not in self.timers:
            raise ServiceFailure(Failure.NOT_FOUND, "timer not found")
        if call.operation == "cancel":
            del self.timers[call.timer_id]
        else:
            self.timers[call.timer_id]["status"] = "PAUSED" if call.operation == "pause" else "ON"
        return None


@dataclass(frozen=True)
class _Bound:
    """The ``Timers`` protocol for one request."""

    fake: FakeTimers
    access: ServiceAccess

    def create(self, timer: TimerSpec) -> str:
        timer_id = self.fake.handle(Call("create", self.access, timer=timer))
        assert timer_id is not None
        return timer_id

    def pause(self, timer_id: str) -> None:
        self.fake.handle(Call("pause", self.access, timer_id=timer_id))

    def resume(self, timer_id: str) -> None:
        self.fake.handle(Call("resume", self.access, timer_id=timer_id))

    def cancel(self, timer_id: str) -> None:
        self.fake.handle(Call("cancel", self.access, timer_id=timer_id))

    def cancel_all(self) -> None:
        self.fake.handle(Call("cancel_all", self.access))
