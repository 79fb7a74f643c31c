"""The one way the conversation reads a page of the training log: ``LogPages``, built by the glue.

A turn reads the live record only; a history question may read one page of the log on top. The
glue hands the coach an ``OwnerLog`` (the store and whose log); tests and the console may hand in
anything with ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from skill.store.records import Owner, RecordStore


class LogPages(Protocol):
    """Pages of one owner's log, newest first (see ``RecordStore.log_page``)."""

    def page(self, *, limit: int, since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        """At most ``limit`` workout bodies (or one exercise's slices), finished at ``since`` or later."""
        ...


class NoLog:
    """A log with nothing in it: for a turn that has no store behind it."""

    def page(self, *, limit: int, since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        return []


NO_LOG = NoLog()


@dataclass(frozen=True)
class OwnerLog:
    """The owner's log in the store."""

    store: RecordStore
    owner: Owner

    def page(self, *, limit: int, since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        return self.store.log_page(self.owner, limit=limit, since=since, exercise=exercise)
