"""The training summary, streak and counts as plain Python: tables of logs and what they add up to."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from skill.training.calendar import week_of, zone_named
from skill.training.log import BadEntry, LogEntry, LoggedSet
from skill.training.summary import MONTHS_KEPT, Summary, epley
from skill.workout.progress import UserRecord


def entry(day: str, *sets: LoggedSet, workout_id: str | None = None) -> LogEntry:
    return LogEntry(
        workout_id=workout_id or f"w-{day}", started_at=f"{day}T17:00:00+00:00", finished_at=f"{day}T18:00:00+00:00",
        date=day, level="beginner", length=30, equipment="barbell", minutes=30, sets=tuple(sets),
        exercises=tuple(dict.fromkeys(logged.exercise for logged in sets)), set_count=len(sets),
    )


def squat(number: int, reps: int, load: float | None = None, unit: str | None = None) -> LoggedSet:
    return LoggedSet("squat", number, reps=reps, load=load, unit=unit)


def summed(*days: str) -> Summary:
    summary = Summary()
    for day in days:
        summary.add(entry(day, squat(1, 8)))
    return summary


# 2026-11-02 is a Monday.
@pytest.mark.parametrize(("days", "today", "streak"), [
    ((), "2026-11-02", 0),
    (("2026-11-02",), "2026-11-02", 1),
    (("2026-11-02",), "2026-11-08", 1),                      # same week, Sunday
    (("2026-11-02",), "2026-11-09", 1),                      # next week, not trained yet: still alive
    (("2026-11-02",), "2026-11-16", 0),                      # a whole week without: broken
    (("2026-11-02", "2026-11-05", "2026-11-07"), "2026-11-07", 1),   # three in one week count once
    (("2026-11-01", "2026-11-02"), "2026-11-02", 2),         # Sunday then Monday: two calendar weeks
    (("2026-11-02", "2026-11-10", "2026-11-20"), "2026-11-20", 3),
    (("2026-11-02", "2026-11-10", "2026-11-24"), "2026-11-24", 1),   # the week of the 16th missed
    (("2026-12-28", "2027-01-04"), "2027-01-05", 2),         # across a year
])
def test_the_streak_counts_consecutive_calendar_weeks(days: tuple[str, ...], today: str, streak: int) -> None:
    assert summed(*days).streak(date.fromisoformat(today)) == streak


def test_an_entry_older_than_the_streak_does_not_change_it() -> None:
    summary = summed("2026-11-02", "2026-11-10")
    summary.add(entry("2026-10-01", squat(1, 8)))
    assert summary.streak(date(2026, 11, 10)) == 2 and summary.workouts == 3


@pytest.mark.parametrize(("days", "month", "in_month", "in_year", "total"), [
    (("2026-11-02", "2026-11-30", "2026-12-01"), date(2026, 11, 15), 2, 3, 3),
    (("2025-12-31", "2026-01-01"), date(2026, 1, 1), 1, 1, 2),
    ((), date(2026, 1, 1), 0, 0, 0),
])
def test_counts_by_month_and_year(days: tuple[str, ...], month: date, in_month: int, in_year: int, total: int) -> None:
    summary = summed(*days)
    assert (summary.in_month(month), summary.in_year(month), summary.workouts) == (in_month, in_year, total)


def test_the_month_and_year_counts_stay_bounded_over_years() -> None:
    start = date(2000, 1, 3)
    summary = summed(*[(start + timedelta(weeks=week)).isoformat() for week in range(52 * 20)])
    assert summary.workouts == 52 * 20
    assert len(summary.months) == MONTHS_KEPT and len(summary.years) == 10
    assert summary.streak(start + timedelta(weeks=52 * 20 - 1)) == 52 * 20


@pytest.mark.parametrize(("load", "reps", "expected"), [(100, 1, 100), (100, 10, 133.333), (60, 8, 76), (50, 30, 100)])
def test_epley(load: float, reps: int, expected: float) -> None:
    assert epley(load, reps) == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize(("logs", "best"), [
    ([[squat(1, 8), squat(2, 8)]], None),                                           # no loads yet
    ([[squat(1, 8, 60, "kg"), squat(2, 5, 70, "kg")]], (70, "kg", 5)),              # 81.7 beats 76
    ([[squat(1, 8, 60, "kg")], [squat(1, 8, 135, "lb")]], (135, "lb", 8)),         # 135 lb is 61.2 kg
    ([[squat(1, 8, 60, "kg")], [squat(1, 8, 130, "lb")]], (60, "kg", 8)),          # 130 lb is 59 kg
    ([[squat(1, 8, 60, "kg")], [squat(1, 8)]], (60, "kg", 8)),                     # a best outlives sets without load
])
def test_the_best_is_the_highest_estimated_one_rep_max_in_either_unit(logs, best) -> None:
    summary = Summary()
    for number, sets in enumerate(logs):
        summary.add(entry(f"2026-11-{number + 2:02d}", *sets))
    found = summary.exercises["squat"].best
    assert (found.load, found.unit, found.reps) == best if best else found is None


def test_adding_says_which_bests_it_raised() -> None:
    summary = Summary()
    assert summary.add(entry("2026-11-02", squat(1, 8, 60, "kg"))) == ["squat"]
    assert summary.add(entry("2026-11-09", squat(1, 8, 50, "kg"))) == []
    assert summary.add(entry("2026-11-16", squat(1, 8, 62.5, "kg"))) == ["squat"]


def test_the_last_sets_are_the_newest_days_and_only_main_lifts_and_done_sets() -> None:
    summary = Summary()
    summary.add(entry("2026-11-09", squat(1, 8, 60, "kg"), squat(2, 6, 60, "kg"),
                      LoggedSet("squat", 3, skipped=True), LoggedSet("leg_swing", 1, reps=10, block="warmup")))
    summary.add(entry("2026-11-02", squat(1, 10, 40, "kg")))   # late, older: the last sets stay
    known = summary.exercises["squat"]
    assert known.date == "2026-11-09" and [logged.reps for logged in known.sets] == [8, 6]
    assert "leg_swing" not in summary.exercises


def test_a_summary_round_trips_and_damage_is_refused() -> None:
    summary = summed("2026-11-02", "2026-11-10")
    summary.add(entry("2026-11-11", squat(1, 8, 60, "kg")))
    again = Summary.from_dict(summary.to_dict())
    assert again.to_dict() == summary.to_dict() and again == summary
    for damaged in ({"workouts": "many"}, {"streak": {"week": "monday"}}, {"exercises": {"squat": {"sets": []}}},
                    {"exercises": {"squat": {"date": "2026-11-02", "sets": [{"set": 1, "unit": "stone"}]}}}):
        with pytest.raises(BadEntry):
            Summary.from_dict(damaged)


def test_weeks_start_on_monday_and_the_zone_seam_defaults_to_utc() -> None:
    assert week_of(date(2026, 11, 8)) == date(2026, 11, 2) and week_of(date(2026, 11, 9)) == date(2026, 11, 9)
    assert zone_named(None).utcoffset(None) == timedelta(0)
    assert zone_named("Not/AZone").utcoffset(None) == timedelta(0)
    assert zone_named("Europe/Berlin").key == "Europe/Berlin"


def reading(stored: dict[str, Any]) -> UserRecord:
    record = UserRecord()
    record.read_summary_from(lambda: stored)
    return record


def test_a_stored_summary_read_again_is_as_stored_whatever_an_earlier_turn_changed() -> None:
    """A worker hands a workout's finish the very summary dict it read at the start: the finish gets
    the summary as stored, never the start's copy as that turn changed it."""
    stored = summed("2026-11-02", "2026-11-10").to_dict()
    as_stored = Summary.from_dict(copy.deepcopy(stored))
    start = reading(stored)
    start.summary.add(entry("2026-11-17", squat(1, 5, 100, "kg")))
    start.summary.exercises["lunge"] = start.summary.exercises["squat"]
    finish = reading(stored)
    assert finish.summary == as_stored and finish.summary is not start.summary
    finish.summary.add(entry("2026-11-24", squat(1, 3, 120, "kg")))
    assert reading(stored).summary == as_stored
    assert Summary.from_dict(stored) == as_stored  # the stored dict itself untouched


def test_a_stored_summary_is_decoded_once_per_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded = []
    decode = Summary.from_dict
    monkeypatch.setattr(Summary, "from_dict", classmethod(lambda cls, raw: decoded.append(raw) or decode(raw)))
    stored = summed("2026-11-02").to_dict()
    assert reading(stored).summary == reading(stored).summary
    assert len(decoded) == 1
    equal_but_another = copy.deepcopy(stored)
    assert reading(equal_but_another).summary == reading(stored).summary
    assert len(decoded) == 2
