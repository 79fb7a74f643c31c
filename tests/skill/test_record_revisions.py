"""Revisions through the endpoint: a session's turns skip the read when their worker holds the record,
and a save based on an old copy (another device, another worker) is refused, never written over
newer progress. Two apps on one data folder stand for two server workers. What every store does
with revisions on its own is proved by the store contract suite (tests/store)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from skill.store.records import REVISION_KEY
from tests.conftest import Answer, read_request, with_changes

USER = "amzn1.ask.account.LOCAL-DEVELOPER"


def post(app: Flask, request: str, **changes: Any) -> Answer:
    answer = app.test_client().post("/alexa", json=with_changes(read_request(request), **changes))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return Answer(answer.status_code, answer.get_json())


def stored(settings: Settings) -> tuple[dict[str, Any], int]:
    with sqlite3.connect(settings.database_path) as connection:
        text, revision = connection.execute(
            "SELECT attributes, revision FROM user_attributes WHERE user_id = ?", (USER,)
        ).fetchone()
    return json.loads(text), revision


def sets_done(settings: Settings) -> int:
    return sum(stored(settings)[0]["workout"]["sets_done"])


def said_done(app: Flask, session: str, last: Answer) -> Answer:
    return post(app, "set_done", new=False, session_id=session, attributes=last.attributes)


@pytest.fixture
def workers(settings: Settings) -> tuple[Flask, Flask]:
    return create_app(settings), create_app(settings)


def test_each_turn_hands_the_session_the_revision_it_saved(settings: Settings, workers: tuple[Flask, Flask]) -> None:
    worker, _ = workers
    started = post(worker, "start_workout", session_id="s1")
    first = started.attributes[REVISION_KEY]
    assert first == stored(settings)[1] and type(first) is int and 0 < first < 2**53
    done = said_done(worker, "s1", started)
    assert done.attributes[REVISION_KEY] == stored(settings)[1] == first + 1
    asked = post(worker, "progress", new=False, session_id="s1", attributes=done.attributes)
    assert asked.attributes[REVISION_KEY] == stored(settings)[1]


def test_a_session_moving_between_workers_always_goes_on_from_the_latest_progress(
    settings: Settings, workers: tuple[Flask, Flask]
) -> None:
    first, second = workers
    last = post(first, "start_workout", session_id="s1")
    for turn in range(6):
        last = said_done((second, first)[turn % 2], "s1", last)
        assert sets_done(settings) == turn + 1
        assert last.attributes[REVISION_KEY] == stored(settings)[1]
    assert "Sorry" not in last.speech


def test_two_devices_at_once_never_count_a_set_twice(settings: Settings, workers: tuple[Flask, Flask]) -> None:
    kitchen, gym = workers
    started = post(kitchen, "start_workout", session_id="kitchen")
    first = started.attributes[REVISION_KEY]
    # The gym device's session saw the same record; its "done" lands first, on the other worker.
    said_done(gym, "gym", started)
    assert sets_done(settings) == 1

    refused = said_done(kitchen, "kitchen", started)
    assert "changed on another device" in refused.speech
    assert refused.ends_session is False and refused.reprompt
    assert sets_done(settings) == 1, "the turn worked out on the old copy was not applied"
    assert stored(settings)[1] == first + 1

    again = said_done(kitchen, "kitchen", refused)
    assert "Sorry" not in again.speech and "another device" not in again.speech
    assert sets_done(settings) == 2
    assert again.attributes[REVISION_KEY] == stored(settings)[1] == first + 2


def test_a_file_from_before_revisions_is_upgraded_and_its_progress_kept(tmp_path: Path) -> None:
    earlier = Settings(data_dir=tmp_path / "earlier", verify_requests=False)
    post(create_app(earlier), "start_workout", session_id="s1")
    record, _ = stored(earlier)
    settings = Settings(data_dir=tmp_path / "data", verify_requests=False)
    settings.database_path.parent.mkdir(parents=True)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute("CREATE TABLE user_attributes (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL, "
                           "updated_at TEXT NOT NULL)")
        connection.execute("INSERT INTO user_attributes VALUES (?, ?, '2026-01-01')", (USER, json.dumps(record)))

    upgraded = create_app(settings)
    resumed = post(upgraded, "set_done", session_id="s2")
    assert "Sorry" not in resumed.speech
    assert stored(settings)[1] == 2 and sets_done(settings) == 1, "the upgraded row started at revision 1"
    create_app(settings)  # a second worker finds the column already there
