"""The log entry a workout leaves, and records of before the log migrating: plain Python, no endpoint."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from skill.content import load_content
from skill.training import history
from skill.training.log import LogEntry, LoggedSet, strong_rows
from skill.workout.plan import PlanItem, PlanOptions
from skill.workout.progress import CorruptRecord, UserRecord, Workout
from tests.state.records import schema_one_record

CONTENT = load_content()
NOW = datetime(2026, 11, 28, 10, 15, tzinfo=timezone.utc)
# A fixed plan, so these tests of the log do not change when the plans in the content do.
PLAN = (
    PlanItem("leg_swing", "warmup", 1, 10, 0, 15),
    PlanItem("bodyweight_squat", "warmup", 1, 12, 0, 15),
    PlanItem("goblet_squat", "main", 2, 10, 0, 45),
    PlanItem("lunge", "main", 2, 10, 0, 45),
    PlanItem("quad_stretch", "cooldown", 1, 0, 20, 15),
)


def started(record: UserRecord, level: str = "beginner") -> Workout:
    options = PlanOptions(level, 15, "dumbbells")
    record.workout = Workout(options=options, items=list(PLAN),
                             started_at="2026-11-28T09:50:00+00:00", last_turn_at="2026-11-28T10:14:00+00:00",
                             active_seconds=20 * 60)
    return record.workout


def finished_entry(record: UserRecord) -> LogEntry:
    items = record.take_log_items()
    assert len(items) == 1 and record.take_log_items() == []
    entry = LogEntry.from_body(items[0].body)
    assert (items[0].finished_at, items[0].workout_id) == (entry.finished_at, entry.workout_id)
    return entry


def test_a_finished_workout_logs_every_set_and_counts_once() -> None:
    record = UserRecord()
    workout = started(record)
    while not workout.complete_set().workout_finished:
        pass
    last = record.finish_workout(NOW, CONTENT)
    entry = finished_entry(record)
    assert record.workout is None and record.last_workout == last
    assert (last.sets, last.minutes, len(last.exercises)) == (7, 20, 5)
    assert entry.finished_at == "2026-11-28T10:15:00+00:00" and entry.workout_id == "20261128T095000Z"
    assert (entry.date, entry.level, entry.length, entry.equipment) == ("2026-11-28", "beginner", 15, "dumbbells")
    assert entry.set_count == 7 and not entry.ended_early
    goblet = [logged for logged in entry.sets if logged.exercise == "goblet_squat"]
    assert goblet == [LoggedSet("goblet_squat", 1, reps=10), LoggedSet("goblet_squat", 2, reps=10)]
    stretch = entry.sets[-1]
    assert (stretch.exercise, stretch.reps, stretch.seconds, stretch.block) == ("quad_stretch", None, 20, "cooldown")
    assert all(logged.load is None and logged.unit is None and logged.rpe is None for logged in entry.sets)
    assert record.summary.workouts == 1 and record.summary.exercises["goblet_squat"].date == "2026-11-28"


def test_undone_sets_and_skipped_exercises_are_logged_as_they_ended() -> None:
    record = UserRecord()
    workout = started(record)
    for _ in range(3):
        workout.complete_set()          # both warm-ups, goblet squat set 1
    workout.complete_set(reps=12, load=16, unit="kg", rpe=8)      # goblet squat set 2, said with a load
    workout.complete_set()              # lunge set 1
    assert workout.go_back() == "set"   # lunge set 1 undone
    workout.skip_exercise()             # lunge skipped with no set done
    workout.complete_set()              # the stretch: the workout is over
    record.finish_workout(NOW, CONTENT)
    entry = finished_entry(record)
    assert entry.ended_early and entry.set_count == 5
    assert [(logged.exercise, logged.set_number, logged.skipped) for logged in entry.sets if logged.block == "main"] == [
        ("goblet_squat", 1, False), ("goblet_squat", 2, False), ("lunge", 1, True), ("lunge", 2, True)]
    assert entry.sets[3] == LoggedSet("goblet_squat", 2, reps=12, load=16, unit="kg", rpe=8)
    assert record.summary.exercises["goblet_squat"].best.load == 16
    assert "lunge" not in entry.exercises


def test_going_back_an_exercise_does_it_again_without_counting_it_twice() -> None:
    record = UserRecord()
    workout = started(record)
    for _ in range(4):
        workout.complete_set()          # warm-ups and both goblet squat sets: now on lunges
    assert workout.go_back() == "exercise" and workout.current.exercise_id == "goblet_squat"
    for _ in range(2):
        workout.complete_set()
    assert workout.sets_done[2] == 2
    assert [logged.set_number for _, logged in workout.performed if logged.exercise == "goblet_squat"] == [1, 2]


def test_a_workout_replaced_with_sets_done_is_logged_as_ended_early() -> None:
    record = UserRecord()
    started(record).complete_set()
    started(record, "advanced")
    entry = finished_entry(record)
    assert entry.ended_early and entry.set_count == 1 and entry.finished_at == "2026-11-28T10:14:00+00:00"
    assert record.last_workout.sets == 1 and record.workout.options.level == "advanced"
    started(record)                     # nothing done in the advanced one: nothing logged
    assert record.take_log_items() == []


def test_the_in_progress_sets_survive_the_record_round_trip() -> None:
    record = UserRecord()
    workout = started(record)
    workout.complete_set()
    workout.complete_set(reps=11, load=22.5, unit="lb")
    saved = record.to_dict()
    again = UserRecord.from_dict(copy.deepcopy(saved), CONTENT)
    assert again.to_dict() == saved
    assert [logged for _, logged in again.workout.performed][1] == LoggedSet("bodyweight_squat", 1, reps=11,
                                                                            load=22.5, unit="lb", block="warmup")


@pytest.mark.parametrize("damage", [
    lambda performed: performed.append({"at": 99, "exercise": "leg_swing", "set": 1}),
    lambda performed: performed.append({"at": 0, "exercise": "deadlift", "set": 1}),
    lambda performed: performed.append({"at": 0, "exercise": "leg_swing", "set": "one"}),
    lambda performed: performed.append({"at": 0, "exercise": "leg_swing", "set": 1, "unit": "stone"}),
])
def test_damaged_saved_sets_are_refused(damage) -> None:
    record = UserRecord()
    started(record).complete_set()
    raw = record.to_dict()
    damage(raw["workout"]["performed"])
    with pytest.raises(CorruptRecord):
        UserRecord.from_dict(raw, CONTENT)


def test_a_log_item_has_a_slice_per_exercise_and_exports_as_strong_rows() -> None:
    record = UserRecord()
    workout = started(record)
    workout.complete_set()
    workout.complete_set()
    workout.complete_set(reps=8, load=20, unit="kg", rpe=9)
    record.finish_workout(NOW, CONTENT)
    (item,) = record.take_log_items()
    assert set(item.exercises) == {"leg_swing", "bodyweight_squat", "goblet_squat"}
    assert item.exercises["goblet_squat"]["sets"] == [
        {"exercise": "goblet_squat", "set": 1, "reps": 8, "seconds": None, "load": 20, "unit": "kg", "rpe": 9,
         "skipped": False, "block": "main"}]
    rows = strong_rows(LogEntry.from_body(item.body), {"goblet_squat": "Goblet squat"})
    assert rows[-1] == {"Date": "2026-11-28T10:15:00+00:00", "Workout Name": "Leg day", "Duration": "1200s",
                        "Exercise Name": "Goblet squat", "Set Order": 1, "Weight": 20, "Weight Unit": "kg",
                        "Reps": 8, "Distance": None, "Seconds": None, "Notes": None, "Workout Notes": None, "RPE": 9}


def test_a_schema_one_record_migrates_its_last_workout_into_the_log_and_the_summary() -> None:
    raw = schema_one_record()
    kept = copy.deepcopy(raw)
    record = UserRecord.from_dict(raw, CONTENT)
    assert raw == kept, "what the store handed in is not changed"
    assert record.last_workout.sets == 9 and record.last_workout.level == "intermediate"
    assert record.summary.workouts == 1 and record.summary.streak(NOW.date()) == 1
    assert record.workout.sets_done == [1, 1, 1, 0, 0] and len(record.workout.performed) == 3
    assert record.timer_hint_given and record.last_benefit == "bones"
    (item,) = record.take_log_items()
    assert item.finished_at == "2026-11-20T18:30:00+00:00"
    assert item.body["migrated"] is True and item.body["sets"] == [] and item.body["set_count"] == 9
    assert item.body["exercises"] == ["leg_swing", "goblet_squat", "romanian_deadlift"]
    assert item.body["equipment"] == "dumbbells"
    saved, summary = record.to_dict(), record.take_summary()
    assert saved["schema"] == 2 and "history" not in saved and "summary" not in saved
    assert summary is not None and record.take_summary() is None, "written apart, with this save only"
    again = UserRecord.from_dict(saved, CONTENT)
    again.read_summary_from(lambda: summary)
    assert again.take_log_items() == [], "migrated once: the new shape has nothing left to move"
    assert again.summary.workouts == 1 and again.last_workout == record.last_workout


def test_an_old_record_with_twenty_workouts_moves_them_all_in_time_order() -> None:
    raw = schema_one_record(mid_workout=False)
    raw["history"] = [{"date": (NOW - timedelta(weeks=20 - week)).isoformat(), "level": "beginner", "length": 15,
                       "exercises": ["squat", "a move since retired"], "sets": week, "minutes": 15}
                      for week in range(20)]
    record = UserRecord.from_dict(raw, CONTENT)
    items = record.take_log_items()
    assert [item.body["set_count"] for item in items] == list(range(20))
    assert items[0].body["exercises"] == ["squat", "a move since retired"]
    assert record.summary.workouts == 20 and record.summary.streak(NOW.date()) == 20
    assert record.last_workout.sets == 19


def test_the_summary_can_be_rebuilt_from_the_log_and_pages_read_as_sets() -> None:
    record = UserRecord()
    bodies = []
    for day in range(3):
        workout = started(record)
        workout.complete_set()
        workout.complete_set()
        workout.complete_set(reps=8, load=20 + day, unit="kg")
        record.finish_workout(NOW + timedelta(weeks=day), CONTENT)
        bodies.append(record.take_log_items()[0].body)
    newest_first = [*reversed(bodies), {"not": "an entry"}]
    assert history.rebuild(newest_first) == record.summary
    assert [entry.date for entry in history.entries(newest_first)] == ["2026-12-12", "2026-12-05", "2026-11-28"]
    slices = [{"date": body["date"], "sets": [s for s in body["sets"] if s["exercise"] == "goblet_squat"]}
              for body in reversed(bodies)]
    assert [(day, [s.load for s in sets]) for day, sets in history.exercise_sets(slices)] == [
        ("2026-12-12", [22]), ("2026-12-05", [21]), ("2026-11-28", [20])]
