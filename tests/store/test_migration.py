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

from skill.config import Settings
from skill.store import make_store
from skill.store.dynamodb import LEGACY_REVISION
from skill.store.records import NO_RECORD, CorruptAttributes, Owner, StaleRecord
from skill.store.sqlite import SQLiteStore
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
