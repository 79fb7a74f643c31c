"""Reminder tests run the whole skill with Alexa's Reminders, Settings and Timers services swapped for in-memory
fakes (``create_app(services=...)``); envelopes are the samples in tests/requests, sent over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from tests.conftest import Answer, Send, read_request, with_changes
from tests.reminders.fake import FakeAlexa


@pytest.fixture
def alexa() -> FakeAlexa:
    """The fake services the app below reaches."""
    return FakeAlexa()


@pytest.fixture
def app(settings: Settings, alexa: FakeAlexa) -> Flask:
    return create_app(settings, services=alexa.services)


class Echo:
    """One device: sends sample envelopes in a session that carries on until the skill ends it."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.attributes: dict[str, Any] = {}
        self.new = False

    def say(self, sample: str | dict[str, Any], **changes: Any) -> Answer:
        body = read_request(sample) if isinstance(sample, str) else sample
        answer = self.send(with_changes(body, attributes=self.attributes, new=self.new, **changes))
        ended = answer.ends_session is True
        self.attributes = {} if ended else answer.attributes
        self.new = ended
        return answer

    def answer_permission(self, status: str, token: str, code: str = "200") -> Answer:
        """Alexa's Connections.Response to the reminders permission question."""
        body = read_request("reminders_permission_answer")
        body["request"]["payload"]["status"] = status
        body["request"]["token"] = token
        body["request"]["status"]["code"] = code
        return self.say(body)


@pytest.fixture
def echo(send: Send) -> Echo:
    return Echo(send)


def directives(answer: Answer, kind: str) -> list[dict[str, Any]]:
    return [directive for directive in answer.response.get("directives") or [] if directive.get("type") == kind]


def set_reminders(hour: str = "6", period: tuple[str, str] | None = None, minute: str | None = None,
                  days: tuple[tuple[str, str], ...] = (("monday", "MO"), ("thursday", "TH"))) -> dict[str, Any]:
    """The set_reminders sample with other days, hour, minute or period ("in the morning", "am")."""
    body = read_request("set_reminders")
    slots = body["request"]["intent"]["slots"]
    for name, (heard, day_id) in zip(("day", "secondday", "thirdday"), days):
        slots[name] = _resolved(name, heard, day_id, "LEG_DAY_WEEKDAY")
    for name in ("day", "secondday", "thirdday")[len(days):]:
        slots[name] = {"name": name, "confirmationStatus": "NONE"}
    slots["hour"]["value"] = hour
    if minute is not None:
        slots["minute"]["value"] = minute
    if period is not None:
        slots["period"] = _resolved("period", period[0], period[1], "DAY_HALF")
    return body


def _resolved(name: str, heard: str, value_id: str, slot_type: str) -> dict[str, Any]:
    return {"name": name, "confirmationStatus": "NONE", "value": heard, "resolutions": {"resolutionsPerAuthority": [{
        "authority": f"amzn1.er-authority.echo-sdk.amzn1.ask.skill.00000000-0000-0000-0000-000000000000.{slot_type}",
        "status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": heard, "id": value_id}}]}]}}
