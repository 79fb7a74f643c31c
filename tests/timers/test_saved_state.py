"""Timer state in the saved record and the session: old records still load, damage is shed, not fatal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from intents import timers
from skill.services import alexa
from skill.content import load_content
from skill.conversation.said import PermissionAnswer
from skill.conversation.session import SessionState
from skill.workout.plan import PlanOptions, build_plan
from skill.workout.progress import RestTimer, UserRecord, Workout

CONTENT = load_content()
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc)


def schema_one_record() -> dict:
    """A record exactly as the first release saved it: no timer fields anywhere."""
    options = PlanOptions("advanced", 45, "barbell")
    workout = Workout(options=options, items=build_plan(options, CONTENT)).to_dict()
    del workout["rest_timers"]
    return {"schema": 1, "workout": workout, "history": [], "last_benefit": None,
            "last_options": {"level": "advanced", "length": 45, "equipment": "barbell"}}


def test_a_record_saved_before_rest_timers_loads_with_their_defaults() -> None:
    record = UserRecord.from_dict(schema_one_record(), CONTENT)
    assert record.rest_timer is None and record.timers_denied is False and record.timer_hint_given is False
    assert record.workout is not None and record.workout.rest_timers is None
    assert UserRecord.from_dict(record.to_dict(), CONTENT).to_dict() == record.to_dict()


def test_timer_fields_round_trip() -> None:
    record = UserRecord.from_dict(schema_one_record(), CONTENT)
    record.rest_timer = RestTimer("timer-1", "2026-11-25T18:02:00+00:00")
    record.rest_timer.pause(NOW + timedelta(seconds=30))
    record.timers_denied = True
    record.timer_hint_given = True
    record.workout.rest_timers = False
    again = UserRecord.from_dict(record.to_dict(), CONTENT)
    assert again.to_dict() == record.to_dict()
    assert again.rest_timer.paused_seconds == 90


@pytest.mark.parametrize("damaged", [
    "timer-1", [1], {"id": ""}, {"id": 7, "ends_at": "2026-11-25T18:02:00+00:00"}, {"id": "t"},
    {"id": "t", "ends_at": "tomorrow"}, {"id": "t", "ends_at": "2026-11-25T18:02:00", "paused_seconds": "lots"},
    {"id": "t", "ends_at": "2026-11-25T18:02:00", "paused_seconds": 1e400},
])
def test_a_damaged_saved_timer_is_dropped_and_the_record_kept(damaged: object) -> None:
    raw = schema_one_record() | {"rest_timer": damaged, "timers_denied": "yes"}
    record = UserRecord.from_dict(raw, CONTENT)
    assert record.rest_timer is None and record.timers_denied is False
    assert record.workout is not None


def test_a_timer_pauses_and_resumes_with_the_time_it_had_left() -> None:
    timer = RestTimer("t", "2026-11-25T18:02:00+00:00")
    assert timer.running(NOW) and timer.seconds_left(NOW) == 120
    timer.pause(NOW + timedelta(seconds=50))
    assert timer.paused and timer.seconds_left(NOW + timedelta(hours=1)) == 70
    later = NOW + timedelta(minutes=10)
    timer.resume(later)
    assert not timer.paused and timer.seconds_left(later) == 70
    assert not timer.running(later + timedelta(seconds=71))


@pytest.mark.parametrize(("cursor", "rest"), [
    ({"pending": "rest_timer", "rest": 120}, 120), ({"pending": "rest_timer", "rest": "120"}, None),
    ({"pending": "rest_timer", "rest": -5}, None), ({"pending": "rest_timer", "rest": 10**9}, None),
    ({"pending": "rest_timer", "rest": True}, None), ({}, None),
])
def test_the_offered_rest_is_read_back_from_the_session_only_when_sane(cursor: dict, rest: int | None) -> None:
    assert SessionState.from_dict(cursor).rest_seconds == rest


@pytest.mark.parametrize(("seconds", "iso"), [(120, "PT2M"), (90, "PT1M30S"), (45, "PT45S"), (3660, "PT1H1M")])
def test_durations_are_iso_8601(seconds: int, iso: str) -> None:
    assert alexa.iso_duration(seconds) == iso


@pytest.mark.parametrize(("token", "rest"), [
    ("legday-rest-timer:120", 120), ("legday-rest-timer:0", 0), ("legday-rest-timer:", 0),
    ("legday-rest-timer:-3", 0), ("legday-rest-timer:99999999", 0), ("other:120", 0), (None, 0), (12, 0),
])
def test_the_permission_token_carries_the_waiting_rest(token: object, rest: int) -> None:
    assert timers.rest_from_token(token) == rest


NO_ANSWER = PermissionAnswer.NOT_ANSWERED


@pytest.mark.parametrize(("payload", "answer"), [
    ({"status": "ACCEPTED"}, PermissionAnswer.ACCEPTED), ({"status": "DENIED"}, PermissionAnswer.DENIED),
    ({"status": "NOT_ANSWERED"}, NO_ANSWER), ({"status": ["ACCEPTED"]}, NO_ANSWER), ({}, NO_ANSWER),
    (None, NO_ANSWER), ("ACCEPTED", NO_ANSWER),
])
def test_permission_answers_are_read_safely(payload: object, answer: PermissionAnswer) -> None:
    assert timers.permission_answer(payload) is answer
