"""The progression rules as tables: next time's load, stalls, check-backs, bests, volume, spoken loads."""

from __future__ import annotations

import pytest

from skill.content import load_content
from skill.conversation.phrasing import spoken_load
from skill.training.log import LoggedSet
from skill.training.progression import (
    Heard,
    RepRange,
    Rules,
    check_back,
    effort_rpe,
    load_rules,
    personal_best,
    round_to_step,
    stalls_after,
    suggest,
    volume,
    working_sets,
)
from skill.training.summary import Best

RULES = load_rules()
SQUAT = RepRange(6, 10)


def sets(*reps: int, load: float = 60, unit: str = "kg", rpe: tuple[float | None, ...] = (),
         exercise: str = "squat") -> tuple[LoggedSet, ...]:
    """Working sets of one day: ``reps`` per set at ``load``; ``rpe`` per set where given."""
    efforts = rpe + (None,) * (len(reps) - len(rpe))
    return tuple(LoggedSet(exercise, number, reps=count, load=load, unit=unit, rpe=effort)
                 for number, (count, effort) in enumerate(zip(reps, efforts), start=1))


# (last time's working sets, rep range, implement, stalls) -> (change, load, unit)
SUGGESTIONS = [
    ((), SQUAT, "barbell", 0, "first", None, None),
    (sets(10, 10, 10), SQUAT, "barbell", 0, "up", 62.5, "kg"),
    (sets(10, 10, 10, load=135, unit="lb"), SQUAT, "barbell", 0, "up", 140, "lb"),
    (sets(12, 12, load=16), RepRange(8, 12), "dumbbell", 0, "up", 18, "kg"),
    (sets(12, 12, load=35, unit="lb"), RepRange(8, 12), "dumbbell", 0, "up", 40, "lb"),
    (sets(10, 10, 9), SQUAT, "barbell", 0, "same", 60, "kg"),
    (sets(8, 7, 6), SQUAT, "barbell", 0, "same", 60, "kg"),
    (sets(6, 5, 5), SQUAT, "barbell", 1, "same", 60, "kg"),
    (sets(6, 5, 5), SQUAT, "barbell", 2, "down", 55, "kg"),
    (sets(8, 8, 8, rpe=(None, None, 10)), SQUAT, "barbell", 0, "down", 55, "kg"),
    (sets(8, 8, 8, load=40, unit="lb", rpe=(10,)), RepRange(8, 12), "dumbbell", 0, "down", 35, "lb"),
    (sets(8, 8, load=6, rpe=(10,)), RepRange(8, 12), "dumbbell", 0, "down", 4, "kg"),
    (sets(8, 8, load=2, rpe=(10,)), RepRange(8, 12), "dumbbell", 0, "down", 2, "kg"),
    (sets(8, 8, 8, rpe=(None, None, 6)), SQUAT, "barbell", 0, "up", 62.5, "kg"),
    (sets(8, 5, 8, rpe=(None, None, 6)), SQUAT, "barbell", 0, "same", 60, "kg"),
    (sets(8, 8, 9, rpe=(None, None, 9)), SQUAT, "barbell", 0, "same", 60, "kg"),
]


@pytest.mark.parametrize(("last", "reps", "implement", "stalls", "change", "load", "unit"), SUGGESTIONS)
def test_next_time_s_load(last: tuple[LoggedSet, ...], reps: RepRange, implement: str, stalls: int, change: str,
                          load: float | None, unit: str | None) -> None:
    suggestion = suggest(last, reps, implement, stalls, RULES)
    assert (suggestion.change, suggestion.load, suggestion.unit) == (change, load, unit)


def test_a_ramp_up_set_and_sets_without_a_load_are_not_working_sets() -> None:
    ramp_up = LoggedSet("squat", 1, reps=5, load=30, unit="kg")
    day = (ramp_up, *sets(10, 10, 10), LoggedSet("squat", 4, reps=10, skipped=True))
    assert working_sets(day) == list(sets(10, 10, 10))
    assert suggest(day, SQUAT, "barbell", 0, RULES).change == "up"
    assert suggest((LoggedSet("squat", 1, reps=10),), SQUAT, "barbell", 0, RULES).change == "first"


@pytest.mark.parametrize(("before", "previous", "today", "after"), [
    (0, sets(8, 8, 8), sets(5, 5, 5), 1),
    (1, sets(5, 5, 5), sets(6, 5, 5), 2),
    (1, sets(5, 5, 5, load=65), sets(5, 5, 5), 1),
    (1, sets(5, 5, 5), sets(6, 6, 6), 0),
    (3, (), sets(5, 5, 5), 1),
])
def test_sessions_under_the_range_count_at_one_load(before: int, previous: tuple[LoggedSet, ...],
                                                     today: tuple[LoggedSet, ...], after: int) -> None:
    assert stalls_after(before, previous, today, SQUAT) == after


# (reps, load, unit, implement, last load) -> why it is asked back
CHECKS = [
    (8, 60, "kg", "barbell", None, None),
    (0, 60, "kg", "barbell", None, "reps"),
    (500, 60, "kg", "barbell", None, "reps"),
    (50, None, None, None, None, None),
    (8, 900, "kg", "barbell", None, "load"),
    (8, 900, "lb", "barbell", None, "load"),
    (8, 100, "kg", "dumbbell", None, "load"),
    (8, 0, "kg", "barbell", None, "load"),
    (8, 130, "kg", "barbell", (60, "kg"), "jump"),
    (8, 120, "kg", "barbell", (60, "kg"), None),
    (8, 25, "kg", "barbell", (60, "kg"), "jump"),
    (8, 135, "lb", "barbell", (60, "kg"), None),
    (8, 60, "lb", "barbell", (60, "kg"), "jump"),
    (8, 20, "lb", "barbell", (60, "kg"), "jump"),
    (None, 900, "kg", None, None, None),
]


