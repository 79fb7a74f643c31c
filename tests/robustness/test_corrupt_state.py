"""Damaged saved state, written straight into the SQLite file, met through the HTTP endpoint.

Whatever the damage, the user hears why their workout is gone, can start a new one and finish it,
and the record saved afterwards reads back cleanly. Nothing crashes behind an apology.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.content import load_content
from skill.local import envelopes
from skill.local.conversation import Conversation, in_process
from skill.local.envelopes import Caller
from skill.local.nlu import default_matcher
from skill.ssml import plain_text
from skill.workout.progress import UserRecord
from tests.robustness.alexa_response import check_answer
from tests.robustness.conftest import ErrorLog, Harness, make_harness

RECOVERED = load_content().prompts.say("welcome.recovered")
FINISHED = {"date": "2026-11-20T18:00:00+00:00", "level": "beginner", "length": 15, "exercises": ["squat"],
            "sets": 3, "minutes": 14}


def real_record(harness: Harness) -> dict[str, Any]:
    """A record saved mid-workout by the skill itself."""
    saved, _ = harness.snapshots[3]
    record = json.loads(saved)
    assert record["workout"] is not None
    return record


def changed(change: Callable[[dict[str, Any]], None]) -> Callable[[Harness], str]:
    def build(harness: Harness) -> str:
        record = real_record(harness)
        change(record)
        return json.dumps(record)

    return build


def text(value: str) -> Callable[[Harness], str | bytes]:
    return lambda harness: value


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(*path: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


DAMAGE: dict[str, Callable[[Harness], str | bytes]] = {
    "not JSON": text("{this is not json"),
    "truncated JSON": lambda harness: json.dumps(real_record(harness))[:200],
    "empty text": text(""),
    "a JSON array": text("[1, 2, 3]"),
    "a JSON string": text('"leg day"'),
    "JSON null": text("null"),
    "an old format without a schema": text('{"currentExercise": 3, "setsDone": [3, 3, 1], "level": "beginner"}'),
    "an older schema number": changed(_set(("schema",), 0)),
    "a newer schema number": changed(_set(("schema",), 99)),
    "an exercise that no longer exists": changed(_set(("workout", "items", 2, "exercise_id"), "pistol_squat_deluxe")),
    "a plan item in no block": changed(_set(("workout", "items", 3, "block"), None)),
    "a position past the end": changed(_set(("workout", "position"), 99)),
    "a negative position": changed(_set(("workout", "position"), -1)),
    "a set number out of range": changed(_set(("workout", "set_number"), 40)),
    "a position that is text": changed(_set(("workout", "position"), "three")),
    "a workout that is a list": changed(_set(("workout",), [1, 2])),
    "items missing": changed(_drop("workout", "items")),
    "options we do not offer": changed(_set(("workout", "options", "level"), "olympic")),
    "a damaged last workout": changed(_set(("last",), {"date": "yesterday"})),
    "a last workout date that is not a time": changed(_set(("last",), {**FINISHED, "date": "yesterday"})),
    "a last workout date out of range in UTC": changed(_set(("last",), {**FINISHED, "date": "0001-01-01T00:00:00+01:00"})),
    "a set done that is not in the plan": changed(_set(("workout", "performed"), [{"at": 0, "exercise": "x", "set": 1}])),
    "a set done in an unknown unit": changed(_set(("workout", "performed"), [
        {"at": 0, "exercise": "leg_swing", "set": 1, "load": 5, "unit": "stone"}])),
    "a schema 1 history entry damaged": changed(lambda record: record.update(schema=1, history=[{"date": "yesterday"}])),
    "a schema 1 history that is a number": changed(lambda record: record.update(schema=1, history=7)),
    "a last turn time that is not a time": changed(_set(("workout", "last_turn_at"), "None")),
    "a start time that is a number": changed(_set(("workout", "started_at"), 12)),
    "a last workout that is a number": changed(_set(("last",), 7)),
    "infinite training time": lambda harness: json.dumps(real_record(harness)).replace(
        '"active_seconds":', '"active_seconds": Infinity, "was":'),
    "a number too big for a float": lambda harness: json.dumps(real_record(harness)).replace(
        '"active_seconds":', '"active_seconds": 1e400, "was":'),
    "an integer with 5000 digits": lambda harness: json.dumps(real_record(harness)).replace(
        '"active_seconds":', '"active_seconds": ' + "9" * 5000 + ', "was":'),
    "JSON nested 5000 deep": text("[" * 5000 + "]" * 5000),
    "bytes that are not UTF-8": lambda harness: b"\xff\xfe\x00garbage",
}


def write_row(db: Path, user_id: str, value: str | bytes) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO user_attributes (user_id, attributes, updated_at) VALUES (?, ?, '2024-01-01') "
            "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes",
            (user_id, value),
        )
    connection.close()


@pytest.fixture(scope="module")
def store_harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return make_harness(tmp_path_factory.mktemp("corrupt"))


def user_for(name: str) -> str:
    return "amzn1.ask.account.CORRUPT-" + "".join(ch if ch.isalnum() else "-" for ch in name)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_state_is_explained_on_launch_and_the_user_starts_again(
    store_harness: Harness, error_log: ErrorLog, damage: str
) -> None:
    harness = store_harness
    user = user_for(damage)
    write_row(harness.store.path, user, DAMAGE[damage](harness))
    error_log.failures.clear()

    conversation = Conversation(in_process(harness.app), default_matcher(), Caller(user_id=user))
    _, welcome = conversation.say("open leg day coach")
    check_answer(200, json.dumps(welcome.response).encode())
    assert RECOVERED in welcome.speech
    assert not welcome.ends_session

    _, start = conversation.say("start a fifteen minute beginner leg day")
    assert start.session_attributes.get("position") == [0, 1], start.speech
    turns = 0
    exchange = start
    while not exchange.ends_session:
        _, exchange = conversation.say("done")
        turns += 1
        assert turns < 40, "the workout never ended"
    assert "leg day done" in exchange.speech.lower()

    record = UserRecord.from_dict(json.loads(harness.store.read(user) or "{}"), load_content())
    assert record.workout is None
    assert len(record.history) == 1 and record.history[0].level == "beginner"
    assert error_log.failures == []


@pytest.mark.parametrize("damage", ["not JSON", "an exercise that no longer exists"])
@pytest.mark.parametrize("utterance", ["done", "how far along am I"])
def test_damaged_state_met_mid_session_is_explained_too(
    store_harness: Harness, error_log: ErrorLog, damage: str, utterance: str
) -> None:
    """A one-shot "tell leg day coach done" after the damage must say why the workout is gone."""
    harness = store_harness
    user = user_for(f"{damage}-{utterance}")
    write_row(harness.store.path, user, DAMAGE[damage](harness))
    error_log.failures.clear()
    meaning = default_matcher().understand(utterance)
    caller = Caller(user_id=user)
    caller.start_session()
    caller.new_session = False
    caller.attributes = {"position": [3, 1]}
    declared = tuple(default_matcher().model.intents[meaning.intent].slots) if meaning.intent else ()
    request = envelopes.intent_request(meaning.intent or "AMAZON.FallbackIntent", meaning.slots, declared)
    answer = harness.client.post("/alexa", json=envelopes.envelope(caller, request))
    body = check_answer(answer.status_code, answer.get_data())
    assert answer.status_code == 200
    assert RECOVERED in plain_text(body["response"]["outputSpeech"]["ssml"])
    assert error_log.failures == []
    # The damage is gone: the next request reads a clean record.
    UserRecord.from_dict(json.loads(harness.store.read(user) or "{}"), load_content())


def test_a_workout_saved_without_its_times_goes_on(store_harness: Harness, error_log: ErrorLog) -> None:
    """Times left empty are not damage: the workout is kept, and the next turn fills them in."""
    harness = store_harness
    user = user_for("no times")
    record = real_record(harness)
    record["workout"].update(started_at=None, last_turn_at=None)
    record["last"] = FINISHED
    write_row(harness.store.path, user, json.dumps(record))
    error_log.failures.clear()

    conversation = Conversation(in_process(harness.app), default_matcher(), Caller(user_id=user))
    _, welcome = conversation.say("open leg day coach")
    assert RECOVERED not in welcome.speech
    _, done = conversation.say("done")
    assert "Sorry" not in done.speech
    saved = UserRecord.from_dict(json.loads(harness.store.read(user) or "{}"), load_content())
    assert saved.workout is not None and saved.workout.last_turn_at and saved.workout.total_sets_done > 0
    assert error_log.failures == []


def test_a_damaged_summary_costs_the_summary_not_the_workout(store_harness: Harness, error_log: ErrorLog) -> None:
    """The summary is derived from the log: damage to it starts a new one, the workout goes on."""
    harness = store_harness
    user = user_for("damaged summary")
    record = real_record(harness)
    record["summary"] = {"workouts": "lots", "streak": {"week": "someday"}}
    write_row(harness.store.path, user, json.dumps(record))
    error_log.failures.clear()

    conversation = Conversation(in_process(harness.app), default_matcher(), Caller(user_id=user))
    _, welcome = conversation.say("open leg day coach")
    assert RECOVERED not in welcome.speech
    exchange = welcome
    _, exchange = conversation.say("yes")
    while not exchange.ends_session:
        _, exchange = conversation.say("done")
    assert "leg day done" in exchange.speech.lower()
    saved = UserRecord.from_dict(json.loads(harness.store.read(user) or "{}"), load_content())
    with sqlite3.connect(harness.store.path) as connection:  # the summary is kept apart from the record
        (summary,) = connection.execute("SELECT body FROM training_summary WHERE owner = ?", (user,)).fetchone()
    connection.close()
    assert json.loads(summary)["workouts"] == 1 and saved.last_workout is not None
    assert error_log.failures == []
