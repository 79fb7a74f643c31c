"""The training log in the conversation, as plain Python: what each way of saying a set logs, the
check-back question, the unit, the intro's suggestion and the workout's summary."""

from __future__ import annotations

import pytest

from skill.conversation import loads
from skill.conversation.said import Done, Pause, SetUnit, StartWorkout, Yes
from skill.conversation.session import Pending, SessionState
from skill.training.log import LoggedSet
from skill.training.progression import RepRange, load_rules
from skill.training.summary import Best, ExerciseSummary
from skill.training.workout_summary import workout_summary
from skill.workout.progress import UserRecord
from tests.conversation.helpers import Talk, says, text

BARBELL = StartWorkout("intermediate", 30, "barbell")


def at_the_squat(talk: Talk, last: tuple[LoggedSet, ...] = ()) -> Talk:
    """``talk`` at the squat's first working set (last time's squat sets in the summary, if any)."""
    talk.record.unit = "kg"
    if last:
        best = Best(60, "kg", 8, 76.0, "2026-11-20")
        talk.record.summary.exercises["squat"] = ExerciseSummary("2026-11-20", last, best)
    talk.say(BARBELL)
    talk.until("Now your working weight")
    return talk


def squat_sets(*reps: int, load: float = 60) -> tuple[LoggedSet, ...]:
    return tuple(LoggedSet("squat", number, reps=count, load=load, unit="kg") for number, count in enumerate(reps, 1))


def last_logged(talk: Talk) -> LoggedSet:
    return talk.record.workout.performed[-1][1]


def test_the_intro_says_last_time_and_the_load_to_try_and_a_plain_done_logs_it() -> None:
    talk = Talk(permitted=False)
    talk.record.unit = "kg"
    talk.record.summary.exercises["squat"] = ExerciseSummary("2026-11-20", squat_sets(10, 10, 10))
    talk.say(BARBELL)
    intro = talk.until("Now your working weight")
    assert "Last time 60 kilos for 10, 10 and 10." in text(intro) and "62 and a half kilos today." in text(intro)
    talk.say(Done())
    assert (last_logged(talk).load, last_logged(talk).unit, last_logged(talk).reps) == (62.5, "kg", 6)


@pytest.mark.parametrize(("said", "logged", "words"), [
    (Done(reps=8, load=60, unit="kg"), (8, 60, "kg", None), "8 at 60 kilos."),
    (Done(reps=10, load=135, unit="lb"), (10, 135, "lb", None), "10 at 135 pounds."),
    (Done(reps=8, load=60), (8, 60, "kg", None), "8 at 60 kilos."),
    (Done(reps=7), (7, 60, "kg", None), "7 at 60 kilos."),
    (Done(effort="hard"), (6, 60, "kg", 9), "Hard is good."),
    (Done(effort="easy"), (6, 60, "kg", 6), "add a little weight"),
    (Done(effort="too_heavy"), (6, 60, "kg", 10), "Take some weight off"),
    (Done(reps=8, load=62.5, unit="kg", effort="good"), (8, 62.5, "kg", 8), "8 at 62 and a half kilos. Noted."),
])
def test_each_way_of_saying_a_set_logs_what_was_said_and_keeps_the_rest(said: Done, logged: tuple, words: str) -> None:
    talk = at_the_squat(Talk(permitted=False), squat_sets(8, 8, 8))
    reply = talk.say(said)
    found = last_logged(talk)
    assert (found.reps, found.load, found.unit, found.rpe) == logged
    assert words in text(reply)


def test_same_weight_and_reps_alone_keep_the_load_of_the_set_before() -> None:
    talk = at_the_squat(Talk(permitted=False))
    talk.say(Done(reps=8, load=70, unit="kg"))
    talk.say(Done())
    talk.say(Done(reps=7))
    assert [(s.reps, s.load) for _, s in talk.record.workout.performed[-3:]] == [(8, 70), (6, 70), (7, 70)]


def test_the_first_time_says_how_to_choose_and_logs_no_load_until_one_is_said() -> None:
    talk = Talk(permitted=False)
    talk.say(BARBELL)
    intro = talk.until("Now your working weight")
    assert says("load.first", intro)
    talk.say(Done())
    assert last_logged(talk).load is None


def test_a_checked_back_set_waits_for_yes_and_anything_else_drops_it() -> None:
    talk = at_the_squat(Talk(permitted=False), squat_sets(8, 8, 8))
    at = (talk.record.workout.position, talk.record.workout.set_number)
    asked = talk.say(Done(reps=8, load=200, unit="kg", effort="hard"))
    assert text(asked) == "Did you say 200 kilos? Say yes, or tell me again."
    assert talk.session.pending is Pending.CHECK_SET
    assert (talk.record.workout.position, talk.record.workout.set_number) == at
    talk.say(Done(reps=8, load=65, unit="kg"))
    assert talk.session.pending is None and (last_logged(talk).load, last_logged(talk).rpe) == (65, None)
    talk.say(Done(reps=8, load=200, unit="kg", effort="hard"))
    talk.say(Yes())
    assert (last_logged(talk).load, last_logged(talk).rpe) == (200, 9) and talk.session.pending is None


