"""The embedded default store: one SQLite file, safe for several server processes at once.

WAL mode lets readers and one writer work at the same time; a busy timeout makes concurrent
writers wait instead of failing. Each thread (and each forked worker) opens its own connection.

Every record carries a revision, raised by each write. The session carries the revision its
last turn saw, so a turn whose worker already holds that revision in memory skips the read;
every write is a compare-and-swap on the revision it was based on, so a stale copy (another
device, another worker) is never written over newer progress: the write is refused instead.
A new record starts at a random revision, so a record deleted and made again never passes for
a copy of the old one that some worker still holds.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import sqlite3
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.json_text import dumps_text
from skill.store.keys import user_key
from skill.store.records import NO_RECORD, CorruptAttributes, Loaded, StaleRecord

BUSY_TIMEOUT_MS = 10_000
# Records of this many users are kept in memory per worker (about 7 KB each once parsed): far
# more than the sessions one worker serves at a time, and about 7 MB at most.
CACHE_SIZE = 1024
SCHEMA = """
CREATE TABLE IF NOT EXISTS user_attributes (
    user_id    TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revision   INTEGER NOT NULL DEFAULT ((random() & 4503599627370495) + 1)
)
"""
# Files made before revisions existed get the column (whose default must be a constant there).
ADD_REVISION = "ALTER TABLE user_attributes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1"
# A write that does not raise the revision itself (a hand edit, an older version of the skill
# during a rolling upgrade) still raises it, so no worker keeps trusting its copy.
RAISE_REVISION = """
CREATE TRIGGER IF NOT EXISTS user_attributes_revision AFTER UPDATE OF attributes ON user_attributes
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE user_attributes SET revision = OLD.revision + 1 WHERE user_id = NEW.user_id;
END
"""
SELECT = "SELECT attributes, revision FROM user_attributes WHERE user_id = ?"
INSERT_NEW = ("INSERT INTO user_attributes (user_id, attributes, updated_at, revision) VALUES (?, ?, ?, ?) "
              "ON CONFLICT(user_id) DO NOTHING")
UPDATE_IF_UNCHANGED = ("UPDATE user_attributes SET attributes = ?, updated_at = ?, revision = revision + 1 "
                       "WHERE user_id = ? AND revision = ?")
UPSERT = ("INSERT INTO user_attributes (user_id, attributes, updated_at, revision) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
          "updated_at = excluded.updated_at, revision = revision + 1 RETURNING revision")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _first_revision() -> int:
    """A new record's revision: random, below 2**52 so that it and its successors stay exact in
    any JSON reader (Alexa hands session attributes back through its own)."""
    return secrets.randbits(52) + 1


class SQLiteAdapter(AbstractPersistenceAdapter):
    """ASK SDK persistence adapter over a SQLite file, with revisioned ``load`` and ``save``."""

    def __init__(self, path: Path, cache_size: int = CACHE_SIZE) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._cache: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        with self._connection() as connection:
            connection.execute(SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(user_attributes)")}
            if "revision" not in columns:
                try:
                    connection.execute(ADD_REVISION)
                except sqlite3.OperationalError as error:  # another worker added it first
                    if "duplicate column" not in str(error):
                        raise
            connection.execute(RAISE_REVISION)

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA synchronous=NORMAL")
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    # --- revisioned: what the skill's interceptors use ---------------------------------------------

    def load(self, request_envelope: RequestEnvelope, seen: Any = None) -> Loaded:
        """The user's record; read from the file unless this worker holds revision ``seen`` of it.

        The attributes returned may be shared with later turns: read them, never change them.
        """
        key = user_key(request_envelope)
        if type(seen) is int:
            with self._cache_lock:
                cached = self._cache.get(key)
            if cached is not None and cached[0] == seen:
                return Loaded(cached[1], seen)
        try:
            row = self._connection().execute(SELECT, (key,)).fetchone()
        except sqlite3.Error as error:
            raise PersistenceException(f"could not read progress: {error}") from error
        if row is None:
            self._forget(key)
            return Loaded({}, NO_RECORD)
        text, revision = row
        try:
            attributes = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise CorruptAttributes(f"stored progress is not valid JSON: {error}", revision) from error
        if not isinstance(attributes, dict):
            raise CorruptAttributes("stored progress is not a JSON object", revision)
        self._remember(key, revision, attributes)
        return Loaded(attributes, revision)

    def save(self, request_envelope: RequestEnvelope, attributes: dict[str, Any], based_on: int | None) -> int:
        """Write ``attributes`` if the record is still at revision ``based_on``; the new revision.

        Raises StaleRecord when it is not (the record changed since it was read): nothing is written.
        ``attributes`` is kept as this worker's copy, so it must not be changed afterwards.
        """
        if based_on is None:
            return self._upsert(request_envelope, attributes)
        key, text, now = user_key(request_envelope), dumps_text(attributes), _now()
        if based_on == NO_RECORD:
            revision = _first_revision()
            changed = self._write(INSERT_NEW, (key, text, now, revision)).rowcount
        else:
            revision = based_on + 1
            changed = self._write(UPDATE_IF_UNCHANGED, (text, now, key, based_on)).rowcount
        if changed != 1:
            self._forget(key)
            raise StaleRecord(f"progress changed since revision {based_on} was read")
        self._remember(key, revision, attributes)
        return revision

    def _remember(self, key: str, revision: int, attributes: dict[str, Any]) -> None:
        with self._cache_lock:
            self._cache[key] = (revision, attributes)
            self._cache.move_to_end(key)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self._cache_lock:
            self._cache.pop(key, None)

    def _upsert(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> int:
        key = user_key(request_envelope)
        (revision,) = self._write(UPSERT, (key, dumps_text(attributes), _now(), _first_revision())).fetchone()
        self._remember(key, revision, attributes)
        return revision

    def _write(self, statement: str, values: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return self._connection().execute(statement, values)
        except sqlite3.Error as error:
            raise PersistenceException(f"could not save progress: {error}") from error

    # --- the ASK SDK's persistence adapter interface -----------------------------------------------

    # Copies, because the caller may change what it gets or gives, and this worker keeps the record.

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return copy.deepcopy(self.load(request_envelope).attributes)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        self._upsert(request_envelope, copy.deepcopy(attributes))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = user_key(request_envelope)
        try:
            self._connection().execute("DELETE FROM user_attributes WHERE user_id = ?", (key,))
        except sqlite3.Error as error:
            raise PersistenceException(f"could not delete progress: {error}") from error
        finally:
            self._forget(key)
