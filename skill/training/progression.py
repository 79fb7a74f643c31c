"""Progressive overload as pure rules: what to lift next time, what to check back, what is a best.

Double progression over an exercise's rep range: keep the load until every working set reaches the
top of the range, then add the smallest sensible step; a stall (under the bottom of the range for
``stall_sessions`` sessions running at one load) or a set rated too heavy brings it down about
``deload_percent``. The numbers live in ``skill/content/progression.toml``; nothing here knows of
the conversation, the store or Alexa.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from skill.training.log import KG_PER_LB, LoggedSet
from skill.training.summary import Best, epley

KG, LB = "kg", "lb"


@dataclass(frozen=True)
class Rules:
    """The coaching numbers from the content data."""

    pound_locales: tuple[str, ...]
    implements: dict[str, str]
    barbell_exceptions: dict[str, str]
    steps: dict[str, dict[str, float]]
    stall_sessions: int
    deload_percent: float
    epley_max_reps: int
    effort: dict[str, float]
    heavy_rpe: float
    easy_rpe: float
    min_reps: int
    max_reps: int
    jump_ratio: float
    max_load: dict[str, dict[str, float]]

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Rules:
        """The rules from the parsed content file (KeyError or ValueError if it lacks a number)."""
        implements = dict(raw["implements"])
        exceptions = dict(implements.pop("barbell_exceptions", {}))
        effort = dict(raw["effort"])
        heavy, easy = float(effort.pop("heavy_rpe")), float(effort.pop("easy_rpe"))
        rules = cls(
            pound_locales=tuple(raw["units"]["pound_locales"]),
            implements={str(key): str(value) for key, value in implements.items()},
            barbell_exceptions={str(key): str(value) for key, value in exceptions.items()},
            steps={name: {unit: float(step) for unit, step in units.items()} for name, units in raw["steps"].items()},
            stall_sessions=int(raw["progression"]["stall_sessions"]),
            deload_percent=float(raw["progression"]["deload_percent"]),
            epley_max_reps=int(raw["progression"]["epley_max_reps"]),
            effort={str(key): float(value) for key, value in effort.items()},
            heavy_rpe=heavy,
            easy_rpe=easy,
            min_reps=int(raw["check"]["min_reps"]),
            max_reps=int(raw["check"]["max_reps"]),
            jump_ratio=float(raw["check"]["jump_ratio"]),
            max_load={name: {unit: float(limit) for unit, limit in units.items()}
                      for name, units in raw["check"]["max_load"].items()},
        )
        for implement in {*rules.implements.values(), *rules.barbell_exceptions.values()}:
            if set(rules.steps.get(implement, {})) != {KG, LB} or set(rules.max_load.get(implement, {})) != {KG, LB}:
                raise ValueError(f"progression needs kg and lb steps and limits for {implement}")
        return rules

    def implement(self, exercise_id: str, equipment: str, is_hold: bool = False) -> str | None:
        """What the exercise is loaded with in a workout with ``equipment`` (None: bodyweight)."""
        if is_hold or equipment not in self.implements:
            return None
        if equipment == "barbell":
            return self.barbell_exceptions.get(exercise_id, self.implements[equipment])
        return self.implements[equipment]

    def default_unit(self, locale: str) -> str:
        """Pounds where the locale uses them, kilograms elsewhere."""
        return LB if locale in self.pound_locales else KG


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The rules from ``skill/content/progression.toml`` (read once per process, on first use)."""
    text = resources.files("skill.content").joinpath("progression.toml").read_text(encoding="utf-8")
    return Rules.from_dict(tomllib.loads(text))


@dataclass(frozen=True)
class RepRange:
    """An exercise's rep range in today's plan (per leg for per-side work)."""

    low: int
    high: int


@dataclass(frozen=True)
class Suggestion:
    """The load to try: ``change`` is "first" (no load known: choose one), "same", "up" or "down";
    ``last`` holds the working sets of last time it was done (loaded ones only)."""

    change: str
    load: float | None = None
    unit: str | None = None
    last: tuple[LoggedSet, ...] = ()

    @property
    def last_load(self) -> float | None:
        return self.last[-1].load if self.last else None


def to_unit(load: float, unit: str, wanted: str) -> float:
    """``load`` in ``unit`` converted to ``wanted``."""
    if unit == wanted:
        return load
    return load * KG_PER_LB if wanted == KG else load / KG_PER_LB


def in_kg(load: float, unit: str) -> float:
    return to_unit(load, unit, KG)


def round_to_step(load: float, step: float) -> float:
    """``load`` rounded to the nearest loadable step (a whole number when the step is whole)."""
    rounded = round(load / step) * step
    return float(round(rounded, 2))


def working_sets(sets: Sequence[LoggedSet]) -> list[LoggedSet]:
    """The working sets of one exercise's day: done, loaded, after any lighter ramp-up (the sets
    after the last one numbered 1)."""
    done = [logged for logged in sets if not logged.skipped]
    starts = [index for index, logged in enumerate(done) if logged.set_number == 1]
    if starts:
        done = done[starts[-1]:]
    return [logged for logged in done if logged.load is not None and logged.unit is not None]


