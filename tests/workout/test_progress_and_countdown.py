"""Workout progress transitions, saved-state round trips and countdown composition."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timedelta, timezone

import pytest

from skill.content import load_content
from skill.ssml import MAX_BREAK_MS, Speech, break_tags, plain_text
from skill.conversation.coach import Coach
from skill.conversation.countdown import compose_countdown, estimate_speech_seconds
from skill.conversation.said import Done, StartWorkout
from skill.conversation.session import Turn
from skill.training.log import LoggedSet
from skill.workout.plan import PlanOptions, build_plan
from skill.workout.progress import CorruptRecord, HistoryEntry, UserRecord, Workout

CONTENT = load_content()
BREAK = re.compile(r'<break time="(\d+)ms"/>')


def new_workout() -> Workout:
    return Workout(options=PlanOptions("beginner", 15, "dumbbells"),
                   items=build_plan(PlanOptions("beginner", 15, "dumbbells"), CONTENT))


def test_sets_advance_within_an_exercise_then_to_the_next() -> None:
    workout = new_workout()
    main_index = next(index for index, item in enumerate(workout.items) if item.block == "main")
    workout.position = main_index
    outcome = workout.complete_set()
    assert not outcome.exercise_finished and workout.set_number == 2
    outcome = workout.complete_set()
    assert outcome.exercise_finished and workout.position == main_index + 1 and workout.set_number == 1


def test_go_back_undoes_a_set_then_an_exercise() -> None:
    workout = new_workout()
    assert workout.go_back() == ""
    workout.complete_set()
    assert workout.go_back() == "exercise"
    assert workout.position == 0


def test_the_last_set_finishes_the_workout() -> None:
    workout = new_workout()
    outcomes = []
    for _ in range(sum(item.sets for item in workout.items)):
        outcomes.append(workout.complete_set())
    assert outcomes[-1].workout_finished
    assert not any(outcome.workout_finished for outcome in outcomes[:-1])


def test_records_round_trip_through_plain_data() -> None:
    record = UserRecord(workout=new_workout(), last_options=PlanOptions("advanced", 45, "barbell"))
    record.workout.complete_set()
    again = UserRecord.from_dict(record.to_dict(), CONTENT)
    assert again.to_dict() == record.to_dict()


def test_a_workers_own_save_reads_back_as_any_other_read_and_is_never_changed_by_the_next_turn() -> None:
    record = UserRecord(workout=new_workout(), last_options=PlanOptions("advanced", 45, "barbell"), unit="kg")
    record.workout.complete_set(reps=8, load=20.0, unit="kg")
    record.workout.skip_exercise()
    record.workout.known = {"goblet_squat": {"date": "2026-11-21", "sets": [{"set": 1, "reps": 8}]}}
    record.last = HistoryEntry(date="2026-11-21T08:00:00+00:00", level="beginner", length=15,
                               exercises=("Goblet squat",), sets=6, minutes=14)
    record.answers = [{"id": "req-1", "at": "2026-11-28T08:00:00+00:00", "text": "{}", "session": {}}]
    saved = record.to_dict()
    kept = json.loads(json.dumps(saved))
    own, read = (UserRecord.from_dict(saved, CONTENT, trusted=trusted) for trusted in (True, False))
    assert own == read and own.to_dict() == read.to_dict() == saved
    again = UserRecord.from_dict(saved, CONTENT, trusted=True).workout
    first = own.workout.items[0]
    assert again.last_performed() is own.workout.last_performed(), "a set done is decoded once, not on every turn"
    assert read.workout.last_performed() == LoggedSet(first.exercise_id, 1, reps=8, load=20.0, unit="kg",
                                                      block=first.block) == again.last_performed()
    own.workout.skip_exercise()
    own.workout.complete_set()
    own.answers.append({"id": "req-2"})
    assert saved == kept, "the turn after works on copies of what it changes"


# Every field of a plan item, as releases before compact plans saved each one.
ITEM_FIELDS = ("exercise_id", "block", "sets", "reps", "hold_seconds", "rest_seconds", "reps_max", "ramp_up")


def test_plans_are_saved_without_default_fields_and_plans_saved_in_full_still_load() -> None:
    options = PlanOptions("advanced", 45, "barbell")
    workout = Workout(options=options, items=build_plan(options, CONTENT))
    assert any(item.ramp_up for item in workout.items) and any(item.is_hold for item in workout.items)
    assert any(item.reps_max for item in workout.items) and any(not item.rest_seconds for item in workout.items)
    compact = UserRecord(workout=workout).to_dict()
    for item, raw in zip(workout.items, compact["workout"]["items"], strict=True):
        assert set(raw) == {"exercise_id", "block", "sets"} | {key for key in ITEM_FIELDS[3:] if getattr(item, key)}
    full = {**compact, "workout": {**compact["workout"], "items": [
        {key: getattr(item, key) for key in ITEM_FIELDS} for item in workout.items]}}
    assert len(json.dumps(compact["workout"]["items"])) < len(json.dumps(full["workout"]["items"])) * 0.7
    for saved in (compact, full):
        again = UserRecord.from_dict(json.loads(json.dumps(saved)), CONTENT)
        assert again.workout is not None and again.workout.items == workout.items
        assert again.to_dict() == saved, "a workout's plan is written back as it was read, until it ends"


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw.update(schema=0),
        lambda raw: raw["workout"]["items"][0].update(exercise_id="jumping_jack_of_all_trades"),
        lambda raw: raw["workout"].update(position=99),
        lambda raw: raw["workout"].update(set_number="two"),
        lambda raw: raw.update(last={"date": "yesterday"}),
    ],
)
def test_damaged_records_are_refused_clearly(damage) -> None:
    raw = UserRecord(workout=new_workout()).to_dict()
    damage(raw)
    with pytest.raises(CorruptRecord):
        UserRecord.from_dict(raw, CONTENT)


@pytest.mark.parametrize("seconds", [15, 30, 45, 60, 75, 90, 120, 180])
def test_countdowns_last_their_length_with_breaks_of_at_most_ten_seconds(seconds: int) -> None:
    speech, planned = compose_countdown(seconds, f"Rest {seconds} seconds.", "Time's up.")
    breaks = [int(ms) for ms in BREAK.findall(speech.ssml())]
    assert max(breaks) <= MAX_BREAK_MS
    assert planned == pytest.approx(seconds, abs=0.5)
    spoken = re.sub(r"<[^>]+>", " ", speech.ssml()).replace("Time's up.", "")
    assert sum(breaks) / 1000 + estimate_speech_seconds(spoken) == pytest.approx(seconds, rel=0.15)
    assert "3. 2. 1." in re.sub(r"\s+", " ", spoken)


def test_long_silences_are_split_into_legal_breaks() -> None:
    assert break_tags(25_000) == '<break time="10000ms"/><break time="10000ms"/><break time="5000ms"/>'
    assert Speech("knees & toes <3").ssml() == "<speak>knees &amp; toes &lt;3</speak>"


def test_training_time_counts_turn_gaps_but_not_long_breaks() -> None:
    workout = new_workout()
    start = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc)
    workout.note_turn(start)
    workout.note_turn(start + timedelta(seconds=90))
    workout.note_turn(start + timedelta(hours=2))
    assert workout.active_seconds == 90


def test_coach_start_uses_defaults_then_the_last_options() -> None:
    coach = Coach(CONTENT, random.Random(1))
    turn = Turn(record=UserRecord())
    coach.answer(turn, StartWorkout())
    assert turn.record.workout.options == PlanOptions("beginner", 30, "dumbbells")
    turn = Turn(record=UserRecord(last_options=PlanOptions("advanced", 15, "barbell")))
    coach.answer(turn, StartWorkout(length=45))
    assert turn.record.workout.options == PlanOptions("advanced", 45, "barbell")



@pytest.mark.parametrize("seed", range(8))
def test_finishing_an_exercise_keeps_every_sentence_capitalised(seed: int) -> None:
    coach = Coach(CONTENT, random.Random(seed))
    turn = Turn(record=UserRecord())
    coach.answer(turn, StartWorkout(level="beginner", length=30, equipment="dumbbells"))
    workout = turn.record.workout
    while not (workout.current.exercise_id == "goblet_squat" and workout.set_number == workout.current.sets):
        coach.answer(turn, Done())
    spoken = plain_text(coach.answer(turn, Done()).speech.ssml())
    assert "goblet squat" in spoken.lower() and "minute" in spoken
    assert re.search(r"[.!?] [a-z]", spoken) is None, spoken


def test_a_composed_countdown_can_be_changed_without_changing_the_next_one() -> None:
    first, _ = compose_countdown(30, "Rest 30 seconds.", "Time's up.")
    first.say("Only in the first.")
    second, _ = compose_countdown(30, "Rest 30 seconds.", "Time's up.")
    assert "Only in the first." in first.ssml()
    assert "Only in the first." not in second.ssml()
