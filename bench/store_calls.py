"""Count what each turn of a workout asks of the store, on SQLite and on DynamoDB.

    python -m bench.store_calls

One whole workout (launch, start, "done" until it ends) goes through the Flask app, in process.
Every turn's calls are counted twice: at the store's interface (``load``, ``save``) and where they
reach the data (SQL statements on SQLite; API calls on DynamoDB, served in process by moto). A
"read" is a statement or call that fetches a live record or the summary kept apart from it
(the turns that ask for both read them in one), a "write" one that writes it
(always conditional on the revision the turn read; the one that finishes the workout also
appends the log, in the same transaction). The workout is run twice: on one worker, which holds
the revision its session saw and so reads nothing after the first turn; and on two workers taking
turns, where each turn lands on the worker that did not write last and must read. And once more
on each placement by a person whose log already holds workouts: the summary of the log (kept apart
from the record) is read by the launch and start only, with the record, and written only by the
turn that finishes the workout, in its one write; a mid-workout turn touches it not at all.
Target: at most one read and one write per turn; no mid-workout turn reads or writes the summary.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.config import Settings
from skill.local.envelopes import Caller, envelope, intent_request, launch_request
from skill.store.records import RecordStore

MAX_TURNS = 200
# The workouts already in the log of the person of the second run (enough for a full summary).
HISTORY = 30
TABLE = re.compile(r"\s*(?:SELECT [^']*? FROM|INSERT (?:OR \w+ )?INTO|UPDATE|DELETE FROM)\s+(\w+)", re.IGNORECASE)
WORKOUT_SLOTS = ("level", "length", "equipment")


@dataclass
class Counts:
    """One turn's calls: at the store's interface, and where they reached the data."""

    loads: int = 0
    saves: int = 0
    reads: int = 0
    writes: int = 0
    # Statements or calls that read or write the summary (a read of both counts in ``reads`` once).
    summary_reads: int = 0
    summary_writes: int = 0


class CountingStore:
    """The real store, with each ``load`` and ``save`` counted into the current turn."""

    def __init__(self, store: RecordStore, turn: Callable[[], Counts]) -> None:
        self.store = store
        self.turn = turn

    def load(self, *args: Any, **kwargs: Any) -> Any:
        self.turn().loads += 1
        return self.store.load(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> Any:
        self.turn().saves += 1
        return self.store.save(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


class Meter:
    """The counts of the turn in progress."""

    def __init__(self) -> None:
        self.current = Counts()
        self._writing = False
        self._in_transaction = False
        self._last = ""

    def sql(self, statement: str) -> None:
        # A write is a committed transaction that wrote the record: an explicit one at its COMMIT,
        # a statement run as its own transaction when it runs. SQLite reports a statement again
        # when a trigger of it runs, so the same statement twice in a row is one write.
        repeated, self._last = statement == self._last, statement
        verb, table = statement.split(maxsplit=1)[0].upper(), _table_of(statement)
        if verb == "BEGIN":
            self._in_transaction = True
        elif verb in {"COMMIT", "ROLLBACK"}:
            self._in_transaction = False
        elif (table == "user_attributes" and verb in {"INSERT", "UPDATE"} and not self._in_transaction
              and not repeated):
            self.current.writes += 1
        if "training_summary" in statement:
            if verb == "SELECT":
                self.current.summary_reads += 1
            elif verb in {"INSERT", "UPDATE"}:
                self.current.summary_writes += 1
        if verb == "COMMIT" and self._writing:
            self.current.writes += 1
        if verb in {"BEGIN", "COMMIT", "ROLLBACK"}:
            self._writing = False
        elif table == "training_summary" and verb == "SELECT":
            self.current.reads += 1
        elif table == "user_attributes":
            if verb == "SELECT":
                self.current.reads += 1
            elif verb in {"INSERT", "UPDATE"}:
                self._writing = True

    def dynamodb(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name in {"GetItem", "TransactGetItems"}:
            self.current.reads += 1
        elif model.name in {"UpdateItem", "TransactWriteItems"}:
            self.current.writes += 1
        keys = [params.get("Key")] if model.name in {"GetItem", "PutItem"} else [
            (next(iter(item.values())).get("Key") or next(iter(item.values())).get("Item"))
            for item in params.get("TransactItems", [])]
        touches_summary = any(key and key.get("sk") == {"S": "summary"} for key in keys)
        if touches_summary and model.name in {"GetItem", "TransactGetItems"}:
            self.current.summary_reads += 1
        elif touches_summary:
            self.current.summary_writes += 1


def _table_of(statement: str) -> str:
    """The table a statement works on (the values it carries may hold any words)."""
    found = TABLE.match(statement)
    return found.group(1) if found else ""


@contextmanager
def sqlite_stores(meter: Meter) -> Iterator[Callable[[], RecordStore]]:
    from skill.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as folder:
        yield lambda: SQLiteStore(Path(folder) / "legday.sqlite3", trace=meter.sql)


@contextmanager
def dynamodb_stores(meter: Meter) -> Iterator[Callable[[], RecordStore]]:
    from moto import mock_aws

    from skill.store.dynamodb import PARTITION_KEY, SORT_KEY, make_dynamodb_store

    dummies = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {name: os.environ.get(name) for name in dummies}
    os.environ.update(dummies)
    try:
        with mock_aws():
            settings = Settings(store="dynamodb", dynamodb_table="bench-live", dynamodb_log_table="bench-log")
            first = make_dynamodb_store(settings)
            for table, keys in ((settings.dynamodb_table, (PARTITION_KEY,)),
                                (settings.dynamodb_log_table, (PARTITION_KEY, SORT_KEY))):
                first.client.create_table(
                    TableName=table, BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": key, "KeyType": kind} for key, kind in zip(keys, ("HASH", "RANGE"))],
                    AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
                )

            def open_store() -> RecordStore:
                store = make_dynamodb_store(settings)
                store.client.meta.events.register("provide-client-params.dynamodb.*", meter.dynamodb)
                return store

            yield open_store
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def workout_turns(workers: int, open_store: Callable[[], RecordStore], meter: Meter,
                  history: int = 0) -> list[tuple[str, Counts]]:
    """One workout, its turns spread over ``workers`` apps in turn; each turn's name and counts. With
    ``history``, by a new person whose log already holds that many workouts (and its summary)."""
    from skill.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), verify_requests=False)
        apps = [create_app(settings, store=CountingStore(open_store(), lambda: meter.current))
                for _ in range(workers)]
        caller = Caller()
        if history:
            from bench.history import save_history
            from skill.store.records import Owner

            caller.user_id = f"amzn1.ask.account.BENCH-CALLS-{workers}-{history}"
            meter.current = Counts()  # the seeding is no turn's
            save_history(open_store(), Owner(caller.user_id), history)
        requests = [("launch", launch_request()), ("start", intent_request("StartWorkoutIntent",
                                                                           slot_names=WORKOUT_SLOTS))]
        turns: list[tuple[str, Counts]] = []
        while len(turns) < MAX_TURNS:
            name, request = requests.pop(0) if requests else ("done", intent_request("SetDoneIntent"))
            meter.current = Counts()
            client = apps[len(turns) % workers].test_client()
            answer = client.post("/alexa", json=envelope(caller, request)).get_json()
            turns.append((name, meter.current))
            if answer["response"].get("shouldEndSession") is not False:
                break
            caller.attributes, caller.new_session = answer.get("sessionAttributes", {}), False
    return turns


def mid_workout(turns: list[tuple[str, Counts]]) -> list[tuple[str, Counts]]:
    """The turns after the workout's start and before its last one."""
    return [turn for turn in turns[:-1] if turn[0] == "done"]


