"""What the skill's interceptors ask of a store: a user's record with its revision, and a write
that is refused if the record changed since that revision was read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

# The revision of a user who has no record yet.
NO_RECORD = 0
# The session attribute carrying the revision of the record the session last saw. It depends on
# the store's history, not on the conversation, so transcripts leave it out of what they compare.
REVISION_KEY = "revision"


class CorruptAttributes(PersistenceException):
    """The stored attributes of a user are not valid JSON; ``revision`` is the damaged record's."""

    def __init__(self, message: str, revision: int | None = None) -> None:
        super().__init__(message)
        self.revision = revision


class StaleRecord(PersistenceException):
    """A save was refused: the record changed (another device, another worker) since it was read."""


@dataclass(frozen=True)
class Loaded:
    """A user's stored attributes (not to be changed) and their revision (None: not tracked)."""

    attributes: dict[str, Any]
    revision: int | None


class RecordStore(Protocol):
    def load(self, request_envelope: RequestEnvelope, seen: Any = None) -> Loaded:
        """The record; ``seen`` is the revision the session last saw (a store may skip the read)."""

    def save(self, request_envelope: RequestEnvelope, attributes: dict[str, Any], based_on: int | None) -> int | None:
        """Write the record if still at revision ``based_on``; the new revision (StaleRecord if not)."""


class UnrevisionedStore:
    """Any ASK SDK persistence adapter as a RecordStore: read every turn, last write wins."""

    def __init__(self, adapter: AbstractPersistenceAdapter) -> None:
        self.adapter = adapter

    def load(self, request_envelope: RequestEnvelope, seen: Any = None) -> Loaded:
        return Loaded(self.adapter.get_attributes(request_envelope), None)

    def save(self, request_envelope: RequestEnvelope, attributes: dict[str, Any], based_on: int | None) -> None:
        self.adapter.save_attributes(request_envelope, attributes)


def record_store(adapter: AbstractPersistenceAdapter) -> RecordStore:
    """The adapter itself if it keeps revisions, else the adapter read and written plainly."""
    if callable(getattr(adapter, "load", None)) and callable(getattr(adapter, "save", None)):
        return adapter  # type: ignore[return-value]
    return UnrevisionedStore(adapter)
