"""Rest timers that bring you back: the timer offers to carry on (LAUNCH_TASK), and Alexa's launch with the task
resumes the workout at the next set. Real envelopes through the endpoint; the Timers service an in-memory fake."""

from __future__ import annotations

import json
from pathlib import Path

from skill.content import load_content
from skill.conversation.rests import RESUME_TASK, RESUME_TASK_VERSION
from tests.conftest import Send, read_request, with_changes
from tests.timers.conftest import on_device
from tests.timers.fake import FakeTimers as FakeTimersApi
from tests.timers.test_rest_timers import Device, resting_on_a_timer, saved, to_the_first_long_rest

PROMPTS = load_content().prompts
PACKAGE = Path(__file__).resolve().parents[2] / "intents" / "skill-package"
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def test_a_rest_timer_offers_to_carry_on_with_the_next_set(send: Send, timers_api: FakeTimersApi) -> None:
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    created = device.say("yes")
    [call] = timers_api.requests("create")
    task = call.timer.resume_task
    assert (task.name, task.version) == (RESUME_TASK, RESUME_TASK_VERSION)
    assert task.confirm == "Rest over. Next up: squat, set 2 of 3. Shall Leg Day Coach carry on?"
    assert call.access.skill_id == SKILL_ID  # the adapter names the task "<skill id>.ResumeWorkout"
    assert PROMPTS.say("rest_task.until_then") in created.speech
    assert created.ends_session is True


def test_yes_when_the_timer_goes_off_launches_the_task_and_resumes_at_the_next_set(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    resting_on_a_timer(send, timers_api)
    before = saved(settings)
    assert before["rest_timer"] is not None

    launched = send(on_device("launch_rest_task", timers_api, new=True))
    assert any(launched.speech.startswith(back) for back in PROMPTS.variants("rest_task.back"))
    assert "Squat: 3 sets" in launched.speech and "Set 2 of 3." in launched.speech
    assert not any(welcome in launched.speech for welcome in PROMPTS.variants("welcome.first"))
    assert launched.ends_session is False and launched.reprompt
    after = saved(settings)
    assert after["rest_timer"] is None  # it went off: nothing left to cancel
    assert [after["workout"]["position"], after["workout"]["set_number"]] == \
        [before["workout"]["position"], before["workout"]["set_number"]]
    assert timers_api.requests("cancel") == [] and timers_api.requests("cancel_all") == []


def test_the_task_launch_without_a_workout_offers_to_start_one(send: Send, timers_api: FakeTimersApi) -> None:
    launched = send(on_device("launch_rest_task", timers_api, new=True))
    assert PROMPTS.say("welcome.ask_start") in launched.speech
    assert launched.ends_session is False


def test_a_plain_launch_is_still_welcomed(send: Send, timers_api: FakeTimersApi) -> None:
    body = read_request("launch_rest_task")
    body["request"]["task"]["name"] = f"{SKILL_ID}.SomethingElse"
    launched = send(with_changes(body, new=True))
    assert any(welcome in launched.speech for welcome in PROMPTS.variants("welcome.first"))


def test_where_a_timer_cannot_launch_the_task_it_announces_and_nothing_more_is_said(
    send: Send, timers_api: FakeTimersApi, settings
) -> None:
    timers_api.refuse_tasks = True
    device = Device(send, timers_api)
    to_the_first_long_rest(device)
    created = device.say("yes")
    with_task, announcing = timers_api.requests("create")
    assert with_task.timer.resume_task is not None and announcing.timer.resume_task is None
    assert announcing.timer.announcement.startswith("Rest over. Squat, set 2 of 3")
    assert PROMPTS.say("timer.until_then") in created.speech
    assert PROMPTS.say("rest_task.until_then") not in created.speech
    assert PROMPTS.say("timer.unavailable") not in created.speech
    [timer_id] = timers_api.timers
    assert saved(settings)["rest_timer"]["id"] == timer_id


def test_the_manifest_declares_the_task_and_the_package_defines_it() -> None:
    manifest = json.loads((PACKAGE / "skill.json").read_text(encoding="utf-8"))["manifest"]
    assert {"name": RESUME_TASK, "version": RESUME_TASK_VERSION} in manifest["apis"]["custom"]["tasks"]
    assert {"name": "alexa::alerts:reminders:skill:readwrite"} in manifest["permissions"]
    definition = json.loads((PACKAGE / "tasks" / f"{RESUME_TASK}.{RESUME_TASK_VERSION}.json").read_text(encoding="utf-8"))
    assert definition["openapi"].startswith("3.") and definition["info"]["version"] == RESUME_TASK_VERSION
    assert list(definition["paths"]) == [f"/{RESUME_TASK}"]
    assert "post" in definition["paths"][f"/{RESUME_TASK}"]
