"""The production Reminders and Settings adapters: the SDK's clients over a fake ApiClient (the far end)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from skill.services import Failure, ReminderSpec, ServiceAccess, ServiceFailure, WeeklySchedule
from skill.services.alexa import alexa_services
from tests.timers.test_alexa_services import ENDPOINT, TOKEN, FarEnd, header

DEVICE = "amzn1.ask.device.ABC"
SPEC = ReminderSpec(WeeklySchedule(("MO", "TH"), 18), "America/New_York",
                    "Time for leg day: say, Alexa, open Leg Day Coach.")
RULE = "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0;BYSECOND=0;INTERVAL=1"


def services(far_end: FarEnd, access: ServiceAccess | None = None) -> Any:
    return alexa_services(far_end)(access or ServiceAccess(ENDPOINT, TOKEN, "en-US", device_id=DEVICE))


def test_create_posts_a_weekly_scheduled_absolute_reminder_in_the_time_zone() -> None:
    far_end = FarEnd(body={"alertToken": "r-1", "status": "ON"})
    assert services(far_end).reminders.create(SPEC) == "r-1"
    [request] = far_end.requests
    assert (request.method, request.url) == ("POST", f"{ENDPOINT}/v1/alerts/reminders")
    assert header(request, "Authorization") == f"Bearer {TOKEN}"
    body = request.body
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE" and trigger["timeZoneId"] == "America/New_York"
    assert trigger["recurrence"]["recurrenceRules"] == [RULE]
    # Starts today, in the person's local time (no offset: the time zone says where).
    start = datetime.fromisoformat(trigger["recurrence"]["startDateTime"])
    assert start.tzinfo is None and abs((start.date() - datetime.now(timezone.utc).date()).days) <= 1
    assert body["alertInfo"] == {"spokenInfo": {"content": [{"locale": "en-US", "text": SPEC.text}]}}
    assert body["pushNotification"] == {"status": "ENABLED"}


def test_list_reads_weekly_schedules_of_reminders_still_on() -> None:
    far_end = FarEnd(body={"totalCount": "3", "alerts": [
        {"alertToken": "r-1", "status": "ON", "trigger": {"type": "SCHEDULED_ABSOLUTE",
                                                         "recurrence": {"recurrenceRules": [RULE]}}},
        {"alertToken": "r-2", "status": "COMPLETED", "trigger": {"recurrence": {"recurrenceRules": [RULE]}}},
        {"alertToken": "r-3", "status": "ON", "trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 60}},
    ]})
    listed = services(far_end).reminders.list()
    assert [(reminder.token, reminder.schedule) for reminder in listed] == [
        ("r-1", WeeklySchedule(("MO", "TH"), 18)), ("r-3", None)]
    assert far_end.requests[0].method == "GET"


def test_delete_reaches_the_reminder() -> None:
    far_end = FarEnd()
    services(far_end).reminders.delete("r-1")
    [request] = far_end.requests
    assert (request.method, request.url) == ("DELETE", f"{ENDPOINT}/v1/alerts/reminders/r-1")


def test_the_time_zone_comes_from_the_device_settings() -> None:
    far_end = FarEnd(body="Europe/Berlin")
    assert services(far_end).settings.time_zone() == "Europe/Berlin"
    [request] = far_end.requests
    assert (request.method, request.url) == ("GET", f"{ENDPOINT}/v2/devices/{DEVICE}/settings/System.timeZone")


@pytest.mark.parametrize(("status", "failure"), [
    (401, Failure.PERMISSION_MISSING), (403, Failure.PERMISSION_MISSING), (404, Failure.NOT_FOUND),
    (400, Failure.REFUSED), (500, Failure.UNAVAILABLE), (429, Failure.UNAVAILABLE),
])
def test_reminders_status_codes_become_the_conversations_failures(status: int, failure: Failure) -> None:
    far_end = FarEnd(status=status, body={"code": "SOME_CODE", "message": "as the service says"})
    for call in (lambda r: r.create(SPEC), lambda r: r.list(), lambda r: r.delete("r-1")):
        with pytest.raises(ServiceFailure) as raised:
            call(services(far_end).reminders)
        assert raised.value.failure is failure


@pytest.mark.parametrize(("far_end", "access"), [
    (FarEnd(status=500, body={"code": "ERROR"}), None),
    (FarEnd(error=TimeoutError("read timed out")), None),
    (FarEnd(body="Mars/Olympus_Mons"), None),                       # not a time zone: no answer at all
    (FarEnd(body="Europe/Berlin"), ServiceAccess(ENDPOINT, TOKEN)),  # no device to ask about
    (FarEnd(body="Europe/Berlin"), ServiceAccess("", "", device_id=DEVICE)),
], ids=["500", "timeout", "unknown zone", "no device", "no endpoint"])
def test_a_time_zone_that_cannot_be_had_is_unavailable(far_end: FarEnd, access: ServiceAccess | None) -> None:
    with pytest.raises(ServiceFailure) as raised:
        services(far_end, access).settings.time_zone()
    assert raised.value.failure is Failure.UNAVAILABLE


def test_a_reminder_created_without_a_token_is_unavailable() -> None:
    with pytest.raises(ServiceFailure) as raised:
        services(FarEnd(body={"status": "ON"})).reminders.create(SPEC)
    assert raised.value.failure is Failure.UNAVAILABLE
