"""The production timers adapter: the SDK's client over a fake ApiClient (the far end), translated right."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

from skill.services import Failure, ResumeTask, ServiceAccess, ServiceFailure, TimerSpec
from skill.services.alexa import alexa_services

ENDPOINT = "https://api.eu.amazonalexa.com"
TOKEN = "an-access-token"
TIMER = TimerSpec(seconds=120, label="leg day rest", announcement="Rest over. Squat, set 2 of 4: 8 reps. Go!")
ISO_DURATION = re.compile(r"^PT(?=\d)(\d+H)?(\d+M)?(\d+S)?$")


class FarEnd(ApiClient):
    """Answers every request with ``status`` and ``body`` (or raises ``error``), recording what it was sent."""

    def __init__(self, status: int = 200, body: Any = None, error: Exception | None = None) -> None:
        self.status, self.body, self.error = status, body, error
        self.requests: list[ApiClientRequest] = []

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        answer = ApiClientResponse(headers=[("Content-Type", "application/json")], status_code=self.status)
        answer.body = None if self.body is None else json.dumps(self.body)
        return answer


def timers(far_end: FarEnd, access: ServiceAccess | None = None) -> Any:
    return alexa_services(far_end)(access or ServiceAccess(ENDPOINT, TOKEN, "en-GB")).timers


def header(request: ApiClientRequest, name: str) -> str | None:
    return next((value for key, value in request.headers if key.lower() == name.lower()), None)


def test_create_posts_the_documented_body_with_the_request_token_and_locale() -> None:
    far_end = FarEnd(body={"id": "timer-1", "status": "ON"})
    assert timers(far_end).create(TIMER) == "timer-1"
    [request] = far_end.requests
    assert (request.method, request.url) == ("POST", f"{ENDPOINT}/v1/alerts/timers")
    assert header(request, "Authorization") == f"Bearer {TOKEN}"
    body = request.body  # the SDK serializes to plain data; its HTTP client writes the JSON
    assert body["duration"] == "PT2M" and ISO_DURATION.match(body["duration"])
    assert body["timerLabel"] == "leg day rest"
    assert body["creationBehavior"] == {"displayExperience": {"visibility": "VISIBLE"}}
    assert body["triggeringBehavior"]["operation"] == {
        "type": "ANNOUNCE", "textToAnnounce": [{"locale": "en-GB", "text": TIMER.announcement}]}
    assert body["triggeringBehavior"]["notificationConfig"] == {"playAudible": True}


@pytest.mark.parametrize(("call", "method", "path"), [
    (lambda t: t.pause("t-1"), "POST", "/v1/alerts/timers/t-1/pause"),
    (lambda t: t.resume("t-1"), "POST", "/v1/alerts/timers/t-1/resume"),
    (lambda t: t.cancel("t-1"), "DELETE", "/v1/alerts/timers/t-1"),
    (lambda t: t.cancel_all(), "DELETE", "/v1/alerts/timers"),
])
def test_each_call_reaches_its_route(call: Any, method: str, path: str) -> None:
    far_end = FarEnd()
    call(timers(far_end))
    [request] = far_end.requests
    assert (request.method, request.url) == (method, f"{ENDPOINT}{path}")


@pytest.mark.parametrize(("status", "failure"), [
    (400, Failure.REFUSED), (401, Failure.PERMISSION_MISSING), (403, Failure.PERMISSION_MISSING),
    (404, Failure.NOT_FOUND), (500, Failure.UNAVAILABLE), (504, Failure.UNAVAILABLE), (429, Failure.UNAVAILABLE),
])
def test_service_exception_status_codes_become_the_conversations_failures(status: int, failure: Failure) -> None:
    far_end = FarEnd(status=status, body={"code": "SOME_CODE", "message": "as the service says"})
    for call in (lambda t: t.create(TIMER), lambda t: t.pause("t-1"), lambda t: t.cancel("t-1")):
        with pytest.raises(ServiceFailure) as raised:
            call(timers(far_end))
        assert raised.value.failure is failure
        assert str(status) in str(raised.value)


@pytest.mark.parametrize("far_end", [
    FarEnd(error=TimeoutError("read timed out")),   # the API client's deadline
    FarEnd(body={"status": "ON"}),                   # created, but no id came back
    FarEnd(body="not a timer"),                      # an answer the SDK cannot read
], ids=["timeout", "no id", "unreadable"])
def test_anything_else_going_wrong_is_unavailable(far_end: FarEnd) -> None:
    with pytest.raises(ServiceFailure) as raised:
        timers(far_end).create(TIMER)
    assert raised.value.failure is Failure.UNAVAILABLE


def test_a_request_without_an_api_endpoint_calls_nothing() -> None:
    far_end = FarEnd()
    with pytest.raises(ServiceFailure) as raised:
        timers(far_end, ServiceAccess("", "")).pause("t-1")
    assert raised.value.failure is Failure.UNAVAILABLE
    assert far_end.requests == []


def test_a_timer_with_a_resume_task_posts_launch_task_named_after_the_skill() -> None:
    far_end = FarEnd(body={"id": "timer-2", "status": "ON"})
    task = ResumeTask("ResumeWorkout", "1", "Rest over. Next up: squat, set 2 of 4. Shall Leg Day Coach carry on?")
    access = ServiceAccess(ENDPOINT, TOKEN, "en-GB", skill_id="amzn1.ask.skill.abc")
    assert timers(far_end, access).create(replace(TIMER, resume_task=task)) == "timer-2"
    [request] = far_end.requests
    assert request.body["triggeringBehavior"]["operation"] == {
        "type": "LAUNCH_TASK",
        "textToConfirm": [{"locale": "en-GB", "text": task.confirm}],
        "task": {"name": "amzn1.ask.skill.abc.ResumeWorkout", "version": "1", "input": {}},
    }


def test_without_a_skill_id_to_name_the_task_the_timer_announces() -> None:
    far_end = FarEnd(body={"id": "timer-3", "status": "ON"})
    task = ResumeTask("ResumeWorkout", "1", "Shall we carry on?")
    timers(far_end).create(replace(TIMER, resume_task=task))
    assert far_end.requests[0].body["triggeringBehavior"]["operation"]["type"] == "ANNOUNCE"
