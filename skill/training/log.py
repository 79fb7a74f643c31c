"""The training log: one entry per finished workout, holding every set as it was done.

An entry is written once, when the workout ends (finished, or ended early with sets done), and
never rewritten. It stores what was done in the unit it was said (loads are converted only when
spoken), so it can be exported as the rows lifting apps already read (``strong_rows``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from skill.store.records import LogItem
from skill.training.calendar import parse_moment

# Loads are kept in the unit they were said in.
UNITS = ("kg", "lb")
KG_PER_LB = 0.45359237
# The version of an entry's body, so a later reader can tell shapes apart (entries are never rewritten).
ENTRY_VERSION = 1
# The columns of a Strong CSV export, in its order.
STRONG_COLUMNS = ("Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Weight Unit",
                  "Reps", "Distance", "Seconds", "Notes", "Workout Notes", "RPE")


class BadEntry(ValueError):
    """A log entry or set that cannot be read back."""


@dataclass(frozen=True)
class LoggedSet:
    """One set: the exercise, its number, reps or hold seconds, the load and its unit, the effort (RPE)."""

    exercise: str
    set_number: int
    reps: int | None = None
    seconds: int | None = None
    load: float | None = None
    unit: str | None = None
    rpe: float | None = None
    skipped: bool = False
    block: str = "main"

    @property
    def load_kg(self) -> float | None:
        """The load in kilograms, whatever unit it was said in."""
        if self.load is None or self.unit is None:
            return None
        return self.load * KG_PER_LB if self.unit == "lb" else self.load

    def to_dict(self) -> dict[str, Any]:
        """The set as the log keeps it: every field, None where unknown."""
        return {"exercise": self.exercise, "set": self.set_number, "reps": self.reps, "seconds": self.seconds,
                "load": self.load, "unit": self.unit, "rpe": self.rpe, "skipped": self.skipped,
                "block": self.block}

    def to_compact(self) -> dict[str, Any]:
        """The set as the live record keeps it (read and written every turn): unknown fields left out."""
        compact: dict[str, Any] = {"exercise": self.exercise, "set": self.set_number}
        for key, value in (("reps", self.reps), ("seconds", self.seconds), ("load", self.load),
                           ("unit", self.unit), ("rpe", self.rpe)):
            if value is not None:
                compact[key] = value
        if self.skipped:
            compact["skipped"] = True
        if self.block != "main":
            compact["block"] = self.block
        return compact

    @classmethod
    def from_dict(cls, raw: Any) -> LoggedSet:
        """A set from either form (full or compact); BadEntry for anything else."""
        if not isinstance(raw, dict):
            raise BadEntry(f"a logged set is not an object: {raw!r:.40}")
        try:
            logged = cls(
                exercise=_text(raw["exercise"]),
                set_number=_whole(raw["set"]),
                reps=_maybe_whole(raw.get("reps")),
                seconds=_maybe_whole(raw.get("seconds")),
                load=_maybe_number(raw.get("load")),
                unit=None if raw.get("unit") is None else _text(raw["unit"]),
                rpe=_maybe_number(raw.get("rpe")),
                skipped=raw.get("skipped") is True,
                block=_text(raw.get("block", "main")),
            )
        except KeyError as error:
            raise BadEntry(f"a logged set has no {error}") from error
        if logged.unit is not None and logged.unit not in UNITS:
            raise BadEntry(f"a logged set has an unknown unit: {logged.unit!r:.20}")
        return logged


@dataclass(frozen=True)
class LogEntry:
    """A finished workout (or one ended early with sets done): the session and every set."""

    workout_id: str
    started_at: str
    finished_at: str
    # The day it counts for, in the person's time zone (ISO date).
    date: str
    level: str
    length: int
    equipment: str
    minutes: int
    sets: tuple[LoggedSet, ...]
    # Exercise ids in the order they were done (for a migrated entry, the only record of them).
    exercises: tuple[str, ...]
    # Sets done (skipped ones not counted).
    set_count: int
    ended_early: bool = False
    # Carried over from a record of before the log: the exercises and the count, no sets.
    migrated: bool = False

    def done_sets(self) -> list[LoggedSet]:
        return [logged for logged in self.sets if not logged.skipped]

    def to_body(self) -> dict[str, Any]:
        """The entry as the store keeps it (JSON-safe)."""
        return {
            "v": ENTRY_VERSION, "workout_id": self.workout_id, "started_at": self.started_at,
            "finished_at": self.finished_at, "date": self.date, "level": self.level, "length": self.length,
            "equipment": self.equipment, "minutes": self.minutes, "exercises": list(self.exercises),
            "set_count": self.set_count, "ended_early": self.ended_early, "migrated": self.migrated,
            "sets": [logged.to_dict() for logged in self.sets],
        }

    @classmethod
    def from_body(cls, raw: Any) -> LogEntry:
        """An entry read back from the store (or a page of it); BadEntry if it is not one."""
        if not isinstance(raw, dict):
            raise BadEntry("a log entry is not an object")
        try:
            return cls(
                workout_id=_text(raw["workout_id"]), started_at=_text(raw["started_at"]),
                finished_at=_text(raw["finished_at"]), date=_text(raw["date"]), level=_text(raw["level"]),
                length=_whole(raw["length"]), equipment=_text(raw["equipment"]), minutes=_whole(raw["minutes"]),
                sets=tuple(LoggedSet.from_dict(logged) for logged in _list(raw["sets"])),
                exercises=tuple(_text(exercise) for exercise in _list(raw["exercises"])),
                set_count=_whole(raw["set_count"]), ended_early=raw.get("ended_early") is True,
                migrated=raw.get("migrated") is True,
            )
        except KeyError as error:
            raise BadEntry(f"a log entry has no {error}") from error

    def log_item(self) -> LogItem:
        """The entry as the store appends it, with a slice per exercise for by-exercise pages."""
        slices: dict[str, dict[str, Any]] = {
            exercise: {"date": self.date, "sets": []} for exercise in self.exercises
        }
        for logged in self.sets:
            slices.setdefault(logged.exercise, {"date": self.date, "sets": []})["sets"].append(logged.to_dict())
        return LogItem(finished_at=self.finished_at, workout_id=self.workout_id, body=self.to_body(),
                       exercises=slices)


def workout_id_for(started_at: str, fallback: str) -> str:
    """A workout's id in its owner's log: when it started, compact ("20261128T101500Z")."""
    moment = started_at or fallback
    if not moment:
        return "unknown"
    return parse_moment(moment).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def strong_rows(entry: LogEntry, names: Mapping[str, str], workout_name: str = "Leg day") -> list[dict[str, Any]]:
    """The entry as Strong-style CSV rows (one per set done; ``names`` maps exercise ids to names)."""
    seconds = entry.minutes * 60
    return [
        {
            "Date": entry.finished_at, "Workout Name": workout_name, "Duration": f"{seconds}s",
            "Exercise Name": names.get(logged.exercise, logged.exercise), "Set Order": logged.set_number,
            "Weight": logged.load, "Weight Unit": logged.unit, "Reps": logged.reps, "Distance": None,
            "Seconds": logged.seconds, "Notes": None, "Workout Notes": None, "RPE": logged.rpe,
        }
        for logged in entry.done_sets()
    ]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadEntry(f"expected text, found {value!r:.40}")
    return value


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise BadEntry(f"expected a whole number, found {value!r:.40}")
    return value


def _maybe_whole(value: Any) -> int | None:
    return None if value is None else _whole(value)


def _maybe_number(value: Any) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float) or value != value or value in (float("inf"), float("-inf")):
        raise BadEntry(f"expected a number, found {value!r:.40}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise BadEntry(f"expected a list, found {value!r:.40}")
    return value
