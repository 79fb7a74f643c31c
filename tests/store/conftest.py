"""Every store, one contract: each test here runs on SQLite (a file) and on DynamoDB (a moto server)."""

from __future__ import annotations

from collections.abc import Callable
import sqlite3
from pathlib import Path

import pytest

from skill.config import Settings
from skill.store import make_store
from skill.store.records import LogItem, RecordStore

OpenStore = Callable[[], RecordStore]


@pytest.fixture(params=["sqlite", pytest.param("dynamodb", marks=pytest.mark.slow)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings naming one store, fresh and empty."""
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data", verify_requests=False)
    settings: Settings = request.getfixturevalue("dynamodb_settings")
    return settings


@pytest.fixture
def open_store(store_settings: Settings) -> OpenStore:
    """Opens the store as another worker would: same data, its own connections and memory."""
    return lambda: make_store(store_settings)


@pytest.fixture
def store(open_store: OpenStore) -> RecordStore:
    return open_store()


def workout(day: int, workout_id: str | None = None, *, exercises: tuple[str, ...] = ("squat", "lunge"),
            hour: int = 10) -> LogItem:
    """A finished workout on day ``day`` of November 2026 with a set of each exercise."""
    finished_at = f"2026-11-{day:02d}T{hour:02d}:15:00+00:00"
    workout_id = workout_id or f"w{day:02d}{hour:02d}"
    sets = {name: {"exercise": name, "sets": [{"reps": 8 + day % 3, "load": 20.5 + day, "unit": "kg"}]}
            for name in exercises}
    body = {"finished_at": finished_at, "workout_id": workout_id, "level": "beginner",
            "exercises": [sets[name] for name in exercises], "minutes": 30, "note": None, "done": True}
    return LogItem(finished_at=finished_at, workout_id=workout_id, body=body, exercises=sets)


@pytest.fixture
def progress_table_or_file(store_settings: Settings, request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Writes raw record text for a key behind the store's back, as a hand edit or damage would."""
    if store_settings.store == "sqlite":
        def write_file(key: str, text: str) -> None:
            with sqlite3.connect(store_settings.database_path) as connection:
                connection.execute("UPDATE user_attributes SET attributes = ? WHERE user_id = ?", (text, key))
        return write_file
    table = request.getfixturevalue("progress_table")
    return lambda key, text: table.update_item(Key={"id": key}, UpdateExpression="SET #r = :t",
                                               ExpressionAttributeNames={"#r": "record"},
                                               ExpressionAttributeValues={":t": text})
