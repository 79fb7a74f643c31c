"""The training log in the conversation: the person's unit, the load for this set, the suggestion an
exercise opens with, the summary's per-exercise knowledge (read through one accessor), and the words
for what was logged, a check-back, a best and the workout's summary (spoken and as a card).

The rules are pure (``skill.training.progression``); this module only finds their inputs on the
turn. ``known`` is the one place the conversation reads the log's summary, so moving the summary
elsewhere changes one function.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from skill.content import Content
from skill.conversation.context import Context
from skill.conversation.reply import Card, Reply
from skill.conversation.session import Pending, Question, Turn
from skill.ssml import Speech
from skill.training.progression import (
    Heard,
    PersonalBest,
    RepRange,
    Rules,
    Suggestion,
    load_rules,
    personal_best,
    suggest,
)
from skill.training.summary import ExerciseSummary
from skill.training.workout_summary import WorkoutSummary, workout_summary
from skill.memo import IdentityMemo
from skill.workout.plan import PlanItem
from skill.workout.progress import UserRecord, Workout


# The snapshot's entries read so far, by the saved entry they were read from: the workout hands the
# same entries on from save to save, so each is read once per workout, not once per turn.
_known_read: IdentityMemo[tuple[str, ExerciseSummary]] = IdentityMemo()


def rules() -> Rules:
    """The coaching numbers (content data, read once)."""
    return load_rules()


def person_unit(turn: Turn) -> str:
    """The person's unit: the one they chose, else their locale's."""
    return turn.record.unit or rules().default_unit(turn.locale)


def known(record: UserRecord, exercise_id: str) -> ExerciseSummary | None:
    """What the log's summary knows of an exercise (last time's sets, the best, stalls): from the
    snapshot the workout took when it started, so a mid-workout turn never reads the summary."""
    workout = record.workout
    if workout is not None and workout.known is not None:
        saved = workout.known.get(exercise_id)
        if saved is None:
            return None
        if (read := _known_read.get(saved)) is None or read[0] != exercise_id:
            read = (exercise_id, ExerciseSummary.from_dict(exercise_id, saved))
            _known_read.put(saved, read)
        return read[1]
    return record.summary.exercises.get(exercise_id)


def snapshot(content: Content, record: UserRecord, workout: Workout) -> dict[str, dict[str, Any]]:
    """What the summary knows of the workout's loaded exercises, for the workout to keep (``known``)."""
    loaded = {item.exercise_id for item in workout.items if implement(content, workout, item) is not None}
    exercises = record.summary.exercises if loaded else {}
    saved = {exercise: exercises[exercise].to_dict() for exercise in sorted(loaded) if exercise in exercises}
    # The workout's turns need not read these back: each saved entry is the summary's entry written
    # out, and reads back as it is (to_dict and from_dict agree; a test holds them to it).
    for exercise, entry in saved.items():
        _known_read.put(entry, (exercise, exercises[exercise]))
    return saved


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
    suggested = _suggested(before, item, tool)
    return None if suggested.change == "first" else suggested


# Suggestions worked out so far, by the summary entry they were worked out from: ``known`` hands a
# workout the same entry turn after turn, so each plan item's suggestion is worked out once. Safe to
# keep: the entry is frozen (and held here, so its id is not reused), the items are frozen, and the
# rules are read once per process.
_suggestions: IdentityMemo[dict[tuple[PlanItem, str], Suggestion]] = IdentityMemo()


def _suggested(before: ExerciseSummary, item: PlanItem, tool: str) -> Suggestion:
    """``suggest`` for ``item`` lifted with ``tool``, after ``before``."""
    kept = _suggestions.value_of(before, lambda _entry: {})
    suggested = kept.get((item, tool))
    if suggested is None:
        suggested = kept[item, tool] = suggest(before.sets, rep_range(item), tool, before.stalls, rules())
    return suggested


def current_load(content: Content, record: UserRecord, workout: Workout) -> tuple[float, str] | None:
    """The load this set is done at unless another is said: the set before it (of this plan item),
    else the suggestion; None when there is none."""
    before = [logged for logged in workout.performed_of(workout.current.exercise_id, position=workout.position)
              if logged.load is not None and logged.unit is not None]
    if before:
        return before[-1].load, before[-1].unit  # type: ignore[return-value]
    suggested = suggestion(content, record, workout)
    if suggested is not None and suggested.load is not None and suggested.unit is not None:
        return suggested.load, suggested.unit
    return None


