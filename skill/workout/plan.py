"""Building a leg day plan from a level, a length and the equipment at hand."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from skill.content import Content, Exercise


@dataclass(frozen=True)
class PlanItem:
    """One exercise of a plan: how many sets, of how many reps (or seconds held), with what rest."""

    exercise_id: str
    block: str
    sets: int
    reps: int = 0
    hold_seconds: int = 0
    rest_seconds: int = 0

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds > 0

    def to_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict: this runs for every item on every save.
        return {
            "exercise_id": self.exercise_id,
            "block": self.block,
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "rest_seconds": self.rest_seconds,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PlanItem:
        return _saved_item(raw["exercise_id"], raw["block"], raw["sets"], raw.get("reps", 0),
                           raw.get("hold_seconds", 0), raw.get("rest_seconds", 0))


@lru_cache(maxsize=1024)
def _saved_item(exercise_id: Any, block: Any, sets: Any, reps: Any, hold_seconds: Any, rest_seconds: Any) -> PlanItem:
    """A saved plan item, read once per process: every turn reads the same few back (items are immutable)."""
    return PlanItem(exercise_id=str(exercise_id), block=str(block), sets=int(sets), reps=int(reps),
                    hold_seconds=int(hold_seconds), rest_seconds=int(rest_seconds))


@dataclass(frozen=True)
class PlanOptions:
    """What the person asked for; anything not asked for comes from their last workout or the defaults."""

    level: str
    length: int
    equipment: str


def work_seconds(item: PlanItem, exercise: Exercise, content: Content) -> int:
    """Time under work for one set of an item."""
    per_set = item.hold_seconds if item.is_hold else item.reps * content.timing["seconds_per_rep"]
    return per_set * (2 if exercise.per_side else 1)


def estimate_seconds(items: list[PlanItem], content: Content) -> int:
    """Estimated duration of a whole plan, rests included (no rest after the very last set)."""
    total = 0
    for item in items:
        exercise = content.exercise(item.exercise_id)
        total += content.timing["setup_seconds"]
        total += item.sets * (work_seconds(item, exercise, content) + item.rest_seconds)
    if items:
        total -= items[-1].rest_seconds
    return total


def _fixed_block(entries: list[dict[str, Any]], block: str, rest: int) -> list[PlanItem]:
    return [
        PlanItem(
            exercise_id=entry["exercise"],
            block=block,
            sets=1,
            reps=int(entry.get("reps", 0)),
            hold_seconds=int(entry.get("hold_seconds", 0)),
            rest_seconds=rest,
        )
        for entry in entries
    ]


def build_plan(options: PlanOptions, content: Content) -> list[PlanItem]:
    """Warm-up, then the level's main exercises, in order, each that still fits the length, then cool-down.

    At least two main exercises are always included, so even the shortest plan is a real
    workout; when those two do not fit, sets and then rests are trimmed until they do.
    """
    level = content.levels[options.level]
    blocks = content.lengths[options.length]
    rest = content.warmup_cooldown_rest
    warmup = _fixed_block(blocks["warmup"], "warmup", rest)
    cooldown = _fixed_block(blocks["cooldown"], "cooldown", rest)
    budget = options.length * 60

    main: list[PlanItem] = []
    for exercise_id in level.main:
        exercise = content.exercise(exercise_id)
        candidate = PlanItem(
            exercise_id=exercise_id,
            block="main",
            sets=level.sets,
            reps=0 if exercise.is_hold else level.reps,
            hold_seconds=level.hold_seconds if exercise.is_hold else 0,
            rest_seconds=level.rest_seconds,
        )
        if len(main) >= 2 and estimate_seconds(warmup + main + [candidate] + cooldown, content) > budget:
            continue
        main.append(candidate)
    return warmup + _trimmed_to_fit(main, warmup, cooldown, budget, content) + cooldown


def _trimmed_to_fit(
    main: list[PlanItem], warmup: list[PlanItem], cooldown: list[PlanItem], budget: int, content: Content
) -> list[PlanItem]:
    """Fewer sets (not under two), then shorter rests (not under the minimum), until the plan fits."""
    step = content.timing["rest_step_seconds"]
    shortest_rest = content.timing["min_rest_seconds"] * 2
    while estimate_seconds(warmup + main + cooldown, content) > budget:
        if main[0].sets > 2:
            main = [replace(item, sets=item.sets - 1) for item in main]
        elif main[0].rest_seconds - step >= shortest_rest:
            main = [replace(item, rest_seconds=item.rest_seconds - step) for item in main]
        else:
            break
    return main
