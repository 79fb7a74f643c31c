"""The embedded default store: one SQLite file, safe for several server processes at once.

WAL mode lets readers and one writer work at the same time; a busy timeout makes concurrent
writers wait instead of failing. Each thread (and each forked worker) opens its own connection.

Four tables. ``user_attributes`` holds each owner's live record with its revision, as files
saved by earlier versions do, and the revision that last wrote their summary (``summary_at``).
``training_summary`` holds the summary of each owner's log, apart from the record: SQLite rewrites
a whole row on every update, so a summary in the record's row would be written on every turn; in
its own table it is written only in the transaction that finishes a workout, and read (joined to
the record in the same statement) only by the turns that ask for it. ``training_log`` holds one row
per finished workout, and ``training_log_exercise`` one row per exercise in it; their primary keys
start with the owner (and the exercise), so a page of the log (newest first, between two times) is
one range of one index: a page reads only its own rows, however long the log.

Every record carries a revision, raised by each write. A worker that holds the revision a
session last saw skips the read; every write is a compare-and-swap on the revision it was based
on, in one transaction with the log rows it appends, so a stale copy (another device, another
worker) is never written over newer progress and a refused save appends nothing. A new record
starts at a random revision, so a record deleted and made again never passes for a copy of the
old one that some worker still holds.

A damaged file (corrupted or truncated) is never repaired or replaced here: every read and write
raises StoreUnavailable, ``health()`` says so, and ``damage()`` lets ``legday serve`` refuse to
start on it. What to do with people's data is the operator's call.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from skill import deadline
from skill.json_text import dumps_text
from skill.store.cache import RecordCache, first_revision, now_text, record_from_text
from skill.store.records import (
    NO_RECORD,
    PERSON_SEPARATOR,
    Loaded,
    LogItem,
    Owner,
    StaleRecord,
    StoreUnavailable,
    check_exercise,
    page_limit,
)

BUSY_TIMEOUT_MS = 10_000
# Within a turn, the busy timeout is what the turn has left, rounded down to this.
BUSY_STEP_MS = 250
# How long a worker waits before trying again to create the tables of a new file another worker holds.
SCHEMA_RETRY_SECONDS = 0.05
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS user_attributes (
        user_id    TEXT PRIMARY KEY,
        attributes TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision   INTEGER NOT NULL DEFAULT ((random() & 4503599627370495) + 2)
    )""",
    # Newest-first pages of one owner's log walk this key backwards.
    """CREATE TABLE IF NOT EXISTS training_log (
        owner       TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        workout_id  TEXT NOT NULL,
        body        TEXT NOT NULL,
        PRIMARY KEY (owner, finished_at, workout_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS training_summary (
        owner      TEXT PRIMARY KEY,
        written_at INTEGER NOT NULL,
        body       TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS training_log_exercise (
        owner       TEXT NOT NULL,
        exercise    TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        workout_id  TEXT NOT NULL,
        slice       TEXT NOT NULL,
        PRIMARY KEY (owner, exercise, finished_at, workout_id)
    ) WITHOUT ROWID""",
)
# Files made before revisions existed get the column (whose default must be a constant there).
ADD_REVISION = "ALTER TABLE user_attributes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1"
# Files made before the summary was kept apart: no owner has one there yet.
ADD_SUMMARY_AT = "ALTER TABLE user_attributes ADD COLUMN summary_at INTEGER"
# A write that does not raise the revision itself (a hand edit, an older version of the skill
# during a rolling upgrade) still raises it, so no worker keeps trusting its copy.
RAISE_REVISION = """
CREATE TRIGGER IF NOT EXISTS user_attributes_revision AFTER UPDATE OF attributes ON user_attributes
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE user_attributes SET revision = OLD.revision + 1 WHERE user_id = NEW.user_id;
END
"""
SELECT = "SELECT attributes, revision, summary_at FROM user_attributes WHERE user_id = ?"
# The record and its summary in one read, for the turns that ask for both.
SELECT_WITH_SUMMARY = ("SELECT attributes, revision, summary_at, written_at, body FROM user_attributes "
                       "LEFT JOIN training_summary ON owner = user_id WHERE user_id = ?")
SELECT_SUMMARY = "SELECT written_at, body FROM training_summary WHERE owner = ?"
INSERT_NEW = ("INSERT INTO user_attributes (user_id, attributes, updated_at, revision, summary_at) "
              "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO NOTHING")
UPDATE_IF_UNCHANGED = ("UPDATE user_attributes SET attributes = ?, updated_at = ?, revision = revision + 1 "
                       "WHERE user_id = ? AND revision = ?")
