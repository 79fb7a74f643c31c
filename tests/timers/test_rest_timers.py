"""Long rests on an Alexa timer: real envelopes through the endpoint, Alexa's Timers service an in-memory fake."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from skill.app import create_app
from skill.content import load_content
from skill.services import Failure
from tests.conftest import Answer, Send
from tests.timers.conftest import TIMERS_SCOPE, TOKEN, on_device
from tests.timers.fake import FakeTimers as FakeTimersApi

USER = "amzn1.ask.account.LOCAL-DEVELOPER"
PROMPTS = load_content().prompts
HINT = PROMPTS.say("timer.hint")
MAX_TURNS = 60


class Device:
    """One Echo: sends sample envelopes in a session that carries on until the skill ends it."""

    def __init__(self, send: Send, api: FakeTimersApi | HungEndpoint, *, granted: bool = True) -> None:
        self.send, self.api, self.granted = send, api, granted
        self.attributes: dict[str, Any] = {}
        self.new = False

    def say(self, sample: str, **changes: Any) -> Answer:
        body = on_device(sample, self.api, granted=self.granted, attributes=self.attributes, new=self.new, **changes)
        answer = self.send(body)
        ended = answer.ends_session is True
        self.attributes = {} if ended else answer.attributes
        self.new = ended
        return answer

    def answer_permission(self, status: str, token: str) -> Answer:
        body = on_device("timer_permission_answer", self.api, granted=status == "ACCEPTED",
                         attributes=self.attributes, new=self.new)
        body["request"]["payload"]["status"] = status
        body["request"]["token"] = token
        answer = self.send(body)
        self.attributes = {} if answer.ends_session is True else answer.attributes
        self.new = answer.ends_session is True
        return answer


def saved(settings) -> dict[str, Any]:
    with sqlite3.connect(settings.database_path) as connection:
        row = connection.execute("SELECT attributes FROM user_attributes WHERE user_id = ?", (USER,)).fetchone()
    return json.loads(row[0])


def directives(answer: Answer, kind: str) -> list[dict[str, Any]]:
    return [d for d in answer.response.get("directives") or [] if d.get("type") == kind]


def done_until(device: Device, arrived: Callable[[Answer], bool]) -> Answer:
    """Say done until an answer satisfies ``arrived``."""
    for _ in range(MAX_TURNS):
        answer = device.say("set_done")
        if arrived(answer):
            return answer
    raise AssertionError("no long rest came")


def to_the_first_long_rest(device: Device) -> Answer:
    """Start an advanced barbell leg day (its squat rests 2 and a half minutes) and say done until the first long rest."""
    device.say("start_workout_advanced_barbell")
    return done_until(device, lambda answer: "rest timer" in answer.speech.lower() or "Rest 2 and a half minutes" in answer.speech)


def resting_on_a_timer(send: Send, timers_api: FakeTimersApi) -> Device:
    """A device at the first long rest of a workout, with "yes" said to the rest timer offered."""
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    device.say("yes")
    return device


def test_a_long_rest_offers_a_timer_and_yes_creates_it_through_the_sdk_client(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    offer = to_the_first_long_rest(device)
    assert "That rest is 2 and a half minutes. Shall I set a rest timer" in offer.speech
    assert offer.ends_session is False and "Say yes for a rest timer" in offer.reprompt
    assert "Rest 2 and a half minutes" not in offer.speech
    assert timers_api.calls == []

    created = device.say("yes")
    assert created.ends_session is True
    assert "a rest timer for 2 and a half minutes" in created.speech
    assert "Set 2 of 3" in created.speech

    [call] = timers_api.requests("create")
    assert call.access.api_access_token == TOKEN and call.access.api_endpoint == timers_api.url
    assert call.timer.seconds == 150
    assert call.timer.label == "leg day rest"
    assert call.access.locale == "en-US"
    assert call.timer.announcement.startswith("Rest over. Squat, set 2 of 3: 3 to 6 reps. Go!")
    assert "Alexa, tell Leg Day Coach I'm done" in call.timer.announcement

    [timer_id] = timers_api.timers
    record = saved(settings)
    assert record["rest_timer"]["id"] == timer_id
    assert record["workout"]["rest_timers"] is True


def test_later_long_rests_use_a_timer_without_asking_and_keep_one_timer_per_person(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = resting_on_a_timer(send, timers_api)
    [first] = timers_api.timers

    again = device.say("set_done")  # a one-shot "done" while the first timer still runs
    assert again.ends_session is True
    assert "Shall I" not in again.speech and "a rest timer for 2 and a half minutes" in again.speech
    assert timers_api.requests("cancel", first)
    [second] = timers_api.timers
    assert second != first
    assert saved(settings)["rest_timer"]["id"] == second


def test_pause_and_resume_also_pause_and_resume_the_timer_and_skip_cancels_it(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = resting_on_a_timer(send, timers_api)
    [timer_id] = timers_api.timers

    paused = device.say("pause")
    assert paused.ends_session is True
    assert "Your rest timer is paused too" in paused.speech
    assert timers_api.requests("pause", timer_id)
    assert timers_api.timers[timer_id]["status"] == "PAUSED"
    assert 130 <= saved(settings)["rest_timer"]["paused_seconds"] <= 150

    resumed = device.say("resume")
    assert resumed.ends_session is True
    assert "Your rest timer is running again" in resumed.speech
    assert timers_api.requests("resume", timer_id)
    assert timers_api.timers[timer_id]["status"] == "ON"
    assert saved(settings)["rest_timer"]["paused_seconds"] is None

    skipped = device.say("skip_exercise")
    assert "Skipping the squat" in skipped.speech
    assert timers_api.requests("cancel", timer_id)
    assert timers_api.timers == {}
    assert saved(settings)["rest_timer"] is None


def test_stop_cancels_the_timer(send: Send, timers_api: FakeTimersApi, settings) -> None:
    device = resting_on_a_timer(send, timers_api)
    stopped = device.say("stop")
    assert stopped.ends_session is True
    assert "I've cancelled your rest timer" in stopped.speech
    assert timers_api.timers == {}
    assert saved(settings)["rest_timer"] is None


def test_pausing_a_timer_that_already_went_off_just_pauses_the_workout(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = resting_on_a_timer(send, timers_api)
    timers_api.timers.clear()  # it went off and was dismissed on the device: the API answers 404
    paused = device.say("pause")
    assert paused.ends_session is True
    assert "Paused at the squat, set 2 of 3" in paused.speech
    assert "rest timer" not in paused.speech
    assert saved(settings)["rest_timer"] is None


def test_permission_missing_at_create_hands_over_to_alexa_and_yes_sets_the_timer(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    timers_api.fail_with = Failure.PERMISSION_MISSING
    asked = device.say("yes")

    [request] = directives(asked, "Connections.SendRequest")
    assert request["name"] == "AskFor"
    assert request["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert request["payload"]["permissionScopes"] == [{"permissionScope": TIMERS_SCOPE, "consentLevel": "ACCOUNT"}]
    assert request["token"] == "legday-rest-timer:150"
    assert "shouldEndSession" not in asked.response and "reprompt" not in asked.response
    assert "I need your permission" in asked.speech

    timers_api.fail_with = None
    answered = device.answer_permission("ACCEPTED", request["token"])
    assert answered.ends_session is True
    assert "Thanks" in answered.speech and "a rest timer for 2 and a half minutes" in answered.speech
    [timer_id] = timers_api.timers
    assert saved(settings)["rest_timer"]["id"] == timer_id


def test_a_denied_permission_is_remembered_and_rests_are_counted_out_loud(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    timers_api.fail_with = Failure.PERMISSION_MISSING
    asked = device.say("yes")
    [request] = directives(asked, "Connections.SendRequest")

    device.granted = False
    counted = device.answer_permission("DENIED", request["token"])
    assert "Okay, no timers" in counted.speech
    assert "Rest 2 and a half minutes" in counted.speech and "3. 2. 1." in counted.speech
    assert "Set 2 of 3" in counted.speech
    assert counted.ends_session is False
    record = saved(settings)
    assert record["timers_denied"] is True
    assert record["workout"]["rest_timers"] is False

    calls = len(timers_api.calls)
    later = device.say("set_done")
    assert "Rest 2 and a half minutes" in later.speech
    assert not directives(later, "Connections.SendRequest") and HINT not in later.speech
    assert len(timers_api.calls) == calls


def test_a_unique_label_clash_cancels_the_lost_timer_and_sets_one(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    lost = timers_api.add_timer("leg day rest")  # from a turn whose save failed: its id is unknown

    created = device.say("yes")
    assert "a rest timer for 2 and a half minutes" in created.speech
    # With its task, then announcing (a refusal may be the task's), then, ours cleared, announcing again.
    posts = timers_api.requests("create")
    assert [post.timer.resume_task is not None for post in posts] == [True, False, False]
    assert timers_api.requests("cancel_all")
    assert lost not in timers_api.timers
    [timer_id] = timers_api.timers
    assert saved(settings)["rest_timer"]["id"] == timer_id


@pytest.mark.parametrize("status", [Failure.UNAVAILABLE, TimeoutError("timed out")], ids=["unavailable", "timeout"])
def test_a_device_without_timers_gets_the_countdown_and_no_more_offers(
    send: Send, timers_api: FakeTimersApi, settings, status: Failure | Exception
) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    timers_api.fail_with = status
    counted = device.say("yes")
    assert "I couldn't set a timer here" in counted.speech
    assert "Rest 2 and a half minutes" in counted.speech and "Set 2 of 3" in counted.speech
    assert counted.ends_session is False
    assert saved(settings)["rest_timer"] is None

    calls = len(timers_api.calls)
    later = device.say("set_done")
    assert "Rest 2 and a half minutes" in later.speech and "Shall I" not in later.speech
    assert len(timers_api.calls) == calls


def test_without_timer_permission_the_countdown_stays_and_the_hint_comes_once(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api, granted=False)
    first = to_the_first_long_rest(device)
    assert "Rest 2 and a half minutes" in first.speech
    assert HINT in first.speech
    assert first.speech.index(HINT) < first.speech.index("Rest 2 and a half minutes")
    assert first.response["card"] == {"type": "AskForPermissionsConsent", "permissions": [TIMERS_SCOPE]}
    assert saved(settings)["timer_hint_given"] is True

    second = device.say("set_done")
    assert "Rest 2 and a half minutes" in second.speech
    assert HINT not in second.speech and "card" not in second.response
    assert timers_api.calls == []


def test_saying_use_rest_timers_asks_alexa_and_not_answering_is_not_a_no(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api, granted=False)
    device.say("start_workout_advanced_barbell")
    asked = device.say("rest_timer")
    [request] = directives(asked, "Connections.SendRequest")
    assert request["token"] == "legday-rest-timer:0"

    silent = device.answer_permission("NOT_ANSWERED", request["token"])
    assert "count your rests out loud for now" in silent.speech
    assert silent.ends_session is False
    assert saved(settings)["timers_denied"] is False

    asked_again = device.say("rest_timer")
    denied = device.answer_permission("DENIED", directives(asked_again, "Connections.SendRequest")[0]["token"])
    assert "Okay, no timers" in denied.speech
    assert saved(settings)["timers_denied"] is True
    assert timers_api.calls == []


def test_with_permission_use_rest_timers_switches_them_on_without_asking(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    device.say("start_workout_advanced_barbell")
    on = device.say("rest_timer")
    assert "Rest timers are on" in on.speech and not directives(on, "Connections.SendRequest")
    assert saved(settings)["workout"]["rest_timers"] is True
    rest = to_the_long_rest_after(device)
    assert "Shall I" not in rest.speech and "a rest timer for 2 and a half minutes" in rest.speech
    assert len(timers_api.timers) == 1


def to_the_long_rest_after(device: Device) -> Answer:
    return done_until(device, lambda answer: "rest timer" in answer.speech.lower())


def test_no_to_the_offer_counts_out_loud_and_the_workout_is_not_asked_again(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    counted = device.say("no")
    assert "I'll count it out loud" in counted.speech and "Rest 2 and a half minutes" in counted.speech
    later = device.say("set_done")
    assert "Rest 2 and a half minutes" in later.speech and "Shall I" not in later.speech
    assert timers_api.calls == []


def test_short_rests_are_always_counted_out_loud(send: Send, timers_api: FakeTimersApi) -> None:
    device = Device(send, timers_api)
    body = on_device("start_workout_advanced_barbell", timers_api, attributes={}, new=True)
    for name, value in (("level", "beginner"), ("length", "15"), ("equipment", "bodyweight")):
        body["request"]["intent"]["slots"][name]["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] = value
    answer = send(body)  # beginner, 15 minutes, no equipment: rests of a minute or less
    device.attributes, device.new = answer.attributes, False
    for _ in range(MAX_TURNS):
        if answer.ends_session:
            break
        answer = device.say("set_done")
        assert "rest timer" not in answer.speech.lower()
    assert answer.ends_session is True
    assert timers_api.calls == []


def test_on_a_screen_device_a_timer_rest_shows_its_countdown_and_the_permission_turn_shows_nothing(
    send: Send, timers_api: FakeTimersApi
) -> None:
    device = Device(send, timers_api)
    answer = device.say("start_workout_advanced_barbell", screen=True)
    while "Shall I set a rest timer" not in answer.speech:
        answer = device.say("set_done", screen=True)
    created = device.say("yes", screen=True)
    [render] = directives(created, "Alexa.Presentation.APL.RenderDocument")
    rest = render["datasources"]["legday"]["rest"]
    assert rest == {"seconds": 150, "note": "Rest timer set", "label": "Rest"}

    timers_api.fail_with = Failure.PERMISSION_MISSING
    asked = device.say("set_done", screen=True)
    assert directives(asked, "Connections.SendRequest")
    assert not directives(asked, "Alexa.Presentation.APL.RenderDocument")


@dataclass
class HungEndpoint:
    """An HTTPS address that takes connections and never answers (not even the TLS handshake)."""

    url: str


@pytest.fixture
def hung_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[HungEndpoint]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield HungEndpoint(f"https://127.0.0.1:{listener.getsockname()[1]}")


def test_a_hung_timers_service_costs_at_most_the_api_timeout_and_the_rest_is_counted(
    hung_endpoint: HungEndpoint, settings
) -> None:
    """The production services (the SDK's client with the API timeout), against an endpoint that hangs."""
    hung_host = hung_endpoint.url.removeprefix("https://")
    allowed = (*settings.alexa_api_hosts, hung_host)
    client = create_app(settings.replace(api_timeout=0.3, alexa_api_hosts=allowed)).test_client()

    def send(body: dict[str, Any]) -> Answer:
        answer = client.post("/alexa", json=body)
        assert answer.status_code == 200
        return Answer(answer.status_code, answer.get_json())

    device = Device(send, hung_endpoint)
    to_the_first_long_rest(device)
    started = time.monotonic()
    counted = device.say("yes")
    assert time.monotonic() - started < 0.9
    assert "I couldn't set a timer here" in counted.speech and "Rest 2 and a half minutes" in counted.speech


def test_pausing_while_the_device_is_offline_keeps_the_timer_to_cancel_later(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    device = resting_on_a_timer(send, timers_api)
    [timer_id] = timers_api.timers
    timers_api.fail_with = Failure.UNAVAILABLE
    paused = device.say("pause")
    assert "Paused at the squat, set 2 of 3" in paused.speech and "rest timer" not in paused.speech
    assert saved(settings)["rest_timer"]["id"] == timer_id

    timers_api.fail_with = None
    device.say("stop")
    assert timers_api.requests("cancel", timer_id)
    assert timers_api.timers == {}
