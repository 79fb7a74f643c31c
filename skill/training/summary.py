"""The summary of a person's whole log that the live record carries: small, bounded, updated in O(1).

Per exercise: the day it was last done, that day's sets, and the best set so far (by estimated
one-rep max, Epley; none until a load is logged). Counts: workouts in all, by month and by year.
The streak: consecutive calendar weeks with at least one leg day. Everything here can be rebuilt
by adding the log's entries oldest first (``history.rebuild``), so damage costs a summary, never a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from skill.training.calendar import month_of, week_of, year_of
from skill.training.log import BadEntry, LogEntry, LoggedSet

# Bounds that keep the record the same size whatever the history: the content has about thirty
# exercises, a month key per month for two years, a year key per year for ten.
MAX_EXERCISES = 48
MONTHS_KEPT = 24
YEARS_KEPT = 10


def epley(load: float, reps: int) -> float:
    """Estimated one-rep max: load x (1 + reps / 30); the load itself for a single."""
    return float(load) if reps <= 1 else load * (1 + reps / 30)


@dataclass(frozen=True)
class Best:
    """A personal best: the set with the highest estimated one-rep max, and when."""

    load: float
    unit: str
    reps: int
    e1rm_kg: float
    date: str

    def to_dict(self) -> dict[str, Any]:
        return {"load": self.load, "unit": self.unit, "reps": self.reps, "e1rm_kg": self.e1rm_kg, "date": self.date}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Best:
        return cls(load=raw["load"], unit=str(raw["unit"]), reps=int(raw["reps"]), e1rm_kg=float(raw["e1rm_kg"]),
                   date=str(raw["date"]))

    @classmethod
    def of(cls, logged: LoggedSet, day: str) -> Best | None:
        """The set as a best, if it carries a load and reps."""
        load_kg = logged.load_kg
        if load_kg is None or logged.load is None or logged.unit is None or not logged.reps or logged.skipped:
            return None
        return cls(logged.load, logged.unit, logged.reps, round(epley(load_kg, logged.reps), 2), day)


@dataclass(frozen=True)
class ExerciseSummary:
    """What the coach knows of one exercise without reading the log."""

    date: str
    sets: tuple[LoggedSet, ...]
    best: Best | None = None
    # Sessions running under the bottom of the rep range at one load (set by the progression rules).
    stalls: int = 0

    def to_dict(self) -> dict[str, Any]:
        # The exercise is the key the summary is kept under: not repeated in every set.
        sets = [{key: value for key, value in logged.to_compact().items() if key != "exercise"} for logged in self.sets]
        raw: dict[str, Any] = {"date": self.date, "sets": sets}
        if self.best is not None:
            raw["best"] = self.best.to_dict()
        if self.stalls:
            raw["stalls"] = self.stalls
        return raw

    @classmethod
    def from_dict(cls, exercise: str, raw: dict[str, Any]) -> ExerciseSummary:
        return cls(
            date=str(raw["date"]),
            sets=tuple(LoggedSet.from_dict({"exercise": exercise, **logged}) for logged in raw["sets"]),
            best=Best.from_dict(raw["best"]) if raw.get("best") else None,
            stalls=int(raw.get("stalls", 0)),
        )


@dataclass
class Summary:
    """Per-exercise last sets and bests, workout counts and the weekly streak."""

    exercises: dict[str, ExerciseSummary] = field(default_factory=dict)
    workouts: int = 0
    months: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    streak_weeks: int = 0
    # The Monday of the last week with a leg day (ISO date), None before the first.
    streak_week: str | None = None

    def add(self, entry: LogEntry) -> list[str]:
        """Count a finished workout in; the exercises whose best it raised. O(sets in the entry)."""
        day = date.fromisoformat(entry.date)
        self.workouts += 1
        self.months = _bounded({**self.months, month_of(day): self.months.get(month_of(day), 0) + 1}, MONTHS_KEPT)
        self.years = _bounded({**self.years, year_of(day): self.years.get(year_of(day), 0) + 1}, YEARS_KEPT)
        self._count_week(week_of(day))
        return self._note_exercises(entry)

    def copy(self) -> Summary:
        """A copy to change apart from this one (the entries are frozen and shared)."""
        return replace(self, exercises=dict(self.exercises), months=dict(self.months), years=dict(self.years))

    def streak(self, today: date) -> int:
        """Consecutive weeks with a leg day, up to ``today``'s week: this week not trained yet does not
        break it, a whole week without one does."""
        if self.streak_week is None:
            return 0
        gap = (week_of(today) - date.fromisoformat(self.streak_week)).days
        return self.streak_weeks if 0 <= gap <= 7 else 0

    def in_month(self, day: date) -> int:
        return self.months.get(month_of(day), 0)

    def in_year(self, day: date) -> int:
        return self.years.get(year_of(day), 0)

    def _count_week(self, week: date) -> None:
        last = date.fromisoformat(self.streak_week) if self.streak_week else None
        if last is None or week > last:
            self.streak_weeks = self.streak_weeks + 1 if last is not None and week - last == timedelta(days=7) else 1
            self.streak_week = week.isoformat()
        # A week before the last one counted (an entry added late) changes nothing: it cannot be
        # told whether it joins the streak without the weeks in between.

    def _note_exercises(self, entry: LogEntry) -> list[str]:
        done: dict[str, list[LoggedSet]] = {}
        for logged in entry.done_sets():
            if logged.block == "main":
                done.setdefault(logged.exercise, []).append(logged)
        raised = []
        for exercise, sets in done.items():
            known = self.exercises.get(exercise)
            best = known.best if known else None
            for logged in sets:
                candidate = Best.of(logged, entry.date)
                if candidate is not None and (best is None or candidate.e1rm_kg > best.e1rm_kg):
                    best = candidate
            if best is not None and best != (known.best if known else None):
                raised.append(exercise)
            if known is None or entry.date >= known.date:
                self.exercises[exercise] = ExerciseSummary(entry.date, tuple(sets), best)
            else:
                self.exercises[exercise] = ExerciseSummary(known.date, known.sets, best)
        if len(self.exercises) > MAX_EXERCISES:
            kept = sorted(self.exercises.items(), key=lambda pair: pair[1].date, reverse=True)[:MAX_EXERCISES]
            self.exercises = dict(kept)
        return raised

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercises": {exercise: summary.to_dict() for exercise, summary in self.exercises.items()},
            "workouts": self.workouts,
            "months": dict(self.months),
            "years": dict(self.years),
            "streak": {"weeks": self.streak_weeks, "week": self.streak_week},
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Summary:
        """A saved summary; BadEntry if it is damaged (the caller starts a new one: it is derived data)."""
        if not raw:
            return cls()
        try:
            streak = raw.get("streak") or {}
            summary = cls(
                exercises={str(exercise): ExerciseSummary.from_dict(str(exercise), value)
                           for exercise, value in raw.get("exercises", {}).items()},
                workouts=int(raw.get("workouts", 0)),
                months={str(key): int(count) for key, count in raw.get("months", {}).items()},
                years={str(key): int(count) for key, count in raw.get("years", {}).items()},
                streak_weeks=int(streak.get("weeks", 0)),
                streak_week=None if streak.get("week") is None else date.fromisoformat(streak["week"]).isoformat(),
            )
            for known in summary.exercises.values():
                date.fromisoformat(known.date)
        except BadEntry:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise BadEntry(f"saved summary is damaged: {error!r}") from error
        return summary


def _bounded(counts: dict[str, int], keep: int) -> dict[str, int]:
    """The ``keep`` latest keys (keys sort in time order)."""
    if len(counts) <= keep:
        return counts
    return {key: counts[key] for key in sorted(counts)[-keep:]}
