"""Answers from pages of the log (the store reads the pages; these functions only read them)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from skill.training.log import BadEntry, LogEntry, LoggedSet
from skill.training.summary import Summary

log = logging.getLogger(__name__)


def entries(page: Iterable[dict[str, Any]]) -> list[LogEntry]:
    """The entries of a page of workout bodies, in the page's order; an unreadable one is left out."""
    read = []
    for body in page:
        try:
            read.append(LogEntry.from_body(body))
        except BadEntry as error:
            log.warning("a log entry could not be read: %s", error)
    return read


def exercise_sets(page: Iterable[dict[str, Any]]) -> list[tuple[str, list[LoggedSet]]]:
    """A by-exercise page as (day, the sets done that day), in the page's order."""
    days = []
    for slice_ in page:
        try:
            sets = [LoggedSet.from_dict(raw) for raw in slice_.get("sets", [])]
        except BadEntry as error:
            log.warning("a log slice could not be read: %s", error)
            continue
        days.append((str(slice_.get("date", "")), [logged for logged in sets if not logged.skipped]))
    return days


def rebuild(newest_first: Iterable[dict[str, Any]]) -> Summary:
    """The summary made again from the whole log (pages are newest first): for repair, never on a turn."""
    summary = Summary()
    for entry in reversed(entries(newest_first)):
        summary.add(entry)
    return summary