def ask_back(ctx: Context, reason: str, heard: Heard, rpe: float | None) -> Reply:
    """"Did you say 900 kilos?": the set heard waits in the session for a yes."""
    if reason == "reps":
        words = ctx.say("check_back.reps", reps=heard.reps)
    else:
        assert heard.load is not None and heard.unit is not None
        words = ctx.say("check_back.load", load=ctx.phrasing.load(heard.load, heard.unit))
    kept = {"reps": heard.reps, "load": heard.load, "unit": heard.unit, "rpe": rpe}
    return Reply.ask(Speech(words), ctx.say("check_back.reprompt"), question=Question(Pending.CHECK_SET, heard=kept))


def logged_words(ctx: Context, reps: int | None, load: float | None, unit: str | None) -> str:
    """"8 at 60 kilos.", "8 reps.", "At 60 kilos.": what was logged, when something was said."""
    if load is not None and unit is not None:
        spoken = ctx.phrasing.load(load, unit)
        return ctx.say("logged.reps_at", reps=reps, load=spoken) if reps else ctx.say("logged.at", load=spoken)
    return ctx.say("logged.reps", reps=reps, reps_word=ctx.phrasing.plural(reps, "rep")) if reps else ""


def best_beaten(ctx: Context, workout: Workout, exercise_id: str) -> PersonalBest | None:
    """The personal best the set of ``exercise_id`` just logged beat (against the summary's best, last
    time's sets and today's earlier ones), if any."""
    *today, logged = workout.performed_of(exercise_id)
    before = known(ctx.record, exercise_id)
    sets = [*(before.sets if before else ()), *today]
    return personal_best(logged, before.best if before else None, sets, rules())


def summary_of(ctx: Context, workout: Workout) -> WorkoutSummary:
    """The workout's summary, against what the log's summary knew before it."""
    sets = workout.logged_sets()
    main = {item.exercise_id: item for item in workout.items if item.block == "main" and not item.ramp_up}
    implements = {exercise: tool for exercise, item in main.items()
                  if (tool := implement(ctx.content, workout, item)) is not None}
    before = {exercise: found for exercise in implements if (found := known(ctx.record, exercise)) is not None}
    minutes = max(1, round(workout.active_seconds / 60))
    return workout_summary(sets, before, {exercise: rep_range(item) for exercise, item in main.items()},
                           implements, rules(), unit=person_unit(ctx.turn), minutes=minutes,
                           stalls={exercise: found.stalls for exercise, found in before.items()})


def summary_lines(ctx: Context, summary: WorkoutSummary) -> list[str]:
    """Volume, today's bests and next time's changes, short."""
    lines = []
    if summary.volume > 0:
        lines.append(ctx.say("summary.volume", load=ctx.phrasing.load(round(summary.volume), summary.unit)))
    if summary.bests:
        lines.append(ctx.say("summary.bests", bests=ctx.phrasing.list(_bests(ctx, summary))))
    changes = [ctx.say(f"summary.target_{target.suggestion.change}", name=ctx.content.exercise(target.exercise).name,
                       load=ctx.phrasing.load(target.suggestion.load or 0, target.suggestion.unit or summary.unit))
               for target in summary.targets if target.suggestion.change in ("up", "down")]
    if changes:
        lines.append(ctx.say("summary.next", targets=ctx.phrasing.list(changes)))
    elif summary.targets:
        lines.append(ctx.say("summary.next_same"))
    return lines


def card(ctx: Context, summary: WorkoutSummary) -> Card:
    """The same summary for the Alexa app: one line each."""
    lines = [ctx.say("card.done", exercises=summary.exercises, sets=summary.sets, minutes=summary.minutes,
                     exercises_word=ctx.phrasing.plural(summary.exercises, "exercise"),
                     sets_word=ctx.phrasing.plural(summary.sets, "set"),
                     minutes_word=ctx.phrasing.plural(summary.minutes, "minute"))]
    if summary.volume > 0:
        lines.append(ctx.say("card.volume", load=ctx.phrasing.load(round(summary.volume), summary.unit)))
    if summary.bests:
        lines.append(ctx.say("card.bests", bests=", ".join(_bests(ctx, summary))))
    if summary.targets:
        lines.append(ctx.say("card.targets", targets=", ".join(
            ctx.say("card.target", name=ctx.content.exercise(target.exercise).name,
                    load=ctx.phrasing.load(target.suggestion.load or 0, target.suggestion.unit or summary.unit))
            for target in summary.targets)))
    return Card(ctx.say("card.title"), "\n".join(lines))


def _bests(ctx: Context, summary: WorkoutSummary) -> list[str]:
    """"squat, 10 at 60 kilos", one per best of the day."""
    return [ctx.say("summary.best", name=ctx.content.exercise(best.exercise).name, reps=best.reps,
                    load=ctx.phrasing.load(best.load, best.unit)) for best in summary.bests]