def stalls_after(previous: int, previous_sets: Sequence[LoggedSet], sets: Sequence[LoggedSet], reps: RepRange) -> int:
    """Sessions running under the bottom of the range at one load, counting the day of ``sets``."""
    work = working_sets(sets)
    if not work or not any((logged.reps or 0) < reps.low for logged in work):
        return 0
    before = working_sets(previous_sets)
    same_load = bool(before) and abs(in_kg(before[-1].load or 0, before[-1].unit or KG)
                                     - in_kg(work[-1].load or 0, work[-1].unit or KG)) < 0.01
    return previous + 1 if same_load else 1


def suggest(last_sets: Sequence[LoggedSet], reps: RepRange, implement: str, stalls: int, rules: Rules) -> Suggestion:
    """Next time's load for one exercise, from the working sets of the last time it was done."""
    work = working_sets(last_sets)
    if not work:
        return Suggestion("first")
    top = work[-1]
    assert top.load is not None and top.unit is not None
    load, unit = top.load, top.unit
    step = rules.steps[implement][unit]
    at_one_load = all(abs(in_kg(s.load or 0, s.unit or KG) - in_kg(load, unit)) < 0.01 for s in work)
    too_heavy = any(s.rpe is not None and s.rpe >= rules.heavy_rpe for s in work)
    if too_heavy or stalls >= rules.stall_sessions:
        lighter = round_to_step(load * (1 - rules.deload_percent / 100), step)
        return Suggestion("down", max(step, min(lighter, load - step)), unit, tuple(work))
    all_at_top = all((s.reps or 0) >= reps.high for s in work)
    easy_last = (top.rpe is not None and top.rpe <= rules.easy_rpe
                 and all((s.reps or 0) >= reps.low for s in work))
    if at_one_load and (all_at_top or easy_last):
        heavier = round_to_step(load + step, step)
        return Suggestion("up", heavier if heavier > load else load + step, unit, tuple(work))
    return Suggestion("same", load, unit, tuple(work))


@dataclass(frozen=True)
class Heard:
    """A set as the person said it, before it is logged."""

    reps: int | None
    load: float | None
    unit: str | None


def check_back(heard: Heard, implement: str | None, last_load: tuple[float, str] | None, rules: Rules) -> str | None:
    """Why a set heard should be checked before it is logged ("reps", "load" or "jump"), or None."""
    if heard.reps is not None and not rules.min_reps <= heard.reps <= rules.max_reps:
        return "reps"
    if heard.load is None or heard.unit is None or implement is None:
        return None
    if heard.load <= 0 or heard.load > rules.max_load[implement][heard.unit]:
        return "load"
    if last_load is not None:
        before = in_kg(*last_load)
        now = in_kg(heard.load, heard.unit)
        if before > 0 and not 1 / rules.jump_ratio <= now / before <= rules.jump_ratio:
            return "jump"
    return None


@dataclass(frozen=True)
class PersonalBest:
    """A best beaten by one set: ``kind`` "e1rm" (estimated one-rep max, Epley) or "reps" (most reps at a load)."""

    exercise: str
    kind: str
    load: float
    unit: str
    reps: int
    e1rm: float

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "kind": self.kind, "load": self.load, "unit": self.unit,
                "reps": self.reps, "e1rm": self.e1rm}


def personal_best(logged: LoggedSet, best: Best | None, known: Sequence[LoggedSet],
                  rules: Rules) -> PersonalBest | None:
    """The best ``logged`` beats, if any: the most reps at a load already lifted (said first: it is
    the concrete one), else the best estimated one-rep max so far (``best``, and the sets ``known``:
    last time's and today's earlier ones). Nothing is a best the first time a load is logged for an
    exercise: there is nothing to beat."""
    if logged.load is None or logged.unit is None or not logged.reps or logged.skipped:
        return None
    load_kg = in_kg(logged.load, logged.unit)
    loaded = [s for s in known if s.load is not None and s.unit is not None and s.reps and not s.skipped]
    if best is None and not loaded:
        return None
    e1rm = epley(load_kg, logged.reps)
    e1rm_said = to_unit(e1rm, KG, logged.unit)
    at_load = [s.reps or 0 for s in loaded if abs(in_kg(s.load or 0, s.unit or KG) - load_kg) < 0.01]
    if best is not None and abs(in_kg(best.load, best.unit) - load_kg) < 0.01:
        at_load.append(best.reps)
    if at_load and logged.reps > max(at_load):
        return PersonalBest(logged.exercise, "reps", logged.load, logged.unit, logged.reps, e1rm_said)
    if logged.reps <= rules.epley_max_reps:
        top = max([best.e1rm_kg if best else 0.0,
                   *(epley(in_kg(s.load or 0, s.unit or KG), s.reps or 0) for s in loaded
                     if (s.reps or 0) <= rules.epley_max_reps)])
        if e1rm > top + 0.01:
            return PersonalBest(logged.exercise, "e1rm", logged.load, logged.unit, logged.reps, e1rm_said)
    return None


def effort_rpe(effort: str | None, rules: Rules) -> float | None:
    """The RPE of an effort word's id ("hard" -> 9), None for none or one not known."""
    return rules.effort.get(effort) if effort else None


def volume(sets: Sequence[LoggedSet], unit: str) -> float:
    """Sets x reps x load, summed over the loaded sets done, in ``unit``."""
    return sum(to_unit(s.load, s.unit, unit) * s.reps for s in sets
               if s.load is not None and s.unit is not None and s.reps and not s.skipped)
