"""What the skill asks of a store, whichever it is: a live record per owner, kept at a revision and
written only over the revision it was read at, and a training log appended with it, read in pages.
Beside the record, apart from it, the summary of the log: written only with a save that finishes a
workout, read only when asked for, so an ordinary turn neither reads nor writes it.

Nothing here knows of Alexa requests: the caller says whose state it wants with an ``Owner``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


# The revision of an owner who has no live record yet.
NO_RECORD = 0
# The session attribute carrying the revision of the record the session last saw. It depends on
# the store's history, not on the conversation, so transcripts leave it out of what they compare.
REVISION_KEY = "revision"
# What separates the parts of a key; user ids and exercise ids never hold it.
KEY_SEPARATOR = "#"
# What joins an account's user id to one of its persons in a key.
PERSON_SEPARATOR = "#person#"


@dataclass(frozen=True)
class Owner:
    """Whose state: an Alexa account (user id), or one recognised person in it (person id)."""

    user_id: str
    person_id: str | None = None

    def __post_init__(self) -> None:
        if not self.user_id:
            raise ValueError("an owner needs a user id")
        # Keys are built with "#" (see PERSON_SEPARATOR); Alexa's user ids never hold one.
        if KEY_SEPARATOR in self.user_id:
            raise ValueError(f"a user id cannot hold {KEY_SEPARATOR!r}")
        if self.person_id == "":
            raise ValueError("a person id cannot be empty (None means the account itself)")

    @property
    def key(self) -> str:
        """The key the owner's state is stored under: the user id, or user id, separator, person id."""
        if self.person_id is None:
            return self.user_id
        return f"{self.user_id}{PERSON_SEPARATOR}{self.person_id}"


@dataclass(frozen=True)
class Loaded:
    """An owner's live record as stored (to be read, never changed) and its revision."""

    attributes: dict[str, Any]
    # NO_RECORD when there is none; None from a store that keeps no revisions.
    revision: int | None
    # The revision whose save last wrote the owner's summary; None when none is stored. It names
    # the summary that goes with this record, so a worker's copy of it is known to be current.
    summary_at: int | None = None
    # The attributes are this worker's own last save (checked when they were made), not a read.
    trusted: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class LogItem:
    """One finished workout, as the store keeps it (appended once, never rewritten)."""

    # ISO 8601 UTC, "2026-11-28T10:15:00+00:00": sorts in time order as text.
    finished_at: str
    # Unique per workout; with finished_at it makes the entry's key.
    workout_id: str
    # The whole entry, JSON-safe (ints, floats, str, bool, None, lists, dicts).
    body: dict[str, Any]
    # Exercise id -> that exercise's slice of the entry, for by-exercise pages.
    exercises: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.finished_at or not self.workout_id:
            raise ValueError("a log item needs a finish time and a workout id")
        for exercise in self.exercises:
            check_exercise(exercise)

    @property
    def sort_key(self) -> str:
        """The entry's place in its owner's log: time first, then the workout id."""
        return f"{self.finished_at}#{self.workout_id}"


class StoreError(Exception):
    """Anything a store refuses or fails at; the store is plain Python, so its errors are its own."""


class StaleRecord(StoreError):
    """A save was refused: the record changed (another device, another worker) since it was read."""


class StoreUnavailable(StoreError):
    """The store could not be read or written: a timeout, a damaged file, a missing table, a down server."""


class SaveOutcomeUnknown(StoreUnavailable):
    """A write was sent and never answered: it may or may not have been applied."""


class CorruptAttributes(StoreError):
    """An owner's stored record is not valid JSON; ``revision`` is the damaged record's."""

    def __init__(self, message: str, revision: int | None = None) -> None:
        super().__init__(message)
        self.revision = revision


class RecordStore(Protocol):
    """The one interface every store offers (SQLite, DynamoDB), with the same behaviour."""

    def load(self, owner: Owner, seen: int | None = None, *, with_summary: bool = False) -> Loaded:
        """The live record; a worker holding revision ``seen`` in memory reads nothing. With
        ``with_summary``, the summary is read in the same read (for ``load_summary`` to give)."""

    def load_summary(self, owner: Owner, at: int | None) -> dict[str, Any] | None:
        """The summary written at revision ``at`` (a ``Loaded.summary_at``): from this worker's copy
        when it holds that one, else one read; None, reading nothing, when ``at`` is None."""

    def save(self, owner: Owner, attributes: dict[str, Any], based_on: int | None,
             log: Sequence[LogItem] = (), summary: dict[str, Any] | None = None) -> int | None:
        """Atomically write the record if still at revision ``based_on`` (else StaleRecord, nothing
        written), append the log items, and write ``summary`` if given; the new revision."""

    def log_page(self, owner: Owner, *, limit: int = 10, before: str | None = None,
                 since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        """Newest first, at most ``limit``: workout bodies, or with ``exercise`` that exercise's slices
        (each with "finished_at" and "workout_id"); ``before`` (exclusive) and ``since`` (inclusive)
        bound finished_at."""

    def delete_owner(self, owner: Owner) -> None:
        """The owner's live record and whole log."""

    def delete_account(self, user_id: str) -> None:
        """The account's own state and every person's in it (live records and logs)."""

    def health(self) -> str | None:
        """None when the store can be read and written; else a one-line reason (for /healthz)."""


def exercise_slice(item: LogItem, exercise: str) -> dict[str, Any]:
    """What a by-exercise page gives for one entry: the slice, with the entry's time and workout id."""
    return {**item.exercises[exercise], "finished_at": item.finished_at, "workout_id": item.workout_id}


def check_exercise(exercise: str) -> str:
    """An exercise id as a key part: not empty, no separator."""
    if not exercise or KEY_SEPARATOR in exercise:
        raise ValueError(f"an exercise id is not empty and holds no {KEY_SEPARATOR!r}: {exercise!r}")
    return exercise


def page_limit(limit: int) -> int:
    """A page size checked once for every store: at least one entry."""
    if limit < 1:
        raise ValueError(f"a page holds at least one entry, asked for {limit}")
    return limit

