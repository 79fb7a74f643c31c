"""Workout content and plans: pure logic, no SDK, no Flask."""

from __future__ import annotations

import pytest

from skill.content import EQUIPMENT, LENGTHS, LEVELS, load_content
from skill.workout.plan import PlanOptions, build_plan, estimate_seconds

CONTENT = load_content()


def test_at_least_ten_leg_exercises_with_muscles_cues_and_scaling() -> None:
    main = [exercise for exercise in CONTENT.exercises.values() if exercise.role == "main"]
    assert len(main) >= 10
    names = {exercise.name for exercise in main}
    assert {"squat", "lunge", "deadlift"} <= names
    for exercise in CONTENT.exercises.values():
        assert exercise.muscles
        assert len(exercise.cues) >= 3
        assert all(len(cue) < 80 for cue in exercise.cues)
        assert set(exercise.scaling) == set(EQUIPMENT)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("length", LENGTHS)
def test_plans_have_warmup_main_and_cooldown_and_fit_their_length(level: str, length: int) -> None:
    items = build_plan(PlanOptions(level, length, "dumbbells"), CONTENT)
    blocks = [item.block for item in items]
    assert blocks[0] == "warmup" and blocks[-1] == "cooldown"
    assert blocks == sorted(blocks, key=["warmup", "main", "cooldown"].index)
    assert blocks.count("main") >= 2
    assert estimate_seconds(items, CONTENT) <= length * 60 * 1.1


def test_levels_and_lengths_change_the_workout() -> None:
    beginner = build_plan(PlanOptions("beginner", 30, "dumbbells"), CONTENT)
    advanced = build_plan(PlanOptions("advanced", 30, "dumbbells"), CONTENT)
    longer = build_plan(PlanOptions("beginner", 45, "dumbbells"), CONTENT)
    main = lambda items: [item for item in items if item.block == "main"]  # noqa: E731
    assert main(beginner)[0].sets < main(advanced)[0].sets
    assert main(beginner)[0].rest_seconds < main(advanced)[0].rest_seconds
    assert [item.exercise_id for item in main(beginner)] != [item.exercise_id for item in main(advanced)]
    assert len(main(longer)) > len(main(beginner))


def test_benefits_cover_the_article() -> None:
    ids = {benefit.id for benefit in CONTENT.benefits}
    assert ids == {"strength", "metabolism", "balance", "core", "bones", "sport"}
    assert CONTENT.benefits_closing == "A balanced fitness journey starts from the ground up."
    assert "metabolic engine" in CONTENT.benefit("metabolism").text
    assert "osteoporosis" in CONTENT.benefit("bones").text
