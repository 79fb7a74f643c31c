"""The end-of-workout summary as data: what was done, the volume, today's bests and next time's targets.

``workout_summary`` is pure: the sets of the workout, what the summary knew before it (last time's
sets, bests and stalls per exercise) and today's rep ranges in, a ``WorkoutSummary`` out. The coach
speaks it and sends it as a card; a screen can render the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from skill.training.log import LoggedSet
from skill.training.progression import (
    PersonalBest,
    RepRange,
    Rules,
    Suggestion,
    personal_best,
    stalls_after,
    suggest,
    volume,
)
from skill.training.summary import ExerciseSummary


@dataclass(frozen=True)
class Target:
    """Next time's load for one exercise, and its rep range."""

    exercise: str
    suggestion: Suggestion
    reps: RepRange
    # Sessions running under the bottom of the range, after today (kept with the summary).
    stalls: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "change": self.suggestion.change, "load": self.suggestion.load,
                "unit": self.suggestion.unit, "reps": [self.reps.low, self.reps.high]}


@dataclass(frozen=True)
class WorkoutSummary:
    """One finished workout as the person hears it and sees it."""

    exercises: int
    sets: int
    minutes: int
    # Sets x reps x load over the loaded sets, in ``unit`` (0 when nothing was loaded).
    volume: float
    unit: str
    bests: tuple[PersonalBest, ...] = ()
    targets: tuple[Target, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"exercises": self.exercises, "sets": self.sets, "minutes": self.minutes,
                "volume": round(self.volume), "unit": self.unit, "bests": [best.to_dict() for best in self.bests],
                "targets": [target.to_dict() for target in self.targets]}


def workout_summary(sets: Sequence[LoggedSet], known: Mapping[str, ExerciseSummary], ranges: Mapping[str, RepRange],
                    implements: Mapping[str, str], rules: Rules, *, unit: str, minutes: int,
                    stalls: Mapping[str, int]) -> WorkoutSummary:
    """The summary of a workout's ``sets`` (main-block loaded exercises get bests and targets).

    ``known`` is what the summary held per exercise before this workout, ``ranges`` today's rep
    ranges, ``implements`` what each loaded exercise was lifted with, ``stalls`` the sessions
    running under the range before today.
    """
    done = [logged for logged in sets if not logged.skipped]
    by_exercise: dict[str, list[LoggedSet]] = {}
    for logged in done:
        if logged.block == "main":
            by_exercise.setdefault(logged.exercise, []).append(logged)
    bests: list[PersonalBest] = []
    targets: list[Target] = []
    for exercise, today in by_exercise.items():
        implement = implements.get(exercise)
        if implement is None or exercise not in ranges:
            continue
        before = known.get(exercise)
        beaten = _best_of_day(today, before, rules)
        if beaten is not None:
            bests.append(beaten)
        previous_sets = before.sets if before else ()
        stalled = stalls_after(stalls.get(exercise, 0), previous_sets, today, ranges[exercise])
        suggestion = suggest(today, ranges[exercise], implement, stalled, rules)
        if suggestion.change != "first":
            targets.append(Target(exercise, suggestion, ranges[exercise], stalled))
    return WorkoutSummary(exercises=len({logged.exercise for logged in done}), sets=len(done), minutes=minutes,
                          volume=volume(done, unit), unit=unit, bests=tuple(bests), targets=tuple(targets))


def _best_of_day(today: Sequence[LoggedSet], before: ExerciseSummary | None, rules: Rules) -> PersonalBest | None:
    """The day's best set that beat what was known before the workout (the highest estimate)."""
    known = list(before.sets) if before else []
    best = before.best if before else None
    beaten = [found for logged in today
              if (found := personal_best(logged, best, known, rules)) is not None]
    return max(beaten, key=lambda found: found.e1rm, default=None)
