"""A turn's save writes one page: a mid-workout record fits in one page of a new SQLite file.

On 4 KB pages a record over about 4 KB overflowed into a page of its own, and every save freed
that page and took it again: four pages written to the WAL per turn instead of one.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from skill.content import load_content
from skill.store.records import NO_RECORD, Owner
from skill.store.sqlite import PAGE_SIZE, SQLiteStore
from skill.workout.plan import PlanOptions, build_plan
from skill.workout.progress import UserRecord, Workout

ME = Owner("amzn1.ask.account.ME")
# What SQLite writes to the WAL per page: a frame header, then the page.
FRAME_HEADER = 24


def mid_workout_record() -> dict[str, Any]:
    """A long plan well under way, with the two kept answers: the biggest a live record gets."""
    options = PlanOptions("advanced", 45, "barbell")
    record = UserRecord(workout=Workout(options=options, items=build_plan(options, load_content())))
    for _ in range(12):
        record.workout.complete_set(reps=5, load=100.0, unit="kg")
    answer = json.dumps({"outputSpeech": {"type": "SSML", "ssml": "<speak>" + "Squat, set two. " * 70 + "</speak>"}})
    record.answers = [{"id": f"req-{n}", "at": "2026-11-28T08:00:00+00:00", "text": answer, "session": {}}
                      for n in range(2)]
    return record.to_dict()


def wal_bytes(path: Path) -> int:
    return path.with_name(path.name + "-wal").stat().st_size


def test_a_turns_save_writes_one_page_of_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "legday.sqlite3"
    store = SQLiteStore(path)
    record = mid_workout_record()
    assert 4_500 < len(json.dumps(record, separators=(",", ":"))) < 8_000, "bigger than a 4 KB page"
    revision = store.save(ME, record, based_on=NO_RECORD)
    before = wal_bytes(path)
    for turn in range(3):
        revision = store.save(ME, {**record, "turn": turn}, based_on=revision)
    assert wal_bytes(path) - before == 3 * (FRAME_HEADER + PAGE_SIZE), "one page per save"
    assert store.load(ME).attributes == {**record, "turn": 2}


def test_a_file_made_with_smaller_pages_keeps_them_and_works_as_before(tmp_path: Path) -> None:
    path = tmp_path / "legday.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA page_size=4096")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE user_attributes (user_id TEXT PRIMARY KEY, attributes TEXT NOT NULL, "
                           "updated_at TEXT NOT NULL)")
        connection.execute("INSERT INTO user_attributes VALUES (?, ?, ?)",
                           (ME.key, json.dumps({"schema": 2}), "2026-11-28T07:00:00+00:00"))
    connection.close()
    store = SQLiteStore(path)
    loaded = store.load(ME)
    record = mid_workout_record()
    revision = store.save(ME, record, based_on=loaded.revision)
    assert SQLiteStore(path).load(ME, seen=None).attributes == record and revision == loaded.revision + 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA page_size").fetchone() == (4096,)
    connection.close()
