"""What every store shares: the worker's copies of the records it last read or wrote, and revisions.

A session carries the revision of the record its last turn saw. A worker that holds that very
revision in memory answers from its copy and reads nothing; any other revision means a read.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any

from skill.store.records import NO_RECORD, CorruptAttributes, Loaded

# Records (and summaries) of this many owners are kept in memory per worker (a few KB each once
# parsed): far more than the sessions one worker serves at a time, and about 10 MB at most.
CACHE_SIZE = 1024
# Revision 1 is never given to a new record: DynamoDB items saved before revisions existed read
# as revision 1 (and old SQLite files got 1 when the column was added).
FIRST_RANDOM_REVISION = 2


def first_revision() -> int:
    """A new record's revision: random, below 2**52 so that it and its successors stay exact in any
    JSON reader (Alexa hands session attributes back through its own), and never 1."""
    return secrets.randbits(52) + FIRST_RANDOM_REVISION


def now_text() -> str:
    """The time of a write, as stored beside the record (ISO 8601 UTC, to the second)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# Whether a copy is this worker's own save (checked as it was made) or a read of the store.
SAVED, READ = True, False


class RecordCache:
    """The records this worker last read or wrote, by key, with their revisions (least recent out),
    and the summaries it last read or wrote, by key, with the revision that wrote them."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        # key -> (revision, attributes, summary_at, saved here)
        self._records: OrderedDict[str, tuple[int, dict[str, Any], int | None, bool]] = OrderedDict()
        # key -> (the revision that wrote it, the summary)
        self._summaries: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str, revision: int) -> dict[str, Any] | None:
        """The copy of ``key`` at exactly ``revision``, or None."""
        held = self._held(key, revision)
        return held[1] if held is not None else None

    def _held(self, key: str, revision: Any) -> tuple[int, dict[str, Any], int | None, bool] | None:
        with self._lock:
            held = self._records.get(key)
        return held if held is not None and held[0] == revision else None

    def held(self, key: str, seen: Any) -> Loaded | None:
        """The record as loaded, if ``seen`` is a revision and this worker holds exactly it."""
        if type(seen) is not int or (held := self._held(key, seen)) is None:
            return None
        return Loaded(held[1], seen, summary_at=held[2], trusted=held[3])

    def summary_at(self, key: str, revision: int | None) -> tuple[bool, int | None]:
        """Whether this worker knows which summary goes with ``key`` at ``revision``, and which."""
        held = self._held(key, revision)
        return (True, held[2]) if held is not None else (False, None)

    def remember(self, key: str, revision: int, attributes: dict[str, Any], summary_at: int | None = None,
                 saved: bool = READ) -> None:
        with self._lock:
            self._records[key] = (revision, attributes, summary_at, saved)
            self._records.move_to_end(key)
            if len(self._records) > self._size:
                self._records.popitem(last=False)

    def summary(self, key: str, at: int) -> dict[str, Any] | None:
        """This worker's copy of the summary written at revision ``at``, or None."""
        with self._lock:
            held = self._summaries.get(key)
        return held[1] if held is not None and held[0] == at else None

    def summary_or_read(self, key: str, at: int | None,
                        read: Callable[[], tuple[int, dict[str, Any]] | None]) -> dict[str, Any] | None:
        """The summary written at revision ``at`` (none when ``at`` is None, reading nothing): this
        worker's copy if it holds that one, else ``read()`` (the stored summary and the revision that
        wrote it), kept as its copy."""
        if at is None:
            return None
        if (held := self.summary(key, at)) is not None:
            return held
        stored = read()
        if stored is None:
            return None
        written_at, summary = stored
        self.remember_summary(key, written_at, summary)
        return summary

    def remember_summary(self, key: str, at: int, summary: dict[str, Any]) -> None:
        with self._lock:
            self._summaries[key] = (at, summary)
            self._summaries.move_to_end(key)
            if len(self._summaries) > self._size:
                self._summaries.popitem(last=False)

    def saved(self, key: str, based_on: int | None, revision: int, attributes: dict[str, Any],
              summary: dict[str, Any] | None) -> None:
        """Keep this worker's own save as its copy, with the summary that goes with it: the one it
        wrote, else the one of the revision it was based on (a save without a summary leaves it as
        it was). When that is not known, the copy is dropped: the next turn reads."""
        if summary is not None:
            self.remember_summary(key, revision, summary)
            known, summary_at = True, revision
        elif based_on == NO_RECORD:
            known, summary_at = True, None
        else:
            known, summary_at = self.summary_at(key, based_on)
        if known:
            self.remember(key, revision, attributes, summary_at, SAVED)
        else:
            self.forget(key)

    def forget(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)
            self._summaries.pop(key, None)

    def forget_account(self, account_key: str, person_prefix: str) -> None:
        """Drop the account's copies and every copy of one of its persons."""
        with self._lock:
            for kept in (self._records, self._summaries):
                for key in [key for key in kept if key == account_key or key.startswith(person_prefix)]:
                    del kept[key]


def record_from_text(text: str, revision: int, loads: Callable[[str], Any]) -> dict[str, Any]:
    """A live record stored as JSON text; CorruptAttributes (with its revision) if it is not an object."""
    try:
        attributes = loads(text)
    except (ValueError, RecursionError) as error:
        raise CorruptAttributes(f"stored progress is not valid JSON: {error}", revision) from error
    if not isinstance(attributes, dict):
        raise CorruptAttributes("stored progress is not a JSON object", revision)
    return attributes
