"""Envelopes shaped as real devices send them: a screen's Viewport and Viewports, APL Extensions, an
AudioPlayer in context, System.unit, a recognised System.person, the eu and fe API endpoints, and
requests outside any session. Every answer is a response Alexa accepts (never a 5xx, nothing
failing behind an apology), and only a turn of a conversation speaks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from skill.config import Settings
from skill.lambda_function import make_handler
from skill.local.envelopes import API_ENDPOINTS, Device, sessionless
from tests.conftest import read_request, with_changes
from tests.deploy.conftest import as_lambda
from tests.robustness.alexa_response import check_answer, check_response_envelope, check_speech_is_allowed
from tests.robustness.conftest import ErrorLog, Harness

DEVICES = {
    "viewport": Device(viewport=True),
    "viewports": Device(viewports=True),
    "extensions": Device(extensions=True),
    "audio-player-idle": Device(audio_player="IDLE"),
    "audio-player-playing": Device(audio_player="PLAYING"),
    "unit": Device(unit=True),
    "person": Device(person_id="amzn1.ask.person.REALWORLD"),
    "eu": Device(api_endpoint=API_ENDPOINTS[1]),
    "fe": Device(api_endpoint=API_ENDPOINTS[2]),
    "echo-show-in-europe": Device(viewport=True, viewports=True, extensions=True, audio_player="STOPPED",
                                  unit=True, person_id="amzn1.ask.person.REALWORLD", api_endpoint=API_ENDPOINTS[1]),
}
REQUESTS = [
    "launch", "launch_person", "start_workout_advanced_barbell", "set_done", "exercise_info_lunge", "help",
    "rest_timer", "timer_permission_answer", "screen_touch_done", "stop", "unknown_intent", "session_ended",
    "exception_encountered", "audio_player_playback_started", "audio_player_playback_failed",
    "playback_controller_next", "household_list_items_created", "messaging_message_received",
    "game_engine_input_handler_event", "can_fulfill_start_workout", "can_fulfill_exercise_info",
    "skill_enabled", "skill_disabled_persisted",
]


def post(harness: Harness, body: dict[str, Any]) -> dict[str, Any]:
    answer = harness.client.post("/alexa", data=json.dumps(body), content_type="application/json")
    checked = check_answer(answer.status_code, answer.get_data())
    assert answer.status_code == 200, checked
    return checked


@pytest.mark.parametrize("device", sorted(DEVICES))
@pytest.mark.parametrize("sample", REQUESTS)
@pytest.mark.parametrize("in_session", [True, False], ids=["as-sent", "sessionless"])
def test_real_world_envelopes_get_a_valid_answer_and_speak_only_in_a_turn(
    harness: Harness, error_log: ErrorLog, device: str, sample: str, in_session: bool
) -> None:
    body = read_request(sample)
    if "user" in body["context"]["System"]:  # one user per device, so saved workouts do not mix
        body = with_changes(body, user_id=f"amzn1.ask.account.RW-{device}")
    body = DEVICES[device].dress(body)
    if not in_session:
        body = sessionless(body)
    error_log.failures.clear()
    answer = post(harness, body)
    check_speech_is_allowed(body["request"]["type"], answer)
    if "canFulfillIntent" in answer["response"]:
        assert set(answer["response"]) == {"canFulfillIntent"}
    assert error_log.failures == []


def test_the_dressed_envelopes_carry_what_real_devices_send() -> None:
    # The parts land where Alexa puts them, so the checks above really cover them.
    body = DEVICES["echo-show-in-europe"].dress(read_request("launch"))
    context = body["context"]
    assert {"Viewport", "Viewports", "Extensions", "AudioPlayer", "System"} <= set(context)
    assert context["System"]["apiEndpoint"] == "https://api.eu.amazonalexa.com"
    assert context["System"]["unit"]["unitId"] and context["System"]["person"]["personId"]
    assert {"AudioPlayer", "Alexa.Presentation.APL"} <= set(context["System"]["device"]["supportedInterfaces"])
    assert "session" in body and "session" not in sessionless(body)


@pytest.mark.parametrize("sample", REQUESTS)
def test_lambda_answers_real_world_envelopes_alike(tmp_path: Any, sample: str) -> None:
    on_lambda = as_lambda(make_handler(Settings(data_dir=tmp_path, verify_requests=False)))
    for device in ("echo-show-in-europe", "fe"):
        body = DEVICES[device].dress(read_request(sample))
        answer = on_lambda(body)
        check_response_envelope(answer, len(json.dumps(answer).encode()))
        check_speech_is_allowed(body["request"]["type"], answer)
