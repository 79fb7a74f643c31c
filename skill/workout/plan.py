"""Building a leg day plan from a level, a length and the equipment at hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from skill.content import Content, Exercise


# The blocks of a plan, in the order a workout goes through them.
BLOCKS = ("warmup", "main", "cooldown")


@dataclass(frozen=True)
class PlanItem:
    """One exercise of a plan: how many sets, of how many reps (or seconds held), with what rest.

    ``reps`` is the bottom of the rep range and ``reps_max`` its top (0: a single number);
    ``ramp_up`` marks the lighter set before a heavy lift (not a work set).
    """

    exercise_id: str
    block: str
    sets: int
    reps: int = 0
    hold_seconds: int = 0
    rest_seconds: int = 0
    reps_max: int = 0
    ramp_up: bool = False

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds > 0

    @property
    def top_reps(self) -> int:
        """The most reps a set of this item asks for."""
        return max(self.reps, self.reps_max)

    def to_dict(self) -> dict[str, Any]:
        """The item as a saved workout keeps it: fields at their defaults left out (``from_dict``, in
        this release and earlier ones, reads them back as the defaults), about half the size."""
        raw: dict[str, Any] = {"exercise_id": self.exercise_id, "block": self.block, "sets": self.sets}
        for key, value in (("reps", self.reps), ("hold_seconds", self.hold_seconds),
                           ("rest_seconds", self.rest_seconds), ("reps_max", self.reps_max)):
            if value:
                raw[key] = value
        if self.ramp_up:
            raw["ramp_up"] = True
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PlanItem:
        # Fields added later (reps_max, ramp_up) have defaults, so workouts saved before them load.
        return _saved_item(raw["exercise_id"], raw["block"], raw["sets"], raw.get("reps", 0),
                           raw.get("hold_seconds", 0), raw.get("rest_seconds", 0), raw.get("reps_max", 0),
                           raw.get("ramp_up", False) is True)


@lru_cache(maxsize=1024)
def _saved_item(exercise_id: Any, block: Any, sets: Any, reps: Any, hold_seconds: Any, rest_seconds: Any,
                reps_max: Any, ramp_up: bool) -> PlanItem:
    """A saved plan item, read once per process: every turn reads the same few back (items are immutable)."""
    return PlanItem(exercise_id=str(exercise_id), block=str(block), sets=int(sets), reps=int(reps),
                    hold_seconds=int(hold_seconds), rest_seconds=int(rest_seconds), reps_max=int(reps_max),
                    ramp_up=ramp_up)


@dataclass(frozen=True)
class PlanOptions:
    """What the person asked for; anything not asked for comes from their last workout or the defaults."""

    level: str
    length: int
    equipment: str


def work_seconds(item: PlanItem, exercise: Exercise, content: Content) -> int:
    """Time under work for one set of an item (the top of its rep range)."""
    per_set = item.hold_seconds if item.is_hold else item.top_reps * content.timing["seconds_per_rep"]
    return per_set * (2 if exercise.per_side else 1)


def estimate_seconds(items: list[PlanItem], content: Content) -> int:
    """Estimated duration of a whole plan, rests included.

    No rest follows the very last set, nor the last main set before the cool-down (the
    stretches are the recovery).
    """
    timing = content.timing
    setup, flow_setup = timing["setup_seconds"], timing["flow_setup_seconds"]
    total = 0
    for item, following in zip(items, [*items[1:], None]):
        total += setup if item.block == "main" else flow_setup
        rests_after_last_set = following is not None and following.block == "main"
        rests = item.sets if rests_after_last_set else item.sets - 1
        total += item.sets * work_seconds(item, content.exercise(item.exercise_id), content) + rests * item.rest_seconds
    return total


def _fixed_block(entries: list[dict[str, Any]], block: str) -> list[PlanItem]:
    """Warm-up or cool-down: one set each, flowing from one to the next without rests."""
    return [
        PlanItem(exercise_id=entry["exercise"], block=block, sets=1, reps=int(entry.get("reps", 0)),
                 hold_seconds=int(entry.get("hold_seconds", 0)))
        for entry in entries
    ]


def _main_items(exercise: Exercise, level: str, ramp_up: bool, content: Content) -> list[PlanItem]:
    """An exercise as prescribed for ``level``, after a lighter ramp-up set when asked for."""
    prescription = exercise.prescription(level)
    work = PlanItem(exercise_id=exercise.id, block="main", sets=prescription.sets,
                    reps=0 if exercise.is_hold else prescription.reps_low,
                    reps_max=0 if exercise.is_hold else prescription.reps_high,
                    hold_seconds=prescription.hold_seconds if exercise.is_hold else 0,
                    rest_seconds=prescription.rest_seconds)
    if not ramp_up:
        return [work]
    ramp = PlanItem(exercise_id=exercise.id, block="main", sets=1, reps=content.ramp_up["reps"],
                    rest_seconds=content.ramp_up["rest_seconds"], ramp_up=True)
    return [ramp, work]


def build_plan(options: PlanOptions, content: Content) -> list[PlanItem]:
    """Warm-up; the level's main block (squat, hinge, single-leg, then extras while they fit); cool-down.

    The required movements are always there. Extras (an accessory, calves) are added in order
    while the plan still fits with at least two sets of each and rests of at least two minutes
    (or as prescribed, when shorter), so a higher level trades sets and rest for movements before
    it drops one. When even the required movements do not fit, rests come down further too.

    Each plan is worked out once per process (``_planned``); the caller gets a list of its own.
    """
    return list(_planned(options, content))


# Every workout start plans one of a few dozen option sets (levels x lengths x equipment, per
# language) from content that never changes in a process: each is worked out once. Safe to share:
# the items are frozen, a Content is its language's packaged files (equal Contents, equal plans),
# and each caller gets a list of its own.
@lru_cache(maxsize=256)
def _planned(options: PlanOptions, content: Content) -> tuple[PlanItem, ...]:
    return tuple(_build_plan(options, content))


def _build_plan(options: PlanOptions, content: Content) -> list[PlanItem]:
    """The plan for ``options``, worked out (``build_plan`` says how)."""
    level = content.levels[options.level]
    blocks = content.lengths[options.length]
    warmup = _fixed_block(blocks["warmup"], "warmup")
    cooldown = _fixed_block(blocks["cooldown"], "cooldown")
    budget = options.length * 60

    def items_for(optional: bool) -> list[list[PlanItem]]:
        return [
            _main_items(content.exercise(slot.exercises[options.equipment]), options.level,
                        options.equipment in slot.ramp_up, content)
            for slot in level.main if slot.optional is optional
        ]

    def fits(main: list[PlanItem]) -> bool:
        return estimate_seconds(warmup + main + cooldown, content) <= budget

    required = [item for items in items_for(False) for item in items]
    extras = items_for(True)
    gentle = _gentle_trims(content)
    for count in range(len(extras), 0, -1):
        main = _trimmed(required + [item for items in extras[:count] for item in items], fits, gentle, content)
        if fits(main):
            return warmup + main + cooldown
    return warmup + _trimmed(required, fits, _all_trims(content), content) + cooldown


Trims = tuple[tuple[str, int], ...]


def _gentle_trims(content: Content) -> Trims:
    """What an extra exercise may cost: sets down to three, rests down to two minutes, then sets down to two."""
    return (("sets", 3), ("rest", max(content.timing["short_rest_floor_seconds"], 150)), ("sets", 2))


def _all_trims(content: Content) -> Trims:
    """What fitting the required movements may cost: then rests down to the floor too."""
    return (*_gentle_trims(content), ("rest", content.timing["short_rest_floor_seconds"]))


def _trimmed(main: list[PlanItem], fits: Callable[[list[PlanItem]], bool], trims: Trims,
             content: Content) -> list[PlanItem]:
    """Trimmed in rounds until it fits (or the rounds run out): each round takes a set from the
    exercise with the most sets, or a rest step from the longest rest, down to its limit; the later
    exercise gives first on a tie, so the first lifts keep the most."""
    step = content.timing["rest_step_seconds"]
    main = list(main)
    for what, limit in trims:
        while not fits(main):
            if what == "sets":
                work = [index for index, item in enumerate(main) if not item.ramp_up]
                most = max(work, key=lambda index: (main[index].sets, index))
                if main[most].sets <= limit:
                    break
                main[most] = replace(main[most], sets=main[most].sets - 1)
            else:
                longest = max(range(len(main)), key=lambda index: (main[index].rest_seconds, index))
                if main[longest].rest_seconds - step < limit:
                    break
                main[longest] = replace(main[longest], rest_seconds=main[longest].rest_seconds - step)
    return main
