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

from skill.store.records import CorruptAttributes, Loaded

# Records of this many owners are kept in memory per worker (about 7 KB each once parsed): far
# more than the sessions one worker serves at a time, and about 7 MB at most.
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


class RecordCache:
    """The records this worker last read or wrote, by key, with their revisions (least recent out)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._records: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str, revision: int) -> dict[str, Any] | None:
        """The copy of ``key`` at exactly ``revision``, or None."""
        with self._lock:
            held = self._records.get(key)
        return held[1] if held is not None and held[0] == revision else None

    def held(self, key: str, seen: Any) -> Loaded | None:
        """The record as loaded, if ``seen`` is a revision and this worker holds exactly it."""
        if type(seen) is not int or (attributes := self.get(key, seen)) is None:
            return None
        return Loaded(attributes, seen)

    def remember(self, key: str, revision: int, attributes: dict[str, Any]) -> None:
        with self._lock:
            self._records[key] = (revision, attributes)
            self._records.move_to_end(key)
            if len(self._records) > self._size:
                self._records.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def forget_account(self, account_key: str, person_prefix: str) -> None:
        """Drop the account's copy and every copy of one of its persons."""
        with self._lock:
            for key in [key for key in self._records if key == account_key or key.startswith(person_prefix)]:
                del self._records[key]


def record_from_text(text: str, revision: int, loads: Callable[[str], Any]) -> dict[str, Any]:
    """A live record stored as JSON text; CorruptAttributes (with its revision) if it is not an object."""
    try:
        attributes = loads(text)
    except (ValueError, RecursionError) as error:
        raise CorruptAttributes(f"stored progress is not valid JSON: {error}", revision) from error
    if not isinstance(attributes, dict):
        raise CorruptAttributes("stored progress is not a JSON object", revision)
    return attributes
