"""The training log in the conversation: the person's unit, the load for this set, the suggestion an
exercise opens with, and the summary's per-exercise knowledge, read through one accessor.

The rules are pure (``skill.training.progression``); this module only finds their inputs on the
turn. ``known`` is the one place the conversation reads the log's summary, so moving the summary
elsewhere changes one function.
"""

from __future__ import annotations

from dataclasses import replace

from skill.content import Content
from skill.conversation.session import Turn
from skill.training.log import LoggedSet
from skill.training.progression import RepRange, Rules, Suggestion, load_rules, suggest
from skill.training.summary import ExerciseSummary
from skill.workout.plan import PlanItem
from skill.workout.progress import UserRecord, Workout


def rules() -> Rules:
    """The coaching numbers (content data, read once)."""
    return load_rules()


def person_unit(turn: Turn) -> str:
    """The person's unit: the one they chose, else their locale's."""
    return turn.record.unit or rules().default_unit(turn.locale)


def known(record: UserRecord, exercise_id: str) -> ExerciseSummary | None:
    """What the log's summary knows of an exercise (last time's sets, the best, stalls)."""
    return record.summary.exercises.get(exercise_id)


def note_stalls(record: UserRecord, stalls: dict[str, int]) -> None:
    """Keep each exercise's sessions under its rep range with the summary (after the finish added the day)."""
    exercises = record.summary.exercises
    for exercise_id, count in stalls.items():
        if exercise_id in exercises and exercises[exercise_id].stalls != count:
            exercises[exercise_id] = replace(exercises[exercise_id], stalls=count)


def implement(content: Content, workout: Workout, item: PlanItem) -> str | None:
    """What this item is lifted with (None: bodyweight, a hold, warm-up or cool-down: no load)."""
    if item.block != "main":
        return None
    return rules().implement(item.exercise_id, workout.options.equipment, content.exercise(item.exercise_id).is_hold)


def rep_range(item: PlanItem) -> RepRange:
    return RepRange(item.reps, item.top_reps)


def suggestion(content: Content, record: UserRecord, workout: Workout) -> Suggestion | None:
    """What the current exercise's working sets should try, from last time (None: nothing to say).

    How to choose a load is said the first time an exercise is done, not every time after to
    someone who never says their loads.
    """
    item = workout.current
    tool = implement(content, workout, item)
    if tool is None or item.ramp_up:
        return None
    before = known(record, item.exercise_id)
    if before is None:
        return Suggestion("first")
    suggested = suggest(before.sets, rep_range(item), tool, before.stalls, rules())
    return None if suggested.change == "first" else suggested


def sets_today(workout: Workout, exercise_id: str) -> list[LoggedSet]:
    """The sets of ``exercise_id`` done so far today, in order."""
    return [logged for _, logged in workout.performed if logged.exercise == exercise_id]


def current_load(content: Content, record: UserRecord, workout: Workout) -> tuple[float, str] | None:
    """The load this set is done at unless another is said: the set before it (of this plan item),
    else the suggestion; None when there is none."""
    before = [logged for position, logged in workout.performed
              if position == workout.position and logged.load is not None and logged.unit is not None]
    if before:
        return before[-1].load, before[-1].unit  # type: ignore[return-value]
    suggested = suggestion(content, record, workout)
    if suggested is not None and suggested.load is not None and suggested.unit is not None:
        return suggested.load, suggested.unit
    return None
