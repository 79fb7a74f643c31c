"""Requests the skill does not serve get HTTP 200 and a valid, empty response on both entry points:
no speech, no reprompt, no card, no directives, no session flag; one log line; no record read or
written. Alexa rejects speech or an open session in answer to these (INVALID_RESPONSE)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ask_sdk_model.request import Request

from intents.state import TURN_REQUESTS
from intents.unserved import RequestTypes, UnknownRequest, read_unknown_types
from tests.conftest import read_request
from tests.skill.conftest import Entry

# Real request shapes (Amazon's request reference), as tests/requests holds them.
UNSERVED_SAMPLES = [
    "audio_player_playback_started", "audio_player_playback_finished", "audio_player_playback_stopped",
    "audio_player_playback_nearly_finished", "audio_player_playback_failed",
    "playback_controller_play", "playback_controller_pause", "playback_controller_next",
    "playback_controller_previous",
    "household_list_items_created", "messaging_message_received", "game_engine_input_handler_event",
    "skill_enabled", "skill_permission_changed", "skill_disabled_persisted",
]
# Every request type the SDK's model knows that is not a turn (CanFulfillIntentRequest has its own
# answer; SessionEndedRequest and System.ExceptionEncountered their own tests too, and are here).
KNOWN_TYPES = sorted(set(Request.discriminator_value_class_map) - TURN_REQUESTS - {"CanFulfillIntentRequest"})


def empty_answer(body: dict[str, Any]) -> dict[str, Any]:
    """The one answer an unserved request may get: the version and an empty response (and, in a
    session, its attributes as they came)."""
    expected: dict[str, Any] = {"version": "1.0", "response": {}}
    if "session" in body:
        expected["sessionAttributes"] = body["session"].get("attributes") or {}
    return expected


def without_user_agent(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("userAgent", "").startswith("ask-python/")
    return {key: value for key, value in answer.items() if key != "userAgent"}


def assert_unserved(entry: Entry, body: dict[str, Any]) -> None:
    answer = entry.send(body)
    assert without_user_agent(answer) == empty_answer(body)
    assert len(entry.logged) == 1, [record.getMessage() for record in entry.logged]
    assert not entry.store.calls, f"the store was used: {dict(entry.store.calls)}"


@pytest.mark.parametrize("sample", UNSERVED_SAMPLES)
def test_a_request_the_skill_does_not_serve_gets_an_empty_answer(entry: Entry, sample: str) -> None:
    assert_unserved(entry, read_request(sample))


@pytest.mark.parametrize("kind", KNOWN_TYPES)
def test_every_request_type_that_is_not_a_turn_gets_an_empty_answer(entry: Entry, kind: str) -> None:
    body = read_request("playback_controller_play")
    body["request"] = {**body["request"], "type": kind}
    answer = entry.send(body)
    assert without_user_agent(answer) == empty_answer(body)
    assert not entry.store.calls


@pytest.mark.parametrize("in_session", [False, True], ids=["sessionless", "in-session"])
def test_a_request_type_alexa_added_after_the_sdk_gets_an_empty_answer(entry: Entry, in_session: bool) -> None:
    body = read_request("game_engine_input_handler_event" if in_session else "playback_controller_play")
    body["request"] = {**body["request"], "type": "Alexa.Future.SomethingHappened",
                       "payload": {"detail": [1, 2, 3]}}
    assert_unserved(entry, body)
    assert entry.logged[0].getMessage() == "not served, answered without speech: Alexa.Future.SomethingHappened"


def test_an_unserved_request_in_a_session_keeps_its_attributes_as_they_came(entry: Entry) -> None:
    body = read_request("game_engine_input_handler_event")
    body["session"]["attributes"] = {"position": [3, 2], "revision": 7}
    assert_unserved(entry, body)


def test_a_spoken_request_still_gets_speech_and_an_unknown_intent_the_fallback(entry: Entry) -> None:
    # The line between the two: turns speak (here the catch-all's fallback), everything else does not.
    answer = entry.send(read_request("unknown_intent"))
    assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert answer["response"]["shouldEndSession"] is False


def test_unknown_types_read_as_unknown_requests_and_known_ones_as_before() -> None:
    read_unknown_types()
    table = Request.discriminator_value_class_map
    assert isinstance(table, RequestTypes)
    assert table.get("LaunchRequest") == "ask_sdk_model.launch_request.LaunchRequest"
    assert table.get("Alexa.Future.SomethingHappened") == f"{UnknownRequest.__module__}.UnknownRequest"
    # A missing or odd type is still refused, as the SDK refuses it.
    assert table.get("") is None and table.get(None) is None and table.get(7) is None
    # The SDK still looks a request's class up through this table, by the request's type.
    assert Request.get_real_child_model({"type": "Alexa.Future.SomethingHappened"}) == table.get(
        "Alexa.Future.SomethingHappened")


def test_a_missing_request_type_is_still_refused_with_a_reason(client: Any) -> None:
    body = copy.deepcopy(read_request("playback_controller_play"))
    del body["request"]["type"]
    answer = client.post("/alexa", json=body)
    assert answer.status_code == 400
    assert "not an Alexa request" in answer.get_json()["error"]


def test_a_request_is_judged_by_its_type_not_by_a_key_that_overwrites_it(entry: Entry) -> None:
    # The SDK keeps unknown JSON keys as attributes, so "object_type" can overwrite the type it read.
    event = read_request("audio_player_playback_started")
    event["request"]["object_type"] = "LaunchRequest"
    assert without_user_agent(entry.send(event)) == empty_answer(event)
    assert not entry.store.calls
    cancel = read_request("cancel")
    cancel["request"]["object_type"] = True
    answer = entry.send(cancel)
    assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert not any(record.levelname == "ERROR" for record in entry.logged)
