"""In-memory stand-ins for Alexa's Reminders and Settings services, handed to the skill through the services seam.

Like the timers' fake beside it (``tests.timers.fake``), each keeps the far end's state, records every
call with the request's API access, and fails as told: ``fail_with`` a ``Failure`` or an exception to
raise as is. ``permitted`` False answers every reminders call as Alexa does before the person allowed
reminders (401: permission missing).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from skill.services import Failure, ReminderSpec, ScheduledReminder, ServiceAccess, ServiceFailure, Services
from tests.timers.fake import FakeTimers


@dataclass(frozen=True)
class ReminderCall:
    """One call the fake received: the operation, the access, and the reminder to create or the token named."""

    operation: str
    access: ServiceAccess
    reminder: ReminderSpec | None = None
    token: str | None = None


@dataclass
class FakeReminders:
    """The far end's reminders (token -> what was asked for), what it was asked, and how to fail."""

    reminders: dict[str, ReminderSpec] = field(default_factory=dict)
    calls: list[ReminderCall] = field(default_factory=list)
    permitted: bool = True
    fail_with: Failure | Exception | None = None

    def handle(self, call: ReminderCall) -> str | list[ScheduledReminder] | None:
        self.calls.append(call)
        if not self.permitted:
            raise ServiceFailure(Failure.PERMISSION_MISSING, "the reminders permission is not granted")
        if isinstance(self.fail_with, Failure):
            raise ServiceFailure(self.fail_with, "as configured")
        if self.fail_with is not None:
            raise self.fail_with
        if call.operation == "create":
            assert call.reminder is not None
            token = str(uuid.uuid4())
            self.reminders[token] = call.reminder
            return token
        if call.operation == "list":
            return [ScheduledReminder(token, spec.schedule) for token, spec in self.reminders.items()]
        if call.token not in self.reminders:
            raise ServiceFailure(Failure.NOT_FOUND, "no such reminder")
        del self.reminders[call.token]
        return None

    def requests(self, operation: str) -> list[ReminderCall]:
        return [call for call in self.calls if call.operation == operation]


@dataclass
class FakeSettings:
    """The device's settings as Alexa's Settings API would give them, or a failure."""

    zone: str = "America/Chicago"
    fail_with: Failure | Exception | None = None
    asked: list[ServiceAccess] = field(default_factory=list)

    def time_zone(self, access: ServiceAccess) -> str:
        self.asked.append(access)
        if isinstance(self.fail_with, Failure):
            raise ServiceFailure(self.fail_with, "as configured")
        if self.fail_with is not None:
            raise self.fail_with
        return self.zone


@dataclass
class FakeAlexa:
    """Alexa's services for these tests: timers, reminders and settings, each an in-memory fake."""

    timers: FakeTimers = field(default_factory=FakeTimers)
    reminders: FakeReminders = field(default_factory=FakeReminders)
    settings: FakeSettings = field(default_factory=FakeSettings)

    @property
    def url(self) -> str:
        return self.timers.url

    def services(self, access: ServiceAccess) -> Services:
        """The services factory to hand to ``create_app``."""
        return Services(timers=self.timers.services(access).timers, reminders=_BoundReminders(self.reminders, access),
                        settings=_BoundSettings(self.settings, access))


@dataclass(frozen=True)
class _BoundReminders:
    """The ``Reminders`` protocol for one request."""

    fake: FakeReminders
    access: ServiceAccess

    def create(self, reminder: ReminderSpec) -> str:
        token = self.fake.handle(ReminderCall("create", self.access, reminder=reminder))
        assert isinstance(token, str)
        return token

    def list(self) -> list[ScheduledReminder]:
        listed = self.fake.handle(ReminderCall("list", self.access))
        assert isinstance(listed, list)
        return listed

    def delete(self, token: str) -> None:
        self.fake.handle(ReminderCall("delete", self.access, token=token))


@dataclass(frozen=True)
class _BoundSettings:
    """The ``Settings`` protocol for one request."""

    fake: FakeSettings
    access: ServiceAccess

    def time_zone(self) -> str:
        return self.fake.time_zone(self.access)