UPDATE_WITH_SUMMARY = ("UPDATE user_attributes SET attributes = ?, updated_at = ?, revision = revision + 1, "
                       "summary_at = revision + 1 WHERE user_id = ? AND revision = ?")
SET_SUMMARY_AT = "UPDATE user_attributes SET summary_at = ? WHERE user_id = ?"
WRITE_SUMMARY = "INSERT OR REPLACE INTO training_summary (owner, written_at, body) VALUES (?, ?, ?)"
UPSERT = ("INSERT INTO user_attributes (user_id, attributes, updated_at, revision) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
          "updated_at = excluded.updated_at, revision = revision + 1 RETURNING revision")
# The same entry saved twice (a retried turn) stays one entry.
APPEND_WORKOUT = "INSERT OR REPLACE INTO training_log (owner, finished_at, workout_id, body) VALUES (?, ?, ?, ?)"
APPEND_EXERCISE = ("INSERT OR REPLACE INTO training_log_exercise (owner, exercise, finished_at, workout_id, slice) "
                   "VALUES (?, ?, ?, ?, ?)")
# Above every ISO 8601 time: the open end of a page.
LATEST = "\uffff"
WORKOUT_PAGE = ("SELECT body FROM training_log WHERE owner = ? AND finished_at >= ? AND finished_at < ? "
                "ORDER BY finished_at DESC, workout_id DESC LIMIT ?")
EXERCISE_PAGE = ("SELECT slice, finished_at, workout_id FROM training_log_exercise "
                 "WHERE owner = ? AND exercise = ? AND finished_at >= ? AND finished_at < ? "
                 "ORDER BY finished_at DESC, workout_id DESC LIMIT ?")
TABLES = {"user_attributes": "user_id", "training_summary": "owner", "training_log": "owner",
          "training_log_exercise": "owner"}
# An account and its persons: the account's own key, and the range of keys after "<user id>#person#".
ACCOUNT_WHERE = "{column} = ? OR ({column} >= ? AND {column} < ?)"