@pytest.mark.parametrize(("reps", "load", "unit", "implement", "last", "reason"), CHECKS)
def test_numbers_more_likely_misheard_are_checked_back(reps: int | None, load: float | None, unit: str | None,
                                                       implement: str | None, last: tuple[float, str] | None,
                                                       reason: str | None) -> None:
    assert check_back(Heard(reps, load, unit), implement, last, RULES) == reason


BEST_60X8 = Best(60, "kg", 8, 76.0, "2026-11-20")
# (the set, the best known, sets known) -> the kind of best it beats
BESTS = [
    (LoggedSet("squat", 1, reps=8, load=60, unit="kg"), None, (), None),
    (LoggedSet("squat", 1, reps=10, load=60, unit="kg"), BEST_60X8, sets(8, 8), "reps"),
    (LoggedSet("squat", 1, reps=3, load=80, unit="kg"), BEST_60X8, sets(8, 8), "e1rm"),
    (LoggedSet("squat", 1, reps=1, load=75, unit="kg"), BEST_60X8, sets(8, 8), None),
    (LoggedSet("squat", 1, reps=8, load=60, unit="kg"), BEST_60X8, sets(8, 8), None),
    (LoggedSet("squat", 1, reps=8, load=62.5, unit="kg"), BEST_60X8, (), "e1rm"),
    (LoggedSet("squat", 1, reps=8, load=135, unit="lb"), BEST_60X8, (), "e1rm"),
    (LoggedSet("squat", 1, reps=15, load=40, unit="kg"), BEST_60X8, sets(12, load=40), "reps"),
    (LoggedSet("squat", 1, reps=15, load=40, unit="kg"), BEST_60X8, sets(15, load=40), None),
    (LoggedSet("squat", 1, reps=6, load=50, unit="kg"), None, sets(5, load=50), "reps"),
    (LoggedSet("squat", 1, reps=9, load=60, unit="kg"), None, sets(10, load=60), None),
    (LoggedSet("squat", 1, reps=10, load=60, unit="kg", skipped=True), BEST_60X8, (), None),
    (LoggedSet("squat", 1, reps=10), BEST_60X8, (), None),
]


@pytest.mark.parametrize(("logged", "best", "known", "kind"), BESTS)
def test_personal_bests(logged: LoggedSet, best: Best | None, known: tuple[LoggedSet, ...], kind: str | None) -> None:
    found = personal_best(logged, best, known, RULES)
    assert (found.kind if found else None) == kind


def test_an_estimated_one_rep_max_best_is_said_in_the_unit_the_set_was_said_in() -> None:
    found = personal_best(LoggedSet("squat", 1, reps=5, load=225, unit="lb"), BEST_60X8, (), RULES)
    assert found is not None and found.unit == "lb" and found.e1rm == pytest.approx(262.5)


@pytest.mark.parametrize(("effort", "rpe"), [("easy", 6), ("good", 8), ("hard", 9), ("too_heavy", 10),
                                             (None, None), ("unknown", None)])
def test_effort_words_are_rpe(effort: str | None, rpe: float | None) -> None:
    assert effort_rpe(effort, RULES) == rpe


def test_volume_is_sets_times_reps_times_load_in_the_person_s_unit() -> None:
    day = (*sets(10, 10, load=60), *sets(10, load=100, unit="lb"), LoggedSet("squat", 4, reps=10))
    assert volume(day, "kg") == pytest.approx(1200 + 1000 * 0.45359237)
    assert round(volume(day, "lb")) == round(1200 / 0.45359237 + 1000)


@pytest.mark.parametrize(("load", "step", "rounded"), [(54, 2.5, 55), (53.7, 2.5, 52.5), (36, 5, 35), (5.4, 2, 6)])
def test_loads_round_to_loadable_steps(load: float, step: float, rounded: float) -> None:
    assert round_to_step(load, step) == rounded


@pytest.mark.parametrize(("load", "unit", "said"), [
    (60, "kg", "60 kilos"), (62.5, "kg", "62 and a half kilos"), (135, "lb", "135 pounds"),
    (2.25, "kg", "2 and a quarter kilos"), (0.5, "kg", "0.5 kilos"), (61.3, "kg", "61.3 kilos"),
    (47.75, "lb", "47 and three quarters pounds"),
])
def test_loads_are_spoken_naturally(load: float, unit: str, said: str) -> None:
    assert spoken_load(load_content().prompts, load, unit) == said


def test_the_numbers_come_from_the_content_and_a_missing_step_is_refused() -> None:
    assert RULES.steps["barbell"] == {"kg": 2.5, "lb": 5} and RULES.deload_percent == 10
    assert RULES.default_unit("en-US") == "lb" and RULES.default_unit("en-GB") == "kg"
    assert RULES.implement("lunge", "barbell") == "dumbbell" and RULES.implement("squat", "barbell") == "barbell"
    assert RULES.implement("squat", "bodyweight") is None and RULES.implement("wall_sit", "dumbbells", True) is None
    broken = {"units": {"pound_locales": []}, "implements": {"barbell": "barbell"}, "steps": {"barbell": {"kg": 2.5}},
              "progression": {"stall_sessions": 2, "deload_percent": 10, "epley_max_reps": 12},
              "effort": {"heavy_rpe": 10, "easy_rpe": 6}, "check": {"min_reps": 1, "max_reps": 50, "jump_ratio": 2,
                                                                     "max_load": {"barbell": {"kg": 1, "lb": 2}}}}
    with pytest.raises(ValueError, match="barbell"):
        Rules.from_dict(broken)
