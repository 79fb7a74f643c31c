"""Records exactly as today's released skill (schema 1) writes them, written out by hand, not by our code."""

from __future__ import annotations

from typing import Any

USER = "amzn1.ask.account.LOCAL-DEVELOPER"


def schema_one_record(*, mid_workout: bool = True) -> dict[str, Any]:
    """A schema 1 record saved mid-workout (beginner 15 with dumbbells, three sets done), with the
    last finished workout in ``history`` and every field that release writes."""
    items = [
        {"exercise_id": "leg_swing", "block": "warmup", "sets": 1, "reps": 10, "hold_seconds": 0, "rest_seconds": 15},
        {"exercise_id": "bodyweight_squat", "block": "warmup", "sets": 1, "reps": 12, "hold_seconds": 0,
         "rest_seconds": 15},
        {"exercise_id": "goblet_squat", "block": "main", "sets": 2, "reps": 10, "hold_seconds": 0, "rest_seconds": 45},
        {"exercise_id": "lunge", "block": "main", "sets": 2, "reps": 10, "hold_seconds": 0, "rest_seconds": 45},
        {"exercise_id": "quad_stretch", "block": "cooldown", "sets": 1, "reps": 0, "hold_seconds": 20,
         "rest_seconds": 15},
    ]
    workout = {
        "options": {"level": "beginner", "length": 15, "equipment": "dumbbells"},
        "items": items, "position": 2, "set_number": 2, "sets_done": [1, 1, 1, 0, 0], "skipped": [],
        "rest_override": None, "paused": False, "started_at": "2026-11-27T18:00:00+00:00",
        "last_turn_at": "2026-11-27T18:04:00+00:00", "active_seconds": 240, "rest_timers": None,
    }
    return {
        "schema": 1,
        "workout": workout if mid_workout else None,
        "history": [{"date": "2026-11-20T18:30:00+00:00", "level": "intermediate", "length": 30,
                     "exercises": ["leg swing", "goblet squat", "romanian deadlift"], "sets": 9, "minutes": 28}],
        "last_options": {"level": "beginner", "length": 15, "equipment": "dumbbells"},
        "last_benefit": "bones",
        "rest_timer": None,
        "timers_denied": False,
        "timer_hint_given": True,
    }