class SQLiteStore:
    """The RecordStore over one SQLite file: live records with revisions, and the training log."""

    def __init__(self, path: Path, cache_size: int | None = None,
                 trace: Callable[[str], None] | None = None) -> None:
        """``trace``, if given, is called with every SQL statement run (bench/ counts them)."""
        self.path = Path(path)
        self._trace = trace
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._cache = RecordCache() if cache_size is None else RecordCache(cache_size)
        self._damage: str | None = None
        self._open()

    def _open(self) -> None:
        """Create the tables, waiting out other workers doing the same on a new file: switching a new
        file to WAL takes a lock that SQLite's busy timeout does not wait for, so several workers
        starting at once may find it locked. A lock is not damage: only a bad file is called damaged."""
        waited = 0.0
        while True:
            try:
                self._create_schema()
                return
            except sqlite3.Error as error:
                if "locked" in str(error).lower() and waited < BUSY_TIMEOUT_MS / 1000:
                    self._local = threading.local()
                    time.sleep(SCHEMA_RETRY_SECONDS)
                    waited += SCHEMA_RETRY_SECONDS
                    continue
                if is_damage(error):
                    raise StoreUnavailable(damage_line(self.path, error)) from error
                raise StoreUnavailable(f"could not open the SQLite store {self.path}: {error}") from error

    def _create_schema(self) -> None:
        connection = self._connection()
        for statement in SCHEMA:
            connection.execute(statement)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(user_attributes)")}
        for column, adding in (("revision", ADD_REVISION), ("summary_at", ADD_SUMMARY_AT)):
            if column in columns:
                continue
            try:
                connection.execute(adding)
            except sqlite3.OperationalError as error:  # another worker added it first
                if "duplicate column" not in str(error):
                    raise
        connection.execute(RAISE_REVISION)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, waiting for a lock no longer than the turn has left."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection, local.pid = _connect(self.path), os.getpid()
            local.busy_timeout_ms = BUSY_TIMEOUT_MS
            local.connection.set_trace_callback(self._trace)
        wait_ms = busy_timeout_ms()
        if wait_ms != local.busy_timeout_ms:
            local.connection.execute(f"PRAGMA busy_timeout={wait_ms}")
            local.busy_timeout_ms = wait_ms
        return local.connection

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (no upgrade from a read lock that could deadlock)."""
        connection = self._connection()
        with self._errors(doing):
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _write_alone(self, doing: str, statement: str, parameters: tuple[Any, ...]) -> int:
        """Run one write statement as its own transaction; the rows it changed.

        SQLite holds the write lock only while it runs the statement, with the GIL released. An
        explicit BEGIN ... COMMIT holds it across the Python in between, where a switch to another
        thread can keep it for milliseconds while every other worker's writers sleep in SQLite's
        busy handler: under load that wait was a turn's p99 (three times the hello-world's).
        """
        with self._errors(doing):
            return self._connection().execute(statement, parameters).rowcount

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Any SQLite error as StoreUnavailable; damage to the file is remembered for ``health()``."""
        try:
            yield
        except sqlite3.Error as error:
            if is_damage(error) and self._damage is None:
                self._damage = damage_line(self.path, error)
            raise StoreUnavailable(f"could not {doing}: {error}") from error

    # --- the live record ------------------------------------------------------------------------

    def load(self, owner: Owner, seen: int | None = None, *, with_summary: bool = False) -> Loaded:
        """The owner's record; read from the file unless this worker holds revision ``seen`` of it.
        With ``with_summary``, the summary too, in the same statement (unless this worker holds it).

        The attributes returned may be shared with later turns: read them, never change them.
        """
        key = owner.key
        if (held := self._cache.held(key, seen)) is not None:
            if with_summary and held.summary_at is not None:
                self.load_summary(owner, held.summary_at)
            return held
        with self._errors("read progress"):
            row = self._connection().execute(SELECT_WITH_SUMMARY if with_summary else SELECT, (key,)).fetchone()
        if row is None:
            self._cache.forget(key)
            return Loaded({}, NO_RECORD)
        text, revision, summary_at = row[:3]
        attributes = record_from_text(text, revision, orjson.loads)
        self._cache.remember(key, revision, attributes, summary_at)
        if with_summary and row[3] is not None:
            self._cache.remember_summary(key, row[3], orjson.loads(row[4]))
        return Loaded(attributes, revision, summary_at)

    def load_summary(self, owner: Owner, at: int | None) -> dict[str, Any] | None:
        """The summary written at revision ``at``: this worker's copy if it holds that one, else read."""
        def read() -> tuple[int, dict[str, Any]] | None:
            with self._errors("read the training summary"):
                row = self._connection().execute(SELECT_SUMMARY, (owner.key,)).fetchone()
            return None if row is None else (row[0], orjson.loads(row[1]))

        return self._cache.summary_or_read(owner.key, at, read)

    def save(self, owner: Owner, attributes: dict[str, Any], based_on: int | None,
             log: Sequence[LogItem] = (), summary: dict[str, Any] | None = None) -> int:
        """Write ``attributes`` if the record is still at revision ``based_on``, append ``log`` and
        write ``summary`` (if given), in one transaction; the new revision.

        Raises StaleRecord when it is not (the record changed since it was read): nothing is written
        and nothing appended. ``attributes`` is kept as this worker's copy: never change it afterwards.
        """
        key, text, now = owner.key, dumps_text(attributes), now_text()
        if based_on is not None and summary is None and not log:
            # Most turns: one statement, so one transaction of its own (see ``_write_alone``).
            if based_on == NO_RECORD:
                revision = first_revision()
                changed = self._write_alone("save progress", INSERT_NEW, (key, text, now, revision, None))
            else:
                revision = based_on + 1
                changed = self._write_alone("save progress", UPDATE_IF_UNCHANGED, (text, now, key, based_on))
            if changed != 1:
                self._cache.forget(key)
                raise StaleRecord(f"progress changed since revision {based_on} was read")
            self._cache.saved(key, based_on, revision, attributes, summary)
            return revision
        with self._transaction("save progress") as connection:
            if based_on is None:
                (revision,) = connection.execute(UPSERT, (key, text, now, first_revision())).fetchone()
            elif based_on == NO_RECORD:
                revision = first_revision()
                changed = connection.execute(INSERT_NEW, (key, text, now, revision,
                                                          None if summary is None else revision)).rowcount
            else:
                revision = based_on + 1
                changed = connection.execute(UPDATE_IF_UNCHANGED if summary is None else UPDATE_WITH_SUMMARY,
                                             (text, now, key, based_on)).rowcount
            if based_on is not None and changed != 1:
                self._cache.forget(key)
                raise StaleRecord(f"progress changed since revision {based_on} was read")
            if summary is not None:
                if based_on is None:
                    connection.execute(SET_SUMMARY_AT, (revision, key))
                connection.execute(WRITE_SUMMARY, (key, revision, dumps_text(summary)))
            for item in log:
                connection.execute(APPEND_WORKOUT, (key, item.finished_at, item.workout_id, dumps_text(item.body)))
                connection.executemany(APPEND_EXERCISE, [
                    (key, exercise, item.finished_at, item.workout_id, dumps_text(piece))
                    for exercise, piece in item.exercises.items()
                ])
        self._cache.saved(key, based_on, revision, attributes, summary)
        return revision

    # --- the training log -----------------------------------------------------------------------

    def log_page(self, owner: Owner, *, limit: int = 10, before: str | None = None,
                 since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        """Newest first, at most ``limit`` entries (or, with ``exercise``, that exercise's slices),
        finished at or after ``since`` and before ``before``."""
        bounds = (since or "", before or LATEST, page_limit(limit))
        with self._errors("read the training log"):
            if exercise is None:
                rows = self._connection().execute(WORKOUT_PAGE, (owner.key, *bounds)).fetchall()
                return [orjson.loads(body) for (body,) in rows]
            rows = self._connection().execute(EXERCISE_PAGE, (owner.key, check_exercise(exercise), *bounds)).fetchall()
        return [{**orjson.loads(piece), "finished_at": finished_at, "workout_id": workout_id}
                for piece, finished_at, workout_id in rows]

    # --- deletion -------------------------------------------------------------------------------

    def delete_owner(self, owner: Owner) -> None:
        """The owner's live record and whole log, in one transaction."""
        with self._transaction("delete progress") as connection:
            for table, column in TABLES.items():
                connection.execute(f"DELETE FROM {table} WHERE {column} = ?", (owner.key,))
        self._cache.forget(owner.key)

    def delete_account(self, user_id: str) -> None:
        """The account's own state and every person's in it, in one transaction."""
        account = Owner(user_id)
        first_person = f"{account.key}{PERSON_SEPARATOR}"
        # The key just above every "<user id>#person#..." key: the separator's last character, plus one.
        past_persons = first_person[:-1] + chr(ord(first_person[-1]) + 1)
        with self._transaction("delete the account's data") as connection:
            for table, column in TABLES.items():
                where = ACCOUNT_WHERE.format(column=column)
                connection.execute(f"DELETE FROM {table} WHERE {where}", (account.key, first_person, past_persons))
        self._cache.forget_account(account.key, first_person)

    # --- health ---------------------------------------------------------------------------------

    def health(self) -> str | None:
        """None when the file can be read and written, else why not (one line)."""
        if self._damage is not None:
            return self._damage
        # A fresh connection: a worker's own connections may answer from pages they hold in memory
        # long after the file under them was damaged.
        problem = damage(self.path, quick=False)
        if problem is not None:
            self._damage = problem
        return problem


def busy_timeout_ms() -> int:
    """How long a statement may wait for a lock another connection holds: ``BUSY_TIMEOUT_MS``, or what
    the current turn has left for a store call (``skill.deadline``), in steps of ``BUSY_STEP_MS`` so
    that a worker's connections are not told a new timeout on every turn."""
    allowed = deadline.store_call_limit(BUSY_TIMEOUT_MS / 1000) * 1000
    if allowed >= BUSY_TIMEOUT_MS:
        return BUSY_TIMEOUT_MS
    return max(0, int(allowed // BUSY_STEP_MS) * BUSY_STEP_MS)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def is_damage(error: sqlite3.Error) -> bool:
    """Whether an error says the file itself is bad (not busy, not locked, not a full disk)."""
    if isinstance(error, sqlite3.OperationalError):
        return "disk i/o error" in str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.IntegrityError)


def damage_line(path: Path, error: sqlite3.Error) -> str:
    """The one line an operator reads about a damaged file: which file, what is wrong, what to do."""
    return (f"the SQLite store {path} is damaged ({error}); nothing was changed: move it aside or restore "
            "a backup, then start again")


def damage(path: Path, *, quick: bool = True) -> str | None:
    """Why the file at ``path`` cannot be used (one line), or None; no file yet is no damage.

    Reads the schema and the first row of each table, and takes the write lock; with ``quick``
    (at start), also runs SQLite's own structural check, which reads the whole file.
    """
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        return damage_line(path, error)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            if connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                connection.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        connection.execute("ROLLBACK")
        if quick:
            verdict = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
            if verdict != ["ok"]:
                return damage_line(path, sqlite3.DatabaseError("; ".join(verdict)))
    except sqlite3.Error as error:
        if not is_damage(error):
            return f"the SQLite store {path} cannot be used: {error}"
        return damage_line(path, error)
    finally:
        connection.close()
    return None
