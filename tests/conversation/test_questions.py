"""The pending-question table, pair by pair: every question (and none) answered yes and no, with a
workout under way and without one, plus the other things said that answer a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import pytest

from skill.conversation import questions
from skill.conversation.said import (
    DeleteMyData,
    Done,
    Launch,
    No,
    PermissionAnswer,
    PermissionAnswered,
    Said,
    SetRest,
    Skip,
    StartWorkout,
    TellMeMore,
    UseRestTimers,
    Yes,
)
from skill.conversation.session import Pending
from skill.conversation.steps import STEPS
from tests.conversation.helpers import REQUESTED, Talk, says, started, text, waiting

Check = Callable[[Talk, Any], bool]
POSITION_AFTER_ONE_SET = (1, 1)


def position(talk: Talk) -> tuple[int, int] | None:
    workout = talk.record.workout
    return (workout.position, workout.set_number) if workout else None


def repeats_the_set(talk: Talk, reply: Any) -> bool:
    exercise = talk.coach.content.exercise(talk.record.workout.current.exercise_id)
    return position(talk) == POSITION_AFTER_ONE_SET and exercise.name.capitalize() in text(reply) \
        and not says("start.intro", reply)


def starts_the_usual_workout(talk: Talk, reply: Any) -> bool:
    return position(talk) == (0, 1) and says("start.intro", reply) and talk.record.workout.options.level == "beginner"


def starts_the_requested_workout(talk: Talk, reply: Any) -> bool:
    return says("start.intro", reply) and talk.record.workout.options == REQUESTED


def resumes(talk: Talk, reply: Any) -> bool:
    return says("resume.back", reply) and position(talk) == POSITION_AFTER_ONE_SET


def restarts(talk: Talk, reply: Any) -> bool:
    return says("restart.done", reply) and position(talk) == (0, 1)


def carries_on(talk: Talk, reply: Any) -> bool:
    return says("start.kept", reply) and position(talk) == POSITION_AFTER_ONE_SET


def prompt(key: str) -> Check:
    def check(talk: Talk, reply: Any) -> bool:
        return says(key, reply)
    check.__name__ = key
    return check


def deletes_everything(talk: Talk, reply: Any) -> bool:
    """Asks the glue to delete (the account's voice: everything kept for the account)."""
    return reply.forget is True and says("your_data.deleted_account", reply)


def keeps_everything(talk: Talk, reply: Any) -> bool:
    goes_on = position(talk) == POSITION_AFTER_ONE_SET if talk.record.workout else says("welcome.ask_start", reply)
    return says("your_data.kept", reply) and reply.forget is False and goes_on


def another_reason(talk: Talk, reply: Any) -> bool:
    return any(benefit.text in text(reply) for benefit in talk.coach.content.benefits)


def sets_the_timer(talk: Talk, reply: Any) -> bool:
    return says("timer.set", reply) and len(talk.timers.timers) == 1 and talk.record.rest_timer is not None


def counts_the_rest(talk: Talk, reply: Any) -> bool:
    return says("timer.declined", reply) and "Rest 2 minutes" in text(reply) \
        and talk.record.workout.rest_timers is False


def the_form_cues(talk: Talk, reply: Any) -> bool:
    lunge = talk.coach.content.exercise("lunge")
    return says("info.cues", reply) and all(cue in text(reply) for cue in lunge.cues)


def counts_the_set(talk: Talk, reply: Any) -> bool:
    return position(talk) == (2, 1)


W, NONE = True, False
R = Pending
# (question waiting, said, workout under way?) -> (what happens, question left waiting, session ends)
TABLE: list[tuple[Pending | None, Said, bool, Check, Pending | None, bool]] = [
    (None, Yes(), W, repeats_the_set, None, False),
    (None, Yes(), NONE, starts_the_usual_workout, None, False),
    (None, No(), W, prompt("fallback.in_workout"), None, False),
    (None, No(), NONE, prompt("yes_no.unclear"), None, False),
    (R.START, Yes(), W, repeats_the_set, None, False),
    (R.START, Yes(), NONE, starts_the_usual_workout, None, False),
    (R.START, No(), W, prompt("fallback.in_workout"), None, False),
    (R.START, No(), NONE, prompt("yes_no.no_idle"), None, True),
    (R.RESUME, Yes(), W, resumes, None, False),
    (R.RESUME, Yes(), NONE, starts_the_usual_workout, None, False),
    (R.RESUME, No(), W, prompt("resume.declined"), R.REPLACE, False),
    (R.RESUME, No(), NONE, prompt("resume.declined"), R.REPLACE, False),
    (R.RESTART, Yes(), W, restarts, None, False),
    (R.RESTART, Yes(), NONE, starts_the_usual_workout, None, False),
    (R.RESTART, No(), W, carries_on, None, False),
    (R.RESTART, No(), NONE, prompt("yes_no.unclear"), None, False),
    (R.REPLACE, Yes(), W, starts_the_requested_workout, None, False),
    (R.REPLACE, Yes(), NONE, starts_the_requested_workout, None, False),
    (R.REPLACE, No(), W, carries_on, None, False),
    (R.REPLACE, No(), NONE, prompt("yes_no.no_idle"), None, True),
    (R.MORE_BENEFITS, Yes(), W, another_reason, None, False),
    (R.MORE_BENEFITS, Yes(), NONE, another_reason, R.MORE_BENEFITS, False),
    (R.MORE_BENEFITS, No(), W, prompt("fallback.in_workout"), None, False),
    (R.MORE_BENEFITS, No(), NONE, prompt("yes_no.no_idle"), None, True),
    (R.REST_TIMER, Yes(), W, sets_the_timer, None, True),
    (R.REST_TIMER, Yes(), NONE, starts_the_usual_workout, None, False),
    (R.REST_TIMER, No(), W, counts_the_rest, None, False),
    (R.REST_TIMER, No(), NONE, prompt("yes_no.unclear"), None, False),
    (R.DELETE_DATA, Yes(), W, deletes_everything, None, True),
    (R.DELETE_DATA, Yes(), NONE, deletes_everything, None, True),
    (R.DELETE_DATA, No(), W, keeps_everything, None, False),
    (R.DELETE_DATA, No(), NONE, keeps_everything, R.START, False),
    # "Did you say 900 kilos? Say yes, or tell me again."
    (R.CHECK_SET, Yes(), W, counts_the_set, None, False),
    (R.CHECK_SET, Yes(), NONE, prompt("welcome.ask_start"), R.START, False),
    (R.CHECK_SET, No(), W, prompt("check_back.again"), None, False),
    (R.CHECK_SET, No(), NONE, prompt("welcome.ask_start"), R.START, False),
    # Other things said that answer a question.
    (R.REST_TIMER, Done(), W, counts_the_rest, None, False),
    (R.REST_TIMER, Done(), NONE, prompt("welcome.ask_start"), R.START, False),
    (R.REST_TIMER, UseRestTimers(), W, sets_the_timer, None, True),
    (R.REST_TIMER, UseRestTimers(), NONE, prompt("timer.enabled_later"), R.START, False),
    (R.REST_TIMER, Skip(), W, prompt("skip.skipping"), None, False),
    (R.REST_TIMER, Skip(), NONE, prompt("skip.nothing"), R.START, False),
    (R.REPLACE, StartWorkout("advanced", 15, "dumbbells"), W, prompt("start.intro"), None, False),
    # "Want the form cues?" (after "how do I do a lunge")
    (R.MORE_INFO, Yes(), W, the_form_cues, None, False),
    (R.MORE_INFO, Yes(), NONE, the_form_cues, R.START, False),
    (R.MORE_INFO, No(), W, prompt("set.back_to_it"), None, False),
    (R.MORE_INFO, No(), NONE, prompt("welcome.ask_start"), R.START, False),
    (R.MORE_INFO, TellMeMore(), W, the_form_cues, None, False),
    (R.MORE_INFO, TellMeMore(), NONE, the_form_cues, R.START, False),
    (R.MORE_INFO, Done(), W, counts_the_set, None, False),
    # "I took 6 as 6 pm. Would you like 6 am instead?" (no reminders service here: nothing moves)
    (R.REMINDERS_OTHER_HALF, Yes(), W, prompt("reminder.unavailable"), None, False),
    (R.REMINDERS_OTHER_HALF, Yes(), NONE, prompt("reminder.unavailable"), R.START, False),
    (R.REMINDERS_OTHER_HALF, No(), W, prompt("set.back_to_it"), None, False),
    (R.REMINDERS_OTHER_HALF, No(), NONE, prompt("welcome.ask_start"), R.START, False),
]


@pytest.mark.parametrize(("pending", "said", "workout", "happens", "left", "ends"), TABLE,
                         ids=[f"{p.value if p else 'nothing'}-{type(s).__name__}-{'workout' if w else 'none'}"
                              for p, s, w, *_ in TABLE])
def test_each_answer_to_each_question(pending: Pending | None, said: Said, workout: bool, happens: Check,
                                      left: Pending | None, ends: bool) -> None:
    talk = started(Talk()) if workout else Talk()
    reply = waiting(talk, pending).say(said)
    assert happens(talk, reply), text(reply)
    assert talk.session.pending is left
    assert reply.end_session is ends


def test_the_table_covers_every_question_answered_yes_and_no_and_only_lists_answers_it_tests() -> None:
    for pending in (None, *Pending):
        for said in (Yes, No):
            assert (pending, said) in questions.ANSWERS, (pending, said)
    tested = {(pending, type(said)) for pending, said, *_ in TABLE}
    assert tested == set(questions.ANSWERS)


@pytest.mark.parametrize("pending", [pending for pending in Pending if pending not in questions.ANSWERED_AT_ONCE])
@pytest.mark.parametrize("said", [SetRest(90), PermissionAnswered(PermissionAnswer.NOT_ANSWERED)],
                         ids=["set-rest", "permission-not-answered"])
def test_what_answers_no_question_leaves_the_question_waiting(pending: Pending, said: Said) -> None:
    talk = waiting(started(Talk()), pending)
    asked = talk.session.question
    talk.say(said)
    assert talk.session.question == asked


def test_everything_that_can_be_said_has_a_step_or_an_answer() -> None:
    answered_only = {Yes, No}
    assert set(get_args(Said)) - answered_only == set(STEPS)


def test_launch_asks_to_resume_or_to_start() -> None:
    talk = Talk()
    talk.say(Launch())
    assert talk.session.pending is Pending.START
    started(talk)
    talk.say(Launch())
    assert talk.session.pending is Pending.RESUME


@pytest.mark.parametrize("said", [SetRest(90), Done(), Launch(), StartWorkout()],
                         ids=["set-rest", "done", "launch", "start"])
def test_the_question_to_delete_is_dropped_by_anything_else_said_so_a_later_yes_deletes_nothing(said: Said) -> None:
    talk = waiting(started(Talk()), Pending.DELETE_DATA)
    reply = talk.say(said)
    assert reply.forget is False and talk.session.pending is not Pending.DELETE_DATA
    assert talk.say(Yes()).forget is False


@pytest.mark.parametrize(("person", "asks", "done"), [
    ("amzn1.ask.person.ANNA", "your_data.confirm", "your_data.deleted"),
    (None, "your_data.confirm_account", "your_data.deleted_account"),
])
def test_delete_my_data_asks_first_a_person_for_their_own_data_the_account_for_everything(
    person: str | None, asks: str, done: str
) -> None:
    talk = started(Talk())
    talk.person_id = person
    asked = talk.say(DeleteMyData())
    assert says(asks, asked) and asked.forget is False and asked.end_session is False
    assert talk.session.pending is Pending.DELETE_DATA and talk.record.workout is not None
    confirmed = talk.say(Yes())
    assert says(done, confirmed) and confirmed.forget is True and confirmed.end_session is True
    assert talk.session.pending is None
