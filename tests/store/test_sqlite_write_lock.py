"""SQLite's one write lock is held no longer than a write needs it.

An ordinary turn's save is one statement, run as its own transaction: SQLite takes the write lock
and gives it back inside that one call, with the GIL released. A BEGIN ... COMMIT around it held
the lock across the Python in between, where a switch to another thread kept it for milliseconds
while every other worker's writers slept in SQLite's busy handler (under load, a turn's p99 was
three times the hello-world's). Saves that must write several rows together still take one
explicit transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from skill.store.records import NO_RECORD, Owner, StaleRecord
from skill.store.sqlite import SQLiteStore
from tests.store.conftest import workout

ME = Owner("amzn1.ask.account.ME")


def traced(path: Path) -> tuple[SQLiteStore, list[str]]:
    """A store, and the statements it runs (SQLite reports an UPDATE again when its trigger runs:
    the same statement twice in a row is listed once)."""
    statements: list[str] = []

    def trace(statement: str) -> None:
        if not statements or statements[-1] != statement:
            statements.append(statement)

    return SQLiteStore(path, trace=trace), statements


def verbs(statements: list[str]) -> list[str]:
    return [statement.split(maxsplit=1)[0].upper() for statement in statements]


def test_an_ordinary_save_is_one_statement_and_its_own_transaction(tmp_path: Path) -> None:
    store, statements = traced(tmp_path / "legday.sqlite3")
    statements.clear()
    first = store.save(ME, {"workout": {"position": 1}}, based_on=NO_RECORD)
    second = store.save(ME, {"workout": {"position": 2}}, based_on=first)
    assert second == first + 1
    assert verbs(statements) == ["INSERT", "UPDATE"]
    assert SQLiteStore(tmp_path / "legday.sqlite3").load(ME).attributes == {"workout": {"position": 2}}


def test_a_save_with_log_entries_writes_them_and_the_record_in_one_transaction(tmp_path: Path) -> None:
    store, statements = traced(tmp_path / "legday.sqlite3")
    revision = store.save(ME, {"workout": None}, based_on=NO_RECORD)
    statements.clear()
    store.save(ME, {"workout": None, "last": "today"}, based_on=revision, log=[workout(3)])
    kinds = verbs(statements)
    assert kinds[0] == "BEGIN" and kinds[-1] == "COMMIT" and "INSERT" in kinds


def test_a_refused_ordinary_save_writes_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "legday.sqlite3")
    revision = store.save(ME, {"set": 1}, based_on=NO_RECORD)
    store.save(ME, {"set": 2}, based_on=revision)
    with pytest.raises(StaleRecord):
        store.save(ME, {"set": "stale"}, based_on=revision)
    assert SQLiteStore(tmp_path / "legday.sqlite3").load(ME).attributes == {"set": 2}


def test_an_ordinary_save_waits_for_a_writer_holding_the_lock_and_then_compares(tmp_path: Path) -> None:
    path = tmp_path / "legday.sqlite3"
    store = SQLiteStore(path)
    revision = store.save(ME, {"set": 1}, based_on=NO_RECORD)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE user_attributes SET attributes = '{\"set\": \"other\"}', revision = revision + 1")
    outcome: list[object] = []
    saving = threading.Thread(target=lambda: outcome.append(_save(store, revision)))
    saving.start()
    saving.join(timeout=0.3)
    assert saving.is_alive(), "the save waits while another writer holds the lock"
    other.execute("COMMIT")
    saving.join(timeout=10)
    assert outcome and isinstance(outcome[0], StaleRecord), "then sees the other write and refuses"
    assert SQLiteStore(path).load(ME).attributes == {"set": "other"}


def _save(store: SQLiteStore, revision: int) -> object:
    try:
        return store.save(ME, {"set": 2}, based_on=revision)
    except StaleRecord as refused:
        return refused
