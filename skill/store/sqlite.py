"""The embedded default store: one SQLite file, safe for several server processes at once.

WAL mode lets readers and one writer work at the same time; a busy timeout makes concurrent
writers wait instead of failing. Each thread (and each forked worker) opens its own connection.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.store.keys import user_key

BUSY_TIMEOUT_MS = 10_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS user_attributes (
    user_id    TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


# One encoder for every save (``json.dumps`` with options builds a new one per call).
_encode = json.JSONEncoder(separators=(",", ":")).encode


class CorruptAttributes(PersistenceException):
    """The stored attributes of a user are not valid JSON."""


class SQLiteAdapter(AbstractPersistenceAdapter):
    """ASK SDK persistence adapter over a SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connection() as connection:
            connection.execute(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA synchronous=NORMAL")
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        key = user_key(request_envelope)
        try:
            row = self._connection().execute(
                "SELECT attributes FROM user_attributes WHERE user_id = ?", (key,)
            ).fetchone()
        except sqlite3.Error as error:
            raise PersistenceException(f"could not read progress: {error}") from error
        if row is None:
            return {}
        try:
            attributes = json.loads(row[0])
        except (ValueError, RecursionError) as error:
            raise CorruptAttributes(f"stored progress is not valid JSON: {error}") from error
        if not isinstance(attributes, dict):
            raise CorruptAttributes("stored progress is not a JSON object")
        return attributes

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        key = user_key(request_envelope)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            self._connection().execute(
                "INSERT INTO user_attributes (user_id, attributes, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at",
                (key, _encode(attributes), now),
            )
        except sqlite3.Error as error:
            raise PersistenceException(f"could not save progress: {error}") from error

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = user_key(request_envelope)
        try:
            self._connection().execute("DELETE FROM user_attributes WHERE user_id = ?", (key,))
        except sqlite3.Error as error:
            raise PersistenceException(f"could not delete progress: {error}") from error
