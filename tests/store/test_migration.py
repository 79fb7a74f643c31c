"""State saved by the previous version loads, and becomes the new shape on its next write.

SQLite files keep their table (``user_attributes``, with or without the ``revision`` column) and
gain the log tables. DynamoDB items written by the ASK SDK's adapter hold the record as a map
under ``attributes`` and no revision: they read as revision 1, and the next save, conditional on
the item still having no revision, writes the new shape.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_app
from skill.config import Settings
from skill.store import make_store
from skill.store.dynamodb import LEGACY_REVISION
from skill.store.records import NO_RECORD, CorruptAttributes, Owner, StaleRecord
from skill.store.sqlite import SQLiteStore
from tests.conftest import read_request, with_changes
from tests.store.conftest import workout

ME = Owner("amzn1.ask.account.ME")
# A record as the previous version saved it (schema 1, one finished workout in its history).
SAVED_BEFORE = {"schema": 1, "history": [{"date": "2026-11-20", "level": "beginner", "sets": 12, "minutes": 28}],
                "last_options": {"level": "beginner", "length": 30, "equipment": "dumbbells"}, "rest": 1.5}


@pytest.mark.parametrize("with_revisions", [True, False], ids=["with revisions", "before revisions"])
def test_a_sqlite_file_saved_by_the_previous_version_loads_and_carries_on(tmp_path: Path, with_revisions: bool) -> None:
    path = tmp_path / "legday.sqlite3"
    with sqlite3.connect(path) as connection:
        revision_column = ", revision INTEGER NOT NULL DEFAULT 7" if with_revisions else ""
        connection.execute("CREATE TABLE user_attributes (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL, "
                           f"updated_at TEXT NOT NULL{revision_column})")
        connection.execute("INSERT INTO user_attributes (user_id, attributes, updated_at) VALUES (?, ?, ?)",
                           (ME.key, json.dumps(SAVED_BEFORE), "2026-11-20T10:00:00+00:00"))

    store, second_worker = SQLiteStore(path), SQLiteStore(path)
    loaded = store.load(ME)
    assert loaded.attributes == SAVED_BEFORE and loaded.revision == (7 if with_revisions else 1)
    revision = store.save(ME, {"schema": 2}, based_on=loaded.revision, log=[workout(20)])
    assert second_worker.load(ME).attributes == {"schema": 2} and revision == loaded.revision + 1
    assert second_worker.log_page(ME) == [workout(20).body]


@pytest.mark.slow
def test_a_dynamodb_item_saved_by_the_sdk_adapter_loads_and_migrates_on_its_next_write(
    dynamodb_settings: Settings, progress_table: Any
) -> None:
    store, other_worker = make_store(dynamodb_settings), make_store(dynamodb_settings)
    # What the ASK SDK's DynamoDbAdapter wrote: the record as a map (numbers as Decimal), no revision.
    progress_table.put_item(Item={"id": ME.key, "attributes": json.loads(json.dumps(SAVED_BEFORE),
                                                                          parse_float=Decimal)})
    loaded = store.load(ME)
    assert loaded.attributes == SAVED_BEFORE and loaded.revision == LEGACY_REVISION
    assert type(loaded.attributes["rest"]) is float and type(loaded.attributes["history"][0]["sets"]) is int

    revision = store.save(ME, {"schema": 2}, based_on=loaded.revision, log=[workout(20)])
    item = progress_table.get_item(Key={"id": ME.key}, ConsistentRead=True)["Item"]
    assert "attributes" not in item and json.loads(item["record"]) == {"schema": 2} and item["revision"] == revision
    assert revision != LEGACY_REVISION
    with pytest.raises(StaleRecord):  # a second device worked out its turn on the old item too
        other_worker.save(ME, {"schema": 2, "late": True}, based_on=LEGACY_REVISION)
    with pytest.raises(StaleRecord):
        other_worker.save(ME, {"schema": 2, "new": True}, based_on=NO_RECORD)
    assert other_worker.load(ME).attributes == {"schema": 2}
    assert other_worker.log_page(ME) == [workout(20).body]


@pytest.mark.slow
def test_a_legacy_item_that_is_not_a_map_is_reported_with_its_revision(
    dynamodb_settings: Settings, progress_table: Any
) -> None:
    progress_table.put_item(Item={"id": ME.key, "attributes": "not a map"})
    with pytest.raises(CorruptAttributes) as raised:
        make_store(dynamodb_settings).load(ME)
    assert raised.value.revision == LEGACY_REVISION


def test_a_record_that_is_not_json_is_reported_with_its_revision(store: Any, store_settings: Settings,
                                                                  progress_table_or_file: Any) -> None:
    revision = store.save(ME, {"ok": True}, based_on=NO_RECORD)
    progress_table_or_file(ME.key, "{not json")
    with pytest.raises(CorruptAttributes) as raised:
        make_store(store_settings).load(ME)
    assert raised.value.revision in (revision, revision + 1)
    # The turn that recovers from it saves over the damaged record at that revision.
    assert make_store(store_settings).save(ME, {"recovered": True}, based_on=raised.value.revision)


# A record exactly as the previous release wrote it (schema 2): a workout under way, one finished
# before it, and the summary of the log inside the record, read and written on every turn then.
RELEASE_RECORD = Path(__file__).with_name("previous_release_record.json")
RELEASE_USER = "amzn1.ask.account.PREVIOUS-RELEASE"


def save_as_the_previous_release(settings: Settings, record: dict[str, Any]) -> None:
    """Put ``record`` in the store as the previous release left it (its SQLite table had no summary column)."""
    text = json.dumps(record, separators=(",", ":"))
    if settings.store == "sqlite":
        settings.database_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(settings.database_path) as connection:
            connection.execute("CREATE TABLE user_attributes (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL, "
                               "updated_at TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 41)")
            connection.execute("INSERT INTO user_attributes (user_id, attributes, updated_at) VALUES (?, ?, ?)",
                               (RELEASE_USER, text, "2026-11-28T07:08:00+00:00"))
        connection.close()
        return
    import boto3

    table = boto3.resource("dynamodb", endpoint_url=settings.dynamodb_endpoint).Table(settings.dynamodb_table)
    table.put_item(Item={"id": RELEASE_USER, "record": text, "revision": 41, "updated_at": "2026-11-28T07:08:00+00:00"})


def test_a_record_with_the_summary_inside_moves_it_apart_and_carries_on(store_settings: Settings) -> None:
    record = json.loads(RELEASE_RECORD.read_text(encoding="utf-8"))
    assert record["schema"] == 2 and record["summary"]["workouts"] == 1 and record["workout"]["performed"]
    save_as_the_previous_release(store_settings, record)
    client = create_app(store_settings).test_client()
    owner = Owner(RELEASE_USER)

    def say(name: str, attributes: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = client.post("/alexa", json=with_changes(read_request(name), user_id=RELEASE_USER,
                                                        attributes=attributes or {}))
        assert answer.status_code == 200
        return answer.get_json()

    resumed = say("set_done")
    assert "Sorry" not in json.dumps(resumed["response"]) and resumed["response"]["shouldEndSession"] is False
    store = make_store(store_settings)
    loaded = store.load(owner)
    assert "summary" not in loaded.attributes, "moved out of the record with its first save"
    assert store.load_summary(owner, loaded.summary_at) == record["summary"], "and kept apart, as it was"
    assert sum(loaded.attributes["workout"]["sets_done"]) == sum(record["workout"]["sets_done"]) + 1
    assert loaded.attributes["last"] == record["last"]

    last = resumed
    while last["response"]["shouldEndSession"] is False:
        last = say("set_done", last["sessionAttributes"])
    finished = make_store(store_settings).load(owner)
    summary = make_store(store_settings).load_summary(owner, finished.summary_at)
    assert finished.attributes["workout"] is None and summary is not None
    assert summary["workouts"] == 2, "the workout finished now is counted on top of the one before"
    (entry,) = store.log_page(owner)
    assert entry["set_count"] == sum(item["sets"] for item in record["workout"]["items"])
    assert [(logged["exercise"], logged["set"]) for logged in entry["sets"][:3]] == [
        (logged["exercise"], logged["set"]) for logged in record["workout"]["performed"]], "its sets done before"
