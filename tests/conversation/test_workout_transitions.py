"""The workout's main transitions and the rest-timer protocol, as plain Python against a fake Timers service."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.conversation.said import (
    Done,
    Pause,
    PermissionAnswer,
    PermissionAnswered,
    Previous,
    Resume,
    Skip,
    StartOver,
    StartWorkout,
    Stop,
    Yes,
)
from skill.conversation.session import Pending
from skill.services import Failure
from skill.workout.plan import build_plan
from tests.conversation.helpers import ADVANCED, CONTENT, Talk, says, text

PURE_PACKAGES = ("skill.conversation", "skill.services")
FORBIDDEN = ("flask", "ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "werkzeug", "audio")


def to_the_timer_offer(talk: Talk) -> None:
    talk.say(ADVANCED)
    talk.until("Shall I set a rest timer")


def resting_on_a_timer(talk: Talk) -> str:
    to_the_timer_offer(talk)
    talk.say(Yes())
    [timer_id] = talk.timers.timers
    return timer_id


def test_a_whole_workout_walks_every_set_then_finishes_into_the_history() -> None:
    talk = Talk(permitted=False)
    options = StartWorkout("beginner", 15, "dumbbells")
    first = talk.say(options)
    assert says("start.intro", first) and talk.session.pending is None
    plan = build_plan(talk.record.workout.options, CONTENT)
    replies = [talk.say(Done()) for _ in range(sum(item.sets for item in plan))]
    assert all(reply.end_session is False for reply in replies[:-1])
    assert replies[-1].end_session is True and says("finish.summary", replies[-1])
    assert talk.record.workout is None and talk.record.last_workout.sets == sum(item.sets for item in plan)


def test_skip_previous_and_start_over_move_through_the_plan() -> None:
    talk = Talk()
    talk.say(ADVANCED)
    talk.say(Skip())
    assert (talk.record.workout.position, talk.record.workout.set_number) == (1, 1)
    talk.say(Previous())
    assert talk.record.workout.position == 0
    talk.say(Done())
    asked = talk.say(StartOver())
    assert says("restart.confirm", asked) and talk.session.pending is Pending.RESTART
    talk.say(Yes())
    assert talk.record.workout.position == 0 and talk.session.pending is None


def test_a_started_workout_is_replaced_only_after_a_yes() -> None:
    talk = Talk()
    talk.say(ADVANCED)
    talk.say(Done())
    asked = talk.say(StartWorkout("beginner", 15, "bodyweight"))
    assert says("start.replace_offer", asked) and talk.record.workout.options.level == "advanced"
    talk.say(Yes())
    assert talk.record.workout.options.level == "beginner" and talk.record.workout.position == 0


def test_a_long_rest_offers_a_timer_and_yes_sets_one_for_the_rest() -> None:
    talk = Talk()
    timer_id = resting_on_a_timer(talk)
    [call] = talk.timers.requests("create")
    assert call.timer.seconds == 150 and call.timer.label == "leg day rest"
    assert talk.record.rest_timer.id == timer_id and talk.record.workout.rest_timers is True


def test_done_ends_the_rest_and_cancels_its_timer_and_the_next_long_rest_sets_a_new_one() -> None:
    talk = Talk()
    first = resting_on_a_timer(talk)
    again = talk.say(Done())
    assert talk.timers.requests("cancel", first)
    assert says("timer.set", again) and again.end_session is True
    [second] = talk.timers.timers
    assert second != first and talk.record.rest_timer.id == second


def test_pause_and_resume_carry_the_timer_with_them() -> None:
    talk = Talk()
    timer_id = resting_on_a_timer(talk)
    paused = talk.say(Pause(), seconds_later=20)
    assert says("timer.paused", paused) and talk.timers.timers[timer_id]["status"] == "PAUSED"
    assert talk.record.rest_timer.paused_seconds == 130
    resumed = talk.say(Resume(), seconds_later=600)
    assert says("timer.resumed", resumed) and "2 minutes and 10 seconds to go" in text(resumed)
    assert talk.timers.timers[timer_id]["status"] == "ON" and not talk.record.rest_timer.paused


@pytest.mark.parametrize(("failure", "kept"), [(Failure.NOT_FOUND, False), (Failure.UNAVAILABLE, True)])
def test_a_timer_that_cannot_be_paused_is_forgotten_if_gone_and_kept_if_out_of_reach(
    failure: Failure, kept: bool
) -> None:
    talk = Talk()
    timer_id = resting_on_a_timer(talk)
    talk.timers.fail_with = failure
    paused = talk.say(Pause())
    assert says("pause.paused", paused) and not says("timer.paused", paused)
    assert talk.record.workout.paused is True
    assert (talk.record.rest_timer is not None) is kept
    talk.timers.fail_with = None
    stopped = talk.say(Stop())
    assert bool(talk.timers.requests("cancel", timer_id)) is kept
    assert says("timer.cancelled", stopped) is kept


def test_permission_missing_hands_over_to_alexa_and_the_answer_brings_the_timer() -> None:
    talk = Talk()
    to_the_timer_offer(talk)
    talk.timers.fail_with = Failure.PERMISSION_MISSING
    asked = talk.say(Yes())
    assert asked.permission_request is not None and asked.permission_request.rest_seconds == 150
    assert asked.end_session is None and talk.session.pending is None
    talk.timers.fail_with = None
    answered = talk.say(PermissionAnswered(PermissionAnswer.ACCEPTED, 150))
    assert says("timer.thanks", answered) and says("timer.set", answered) and len(talk.timers.timers) == 1


def test_a_refused_permission_is_remembered_and_rests_are_counted() -> None:
    talk = Talk()
    to_the_timer_offer(talk)
    talk.timers.fail_with = Failure.PERMISSION_MISSING
    talk.say(Yes())
    counted = talk.say(PermissionAnswered(PermissionAnswer.DENIED, 150))
    assert says("timer.denied", counted) and "Rest 2 and a half minutes" in text(counted)
    assert talk.record.timers_denied is True and talk.record.workout.rest_timers is False


@pytest.mark.parametrize("failure", [Failure.UNAVAILABLE, TimeoutError("timed out")], ids=["unavailable", "timeout"])
def test_no_timer_to_be_had_counts_the_rest_and_offers_no_more(failure: Failure | Exception) -> None:
    talk = Talk()
    to_the_timer_offer(talk)
    talk.timers.fail_with = failure
    counted = talk.say(Yes())
    assert says("timer.unavailable", counted) and "Rest 2 and a half minutes" in text(counted)
    assert talk.record.workout.rest_timers is False and talk.record.rest_timer is None


def test_a_label_clash_clears_the_skills_timers_and_creates_once_more() -> None:
    talk = Talk()
    to_the_timer_offer(talk)
    lost = talk.timers.add_timer("leg day rest")
    talk.say(Yes())
    # With its task, announcing (the refusal may be the task's), then, ours cleared, announcing again.
    creates = talk.timers.requests("create")
    assert [call.timer.resume_task is not None for call in creates] == [True, False, False]
    assert talk.timers.requests("cancel_all")
    assert lost not in talk.timers.timers and talk.record.rest_timer.id in talk.timers.timers


def test_without_permission_long_rests_are_counted_with_one_hint_and_a_card() -> None:
    talk = Talk(permitted=False)
    talk.say(ADVANCED)
    first = talk.until("Rest 2 and a half minutes")
    assert says("timer.hint", first) and first.consent_card
    second = talk.until("Rest 2 and a half minutes")
    assert not says("timer.hint", second) and not second.consent_card
    assert talk.timers.calls == []


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_the_conversation_and_the_services_seam_import_nothing_of_flask_the_sdk_or_audio(package: str) -> None:
    """Imported in a fresh interpreter, so nothing another test imported can hide an import."""
    modules = [package] + [
        f"{package}.{path.relative_to(Path(*package.split('.'))).with_suffix('').as_posix().replace('/', '.')}"
        for path in sorted(Path(*package.split(".")).rglob("*.py")) if path.name != "__init__.py"
    ]
    # The production adapters (alexa, alexa_reminders): the SDK's side.
    modules = [name for name in modules if not name.rpartition(".")[2].startswith("alexa")]
    probe = (f"import importlib, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parents[2])
    assert loaded.stdout.strip() == "[]", loaded.stdout
