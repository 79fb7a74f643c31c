"""On SQLite too, a turn answers within its budget: a write lock held elsewhere (an operator's
``sqlite3`` shell in a transaction, a stuck process) is waited for only as long as the turn has left,
then the person hears that their progress could not be saved, and nothing was written."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from skill import deadline
from skill.config import Settings
from skill.content import load_content
from skill.store.sqlite import BUSY_TIMEOUT_MS, busy_timeout_ms
from tests.conftest import Answer, read_request, with_changes
from tests.deadline.test_turn_deadline import flask_sender

NOT_SAVED = load_content().prompts.say("error.store_unavailable")
BUDGET = 1.5
# What the turn may take over its budget on a busy, shared machine.
SLACK = 1.0


def test_a_turn_waits_for_a_lock_held_elsewhere_only_as_long_as_its_budget(tmp_path: Path) -> None:
    post = flask_sender(Settings(data_dir=tmp_path, verify_requests=False, turn_budget=BUDGET))

    def send(name: str, attributes: dict[str, Any] | None = None) -> Answer:
        return post(read_request(name) if attributes is None else with_changes(read_request(name), attributes=attributes))

    started = send("start_workout")
    holder = sqlite3.connect(tmp_path / "legday.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        done = send("set_done", started.attributes)
        took = time.monotonic() - began
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert took < BUDGET + SLACK, f"answered after {took:.2f} s"
    assert NOT_SAVED in done.speech
    after = send("set_done", started.attributes)
    assert NOT_SAVED not in after.speech and "Sorry" not in after.speech, "the set is counted once the lock is gone"


def test_outside_a_turn_a_statement_waits_the_full_busy_timeout() -> None:
    assert busy_timeout_ms() == BUSY_TIMEOUT_MS
    with deadline.turn(deadline.Deadline.starting_now(2.0)):
        assert busy_timeout_ms() == 1500, "what is left less the answer's reserve, in steps of 250 ms"
    with deadline.turn(deadline.Deadline.starting_now(0.1)):
        assert busy_timeout_ms() == 0, "nothing left: try once, without waiting"