def test_a_set_said_while_paused_is_logged() -> None:
    talk = at_the_squat(Talk(permitted=False))
    talk.say(Pause())
    talk.say(Done(reps=8, load=60, unit="kg"))
    assert talk.record.workout.paused is False and last_logged(talk).load == 60


@pytest.mark.parametrize(("said", "unit", "key"), [(SetUnit("lb"), "lb", "units.set"),
                                                   (SetUnit(None), None, "units.ask")])
def test_use_pounds_sets_the_unit_and_an_unknown_unit_is_asked_about(said: SetUnit, unit: str | None, key: str) -> None:
    talk = Talk(permitted=False)
    reply = talk.say(said)
    assert says(key, reply) and talk.record.unit == unit and reply.end_session is False


def test_the_workout_summary_has_volume_bests_and_targets() -> None:
    today = (LoggedSet("squat", 1, reps=5, load=30, unit="kg"), *squat_sets(10, 10, 10),
             LoggedSet("lunge", 1, reps=12, load=16, unit="kg"), LoggedSet("lunge", 2, reps=11, load=16, unit="kg"),
             LoggedSet("leg_swing", 1, reps=10, block="warmup"))
    known = {"squat": ExerciseSummary("2026-11-20", squat_sets(8, 8, 8), Best(60, "kg", 8, 76.0, "2026-11-20"))}
    summary = workout_summary(today, known, {"squat": RepRange(6, 10), "lunge": RepRange(8, 12)},
                              {"squat": "barbell", "lunge": "dumbbell"}, load_rules(), unit="kg", minutes=31,
                              stalls={})
    assert (summary.exercises, summary.sets, summary.minutes) == (3, 7, 31)
    assert summary.volume == pytest.approx(5 * 30 + 3 * 600 + 16 * 23)
    assert [(best.exercise, best.kind, best.reps) for best in summary.bests] == [("squat", "reps", 10)]
    assert [(t.exercise, t.suggestion.change, t.suggestion.load) for t in summary.targets] == [
        ("squat", "up", 62.5), ("lunge", "same", 16)]
    assert summary.to_dict()["targets"][0] == {"exercise": "squat", "change": "up", "load": 62.5, "unit": "kg",
                                               "reps": [6, 10]}


def test_how_to_choose_a_load_is_said_the_first_time_only_not_to_someone_who_never_says_loads() -> None:
    talk = Talk(permitted=False)
    talk.record.summary.exercises["squat"] = ExerciseSummary("2026-11-20", (LoggedSet("squat", 1, reps=6),))
    talk.say(BARBELL)
    intro = talk.until("Now your working weight")
    assert not says("load.first", intro) and "Last time" not in text(intro)


@pytest.mark.parametrize("heard", [None, "900", {"reps": "8"}, {"reps": 10**30}, {"load": float("nan")},
                                   {"load": 60, "unit": "stone"}, {"rpe": "hard"}])
def test_a_check_back_whose_set_cannot_be_read_back_is_no_question(heard: object) -> None:
    assert SessionState.from_dict({"pending": "check_set", "heard": heard}).pending is None


def test_a_check_back_keeps_the_set_heard_in_the_session() -> None:
    kept = {"reps": 8, "load": 62.5, "unit": "kg", "rpe": 9}
    session = SessionState.from_dict({"pending": "check_set", "heard": kept})
    assert session.pending is Pending.CHECK_SET and session.heard == kept
    assert session.to_dict(UserRecord())["heard"] == kept


def test_the_load_to_try_follows_what_the_summary_knows_each_workout_never_an_earlier_one() -> None:
    """Suggestions are worked out once per summary entry: a new entry (a new workout, another
    person) gets its own, even for the same plan item in the same process."""
    for last, told, load in ((squat_sets(10, 10, 10), "62 and a half kilos today.", 62.5),
                             (squat_sets(5, 5, 5), "Stay at 60 kilos and go for more reps.", 60),
                             (squat_sets(10, 10, 10, load=70), "72 and a half kilos today.", 72.5)):
        talk = Talk(permitted=False)
        talk.record.unit = "kg"
        talk.record.summary.exercises["squat"] = ExerciseSummary("2026-11-20", last)
        talk.say(BARBELL)
        assert told in text(talk.until("Now your working weight"))
        talk.say(Done())
        assert last_logged(talk).load == load


def test_what_a_workout_knows_from_its_start_reads_as_its_saved_snapshot_would() -> None:
    """The summary's entries a workout starts with are kept as they are: the same, to the type of
    each number, as reading back the snapshot saved with the workout."""
    talk = Talk(permitted=False)
    talk.say(BARBELL)
    for _ in range(60):
        if talk.say(Done(reps=8, load=62.5, unit="kg", effort="hard")).end_session:
            break
    talk.say(BARBELL)
    saved = talk.record.workout.known
    assert saved and "squat" in saved
    for exercise, entry in saved.items():
        assert repr(loads.known(talk.record, exercise)) == repr(ExerciseSummary.from_dict(exercise, entry))
