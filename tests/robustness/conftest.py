"""One app per module (Hypothesis reuses it across examples) and direct access to its SQLite store."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from skill.local.conversation import Conversation, in_process
from skill.local.envelopes import Caller
from skill.local.nlu import default_matcher


@dataclass
class Store:
    """The app's SQLite file, read and written behind the skill's back."""

    path: Path

    def write(self, user_id: str, attributes_text: str | None) -> None:
        """Store ``attributes_text`` verbatim as the user's record (None deletes it)."""
        with sqlite3.connect(self.path) as connection:
            if attributes_text is None:
                connection.execute("DELETE FROM user_attributes WHERE user_id = ?", (user_id,))
            else:
                connection.execute(
                    "INSERT INTO user_attributes (user_id, attributes, updated_at) VALUES (?, ?, '2024-01-01') "
                    "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes",
                    (user_id, attributes_text),
                )
        connection.close()

    def read(self, user_id: str) -> str | None:
        with sqlite3.connect(self.path) as connection:
            row = connection.execute("SELECT attributes FROM user_attributes WHERE user_id = ?", (user_id,)).fetchone()
        connection.close()
        return None if row is None else row[0]


class Harness:
    """The app under test, its client and store, and real saved states to start examples from."""

    def __init__(self, app: Flask, store: Store, snapshots: list[tuple[str, dict[str, Any]]]) -> None:
        self.app = app
        self.client = app.test_client()
        self.store = store
        self.snapshots = snapshots

    def __repr__(self) -> str:  # keeps Hypothesis's failure reports readable
        return f"Harness({self.store.path.name}, {len(self.snapshots)} snapshots)"


def make_harness(data_dir: Path) -> Harness:
    settings = Settings(data_dir=data_dir, verify_requests=False)
    app = create_app(settings)
    store = Store(settings.database_path)
    return Harness(app, store, workout_snapshots(app, store))


def workout_snapshots(app: Flask, store: Store) -> list[tuple[str, dict[str, Any]]]:
    """Saved records and session cursors from a real workout, turn by turn: realistic state to start from."""
    caller = Caller(user_id="amzn1.ask.account.SNAPSHOT")
    conversation = Conversation(in_process(app), default_matcher(), caller)
    snapshots = []
    for utterance in ["open leg day coach", "start a thirty minute intermediate leg day with dumbbells",
                      "done", "done", "skip this exercise", "done", "make the rest shorter", "pause"]:
        _, exchange = conversation.say(utterance)
        saved = store.read(caller.user_id)
        assert saved is not None
        snapshots.append((saved, exchange.session_attributes))
    conversation.end()
    return snapshots


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return make_harness(tmp_path_factory.mktemp("robustness"))


HIDDEN_FAILURES = (
    "error while handling a request",
    "unexpected error at the HTTP edge",
    "the skill could not answer",
    "could not save progress",
)


class ErrorLog(logging.Handler):
    """Collects error records that mean a handler failed behind an apology or a 5xx."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(marker in message for marker in HIDDEN_FAILURES):
            detail = f": {record.exc_info[1]!r}" if record.exc_info else ""
            self.failures.append(message + detail)


@pytest.fixture(scope="module")
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
