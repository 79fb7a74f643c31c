"""Records saved before the training log (schema 1): their finished workouts become log entries.

A schema 1 record kept a ``history`` of finished workouts (today's code keeps the last one; older
versions kept up to twenty), each with its date, options, exercise names, set count and minutes,
but not the sets themselves. Each becomes a log entry marked ``migrated``; they are appended to
the log with the first save of the record in the new shape, in the same write, so a record is
migrated exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from skill.training.calendar import local_day, parse_moment, utc_text
from skill.training.log import LogEntry, workout_id_for


def entries_from_history(history: list[dict[str, Any]], ids_by_name: Mapping[str, str], zone: tzinfo,
                         equipment: str) -> list[LogEntry]:
    """Log entries for schema 1 history entries (already checked), oldest first.

    ``ids_by_name`` maps exercise names (what schema 1 kept) back to exercise ids; a name no longer
    in the content keeps its name. Schema 1 did not keep the equipment of a finished workout: the
    record's last options give the best guess.
    """
    entries = []
    for raw in sorted(history, key=lambda entry: parse_moment(entry["date"])):
        finished = parse_moment(raw["date"])
        entries.append(LogEntry(
            workout_id=f"migrated-{workout_id_for('', utc_text(finished))}",
            started_at="",
            finished_at=utc_text(finished),
            date=local_day(finished, zone).isoformat(),
            level=raw["level"],
            length=raw["length"],
            equipment=equipment,
            minutes=raw["minutes"],
            sets=(),
            exercises=tuple(ids_by_name.get(name, name) for name in raw["exercises"]),
            set_count=raw["sets"],
            migrated=True,
        ))
    return entries