def summarise(backend: str, placement: str, turns: list[tuple[str, Counts]]) -> list[str]:
    counts = [count for _, count in turns]
    return [
        backend, placement, str(len(turns)),
        str(sum(count.loads for count in counts)), str(sum(count.reads for count in counts)),
        str(max(count.reads for count in counts)),
        str(sum(count.saves for count in counts)), str(sum(count.writes for count in counts)),
        str(max(count.writes for count in counts)),
    ]


def table(rows: list[list[str]]) -> str:
    header = ["store", "workers", "turns", "loads", "reads", "max reads/turn", "saves", "writes",
              "max writes/turn"]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


@dataclass
class Measured:
    """Every store and placement's row; the worst turn's reads and writes; and the reads of the
    turns that reached a worker holding the session's revision (every turn after the first, on one worker)."""

    rows: list[list[str]]
    worst: Counts
    held_reads: int
    # Reads and writes of the summary by the turns that neither start nor finish a workout.
    mid_workout_summary: int = 0

    @property
    def met(self) -> bool:
        """At most one read and one write in every turn, none read by a worker holding the revision,
        and no mid-workout turn touching the summary."""
        return (self.worst.reads <= 1 and self.worst.writes <= 1 and self.held_reads == 0
                and self.mid_workout_summary == 0)

    def report(self) -> str:
        """The table and the target's line."""
        return (f"{table(self.rows)}\n\nTarget: at most one read and one write per turn; a worker holding the "
                f"session's revision reads nothing. Worst turn: {self.worst.reads} read(s), {self.worst.writes} "
                f"write(s); reads by a worker holding the revision: {self.held_reads}. "
                f"Mid-workout turns that read or wrote the summary: {self.mid_workout_summary}. "
                f"{'ok' if self.met else 'MISSED'}")


def measure() -> Measured:
    """One workout on each store and placement, counted."""
    measured = Measured(rows=[], worst=Counts(), held_reads=0)
    for backend, stores in (("sqlite", sqlite_stores), ("dynamodb", dynamodb_stores)):
        meter = Meter()
        with stores(meter) as open_store:
            for history, who in ((0, ""), (HISTORY, f", {HISTORY} workouts before")):
                for workers, placement in ((1, "one"), (2, "two, taking turns")):
                    turns = workout_turns(workers, open_store, meter, history)
                    measured.rows.append(summarise(backend, placement + who, turns))
                    measured.worst.reads = max(measured.worst.reads, *(count.reads for _, count in turns))
                    measured.worst.writes = max(measured.worst.writes, *(count.writes for _, count in turns))
                    measured.mid_workout_summary += sum(count.summary_reads + count.summary_writes
                                                        for _, count in mid_workout(turns))
                    if workers == 1:
                        measured.held_reads += sum(count.reads for _, count in turns[1:])
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    measured = measure()
    print(measured.report())
    return 0 if measured.met else 1


if __name__ == "__main__":
    raise SystemExit(main())
