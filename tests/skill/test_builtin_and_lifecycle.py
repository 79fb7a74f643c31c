"""Amazon's built-in intents, session lifecycle requests and the catch-alls, per the certification checklist."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import Send


def test_launch_welcomes_and_asks_a_question(send: Send) -> None:
    answer = send("launch")
    assert answer.ends_session is False
    assert answer.speech.endswith("?")
    assert answer.reprompt
    assert answer.attributes.get("pending") == "start"


def test_yes_after_launch_starts_the_default_leg_day(send: Send) -> None:
    launch = send("launch")
    started = send("yes", attributes=launch.attributes)
    assert "30 minute beginner leg day with dumbbells" in started.speech
    assert started.attributes["position"] == [0, 1]


def test_no_after_launch_says_goodbye(send: Send) -> None:
    launch = send("launch")
    answer = send("no", attributes=launch.attributes)
    assert answer.ends_session is True
    assert "Come back when you're ready" in answer.speech


@pytest.mark.parametrize("attributes", [None, "in_workout"])
def test_help_explains_and_asks_keeping_the_session_open(send: Send, attributes: str | None) -> None:
    if attributes:
        send("start_workout")
    answer = send("help")
    assert answer.ends_session is False
    assert answer.speech.endswith("?")
    assert answer.reprompt
    if attributes:
        assert "You're on the leg swing" in answer.speech
    else:
        assert "start leg day" in answer.speech


@pytest.mark.parametrize("request_name", ["stop", "cancel"])
def test_stop_and_cancel_end_cleanly(send: Send, request_name: str) -> None:
    answer = send(request_name)
    assert answer.ends_session is True
    assert answer.speech
    assert "reprompt" not in answer.response


def test_stop_mid_workout_says_where_it_is_saved(send: Send) -> None:
    send("start_workout")
    answer = send("stop")
    assert answer.ends_session is True
    assert "Your workout is saved at the leg swing" in answer.speech


def test_navigate_home_ends_quietly(send: Send) -> None:
    answer = send("navigate_home")
    assert answer.ends_session is True
    assert answer.ssml == ""


@pytest.mark.parametrize("request_name", ["fallback", "unknown_intent"])
def test_fallback_and_unknown_intents_steer_back_with_a_spoken_answer(send: Send, request_name: str) -> None:
    answer = send(request_name)
    assert answer.ends_session is False
    assert "I can coach you through leg day" in answer.speech
    assert answer.reprompt


def test_unknown_exercise_is_asked_again_not_crashed_on(send: Send) -> None:
    answer = send("exercise_info_unknown")
    assert "I don't know an exercise called burpee" in answer.speech
    assert answer.ends_session is False
    assert "how do I do a" in answer.reprompt


@pytest.mark.parametrize(
    "request_name",
    ["next", "repeat", "skip_exercise", "previous", "pause", "resume", "progress", "set_rest_seconds", "start_over"],
)
def test_workout_intents_without_a_workout_offer_to_start_one(send: Send, request_name: str) -> None:
    answer = send(request_name)
    assert answer.speech
    assert "error" not in answer.body
    if answer.ends_session is False:
        assert answer.reprompt
    assert "Sorry, something went wrong" not in answer.speech


def test_session_ended_is_answered_without_speech_and_logged(send: Send, caplog: pytest.LogCaptureFixture) -> None:
    send("start_workout")
    with caplog.at_level(logging.INFO):
        answer = send("session_ended")
    assert answer.response.get("outputSpeech") is None
    assert "session ended: USER_INITIATED" in caplog.text

    with caplog.at_level(logging.WARNING):
        send("session_ended_error")
    assert "INVALID_RESPONSE" in caplog.text


def test_session_ended_keeps_the_workout(send: Send) -> None:
    send("start_workout")
    send("session_ended")
    assert "You stopped at the leg swing" in send("launch").speech


def test_exception_encountered_gets_an_empty_answer(send: Send, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        answer = send("exception_encountered")
    assert answer.response.get("outputSpeech") is None
    assert "Invalid SSML Output Speech" in caplog.text
