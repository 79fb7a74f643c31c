"""Workout content and plans: pure logic, no SDK, no Flask."""

from __future__ import annotations

import re
from itertools import product

import pytest

from skill.content import EQUIPMENT, LENGTHS, LEVELS, REQUIRED_PATTERNS, Prompts, load_content
from skill.conversation.countdown import mark_text, spoken_duration
from skill.conversation.phrasing import cue_sentences, cues_for, intro_values, sentence
from skill.workout.plan import PlanItem, PlanOptions, _build_plan, build_plan, estimate_seconds

CONTENT = load_content()
OPTIONS = [PlanOptions(level, length, equipment) for level, length, equipment in product(LEVELS, LENGTHS, EQUIPMENT)]
# Words that name a load: none may be heard in a workout with no equipment.
LOAD_WORDS = re.compile(r"\b(weight|weights|dumbbells?|bar|barbell|plate|kettlebells?)\b", re.IGNORECASE)


def main_block(options: PlanOptions) -> list[PlanItem]:
    return [item for item in build_plan(options, CONTENT) if item.block == "main"]


def test_at_least_ten_leg_exercises_with_muscles_cues_and_scaling() -> None:
    main = [exercise for exercise in CONTENT.exercises.values() if exercise.role == "main"]
    assert len(main) >= 10
    assert {"squat", "reverse lunge", "deadlift", "romanian deadlift"} <= {exercise.name for exercise in main}
    for exercise in CONTENT.exercises.values():
        assert exercise.muscles
        assert len(exercise.cues) >= (3 if exercise.role == "main" else 2)
        assert all(len(cue) < 80 for cue in exercise.cues)
        assert set(exercise.scaling) == set(EQUIPMENT)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: f"{o.level}-{o.length}-{o.equipment}")
def test_every_main_block_trains_a_squat_a_hinge_and_a_single_leg_movement_and_fits_its_length(
    options: PlanOptions,
) -> None:
    items = build_plan(options, CONTENT)
    blocks = [item.block for item in items]
    assert blocks[0] == "warmup" and blocks[-1] == "cooldown"
    assert blocks == sorted(blocks, key=["warmup", "main", "cooldown"].index)
    patterns = [CONTENT.exercise(item.exercise_id).pattern for item in main_block(options) if not item.ramp_up]
    assert tuple(patterns[:3]) == REQUIRED_PATTERNS
    assert estimate_seconds(items, CONTENT) <= options.length * 60
    for item in main_block(options):
        assert options.equipment in CONTENT.exercise(item.exercise_id).equipment, item
    if options.length == 45:
        assert len(patterns) >= 4, "a 45 minute plan has room for calves or an accessory"
    assert any(item.exercise_id == "hinge_drill" for item in items if item.block == "warmup")


@pytest.mark.parametrize(("length", "equipment"), list(product(LENGTHS, EQUIPMENT)))
def test_advanced_is_heavier_or_harder_never_fewer_movements(length: int, equipment: str) -> None:
    def movements(level: str) -> set[str]:
        return {item.exercise_id for item in main_block(PlanOptions(level, length, equipment))}

    assert len(movements("advanced")) >= len(movements("intermediate")) >= len(movements("beginner")) - 1
    assert len(movements("advanced")) >= 3


def test_heavy_lifts_start_with_a_lighter_ramp_up_set_and_bodyweight_plans_with_progressions() -> None:
    barbell = main_block(PlanOptions("advanced", 45, "barbell"))
    ramps = [item for item in barbell if item.ramp_up]
    assert [item.exercise_id for item in ramps] == ["squat", "deadlift"]
    for ramp in ramps:
        work = barbell[barbell.index(ramp) + 1]
        assert work.exercise_id == ramp.exercise_id and not work.ramp_up and ramp.sets == 1
    bodyweight = {level: [item.exercise_id for item in main_block(PlanOptions(level, 45, "bodyweight"))]
                  for level in LEVELS}
    assert bodyweight["beginner"][0] == "tempo_squat" and bodyweight["intermediate"][0] == "pause_squat"
    assert bodyweight["advanced"][0] == "jump_squat" and "pistol_squat" in bodyweight["advanced"]
    assert "split_squat" in bodyweight["beginner"]


def test_beginner_fifteen_has_a_hinge_and_beginners_hinge_before_bridges() -> None:
    assert "romanian_deadlift" in [item.exercise_id for item in main_block(PlanOptions("beginner", 15, "dumbbells"))]
    order = [item.exercise_id for item in main_block(PlanOptions("beginner", 45, "dumbbells"))]
    assert order.index("romanian_deadlift") < order.index("glute_bridge")


# pattern or exercise -> (rep range allowed at each level, rest allowed): the issue's prescription
PRESCRIBED = {
    "squat": {"beginner": (8, 12), "intermediate": (6, 10), "advanced": (3, 6)},
    "deadlift": {level: (3, 5) for level in LEVELS},
    "romanian_deadlift": {level: (6, 10) for level in LEVELS},
    "single_leg": {level: (8, 12) for level in LEVELS},
    "glute_bridge": {level: (8, 15) for level in LEVELS},
    "calf_raise": {level: (10, 20) for level in LEVELS},
}
RESTS = {"main_lift": (120, 180), "accessory": (60, 90), "calves": (45, 60)}


@pytest.mark.parametrize("level", LEVELS)
def test_each_exercise_has_its_own_prescription_as_the_issue_sets_it(level: str) -> None:
    for key, ranges in PRESCRIBED.items():
        exercises = ([exercise for exercise in CONTENT.exercises.values() if exercise.pattern == key]
                     if key == "single_leg" else [CONTENT.exercise(key)])
        for exercise in exercises:
            prescription = exercise.prescription(level)
            low, high = ranges[level]
            assert low <= prescription.reps_low <= prescription.reps_high <= high, (exercise.id, prescription)
    for exercise_id, kind in (("squat", "main_lift"), ("deadlift", "main_lift"), ("goblet_squat", "main_lift"),
                              ("romanian_deadlift", "accessory"), ("lunge", "accessory"),
                              ("bulgarian_split_squat", "accessory"), ("glute_bridge", "accessory"),
                              ("calf_raise", "calves")):
        low, high = RESTS[kind]
        assert low <= CONTENT.exercise(exercise_id).prescription(level).rest_seconds <= high, exercise_id
    assert {exercise.id for exercise in CONTENT.exercises.values() if exercise.to_failure} == {
        "glute_bridge", "calf_raise"}


def test_thirty_and_forty_five_minute_plans_keep_the_prescribed_rests() -> None:
    for options in OPTIONS:
        if options.length == 15:
            continue
        for item in main_block(options):
            if not item.ramp_up:
                rest = CONTENT.exercise(item.exercise_id).prescription(options.level).rest_seconds
                assert item.rest_seconds >= min(rest, 120), (options, item)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_plan_worked_out_once_is_the_plan_and_each_caller_gets_a_list_of_its_own(language: str) -> None:
    content = load_content(language)
    for options in OPTIONS:
        first = build_plan(options, content)
        assert first == _build_plan(options, content)
        first.pop()
        first[0] = first[-1]
        assert build_plan(options, content) == _build_plan(options, content)
    assert build_plan(OPTIONS[0], content) != build_plan(OPTIONS[-1], content)


def test_every_hinge_leads_with_the_brace_and_a_flat_back_and_depth_is_limited_by_the_back() -> None:
    hinges = [exercise for exercise in CONTENT.exercises.values() if exercise.pattern == "hinge"]
    hinges.append(CONTENT.exercise("hinge_drill"))
    for exercise in hinges:
        first = exercise.cues[0].lower()
        assert "brace" in first and ("back flat" in first or "flat back" in first), exercise.id
        assert not any("stretch" in cue.lower() for cue in exercise.cues), exercise.id
    assert "bend your knees" in CONTENT.exercise("deadlift").how_to.lower()
    everything = " ".join(
        " ".join((*exercise.cues, exercise.how_to, *exercise.scaling.values())) for exercise in CONTENT.exercises.values())
    assert "chest proud" not in everything.lower()


@pytest.mark.parametrize("options", [o for o in OPTIONS if o.equipment == "bodyweight"],
                         ids=lambda o: f"{o.level}-{o.length}")
def test_a_workout_with_no_equipment_never_mentions_a_weight(options: PlanOptions) -> None:
    for item in build_plan(options, CONTENT):
        exercise = CONTENT.exercise(item.exercise_id)
        for line in (*exercise.cues, exercise.scaling["bodyweight"]):
            assert not LOAD_WORDS.search(line), (exercise.id, line)


def test_no_barbell_on_the_back_for_step_ups_lunges_or_split_squats() -> None:
    for exercise_id in ("step_up", "lunge", "bulgarian_split_squat"):
        line = CONTENT.exercise(exercise_id).scaling["barbell"].lower()
        assert "plate" in line or "dumbbell" in line
        assert "bar on your upper back" not in line and not line.startswith("rest a")


@pytest.mark.parametrize("sets", [1, 2, 3, 4, 5])
def test_cues_are_spread_over_the_sets_so_each_set_hears_new_ones_and_none_go_unheard(sets: int) -> None:
    for exercise in CONTENT.exercises.values():
        heard = [cues_for(exercise.cues, number, sets) for number in range(1, sets + 1)]
        assert all(1 <= len(cues) <= 2 for cues in heard)
        flat = [cue for cues in heard for cue in cues]
        if sets * 2 >= len(exercise.cues):
            assert set(flat) == set(exercise.cues), exercise.id
        assert len(set(flat)) == min(len(flat), len(exercise.cues)), "no cue again before every cue is heard"
        assert flat[0] == exercise.cues[0]


@pytest.mark.parametrize("language", ["en", "de"])
def test_each_sets_cues_are_said_as_sentences_the_same_every_time(language: str) -> None:
    for exercise in load_content(language).exercises.values():
        for sets in range(1, 6):
            for number in range(1, sets + 1):
                said = [sentence(cue) for cue in cues_for(exercise.cues, number, sets)]
                first, kept = cue_sentences(exercise.cues, number, sets), cue_sentences(exercise.cues, number, sets)
                assert list(first) == list(kept) == said


def test_words_kept_for_one_language_are_never_said_for_other_prompts() -> None:
    """The wordings kept per process (durations, an item's sets and reps) are kept per Prompts object."""
    english, german = load_content("en").prompts, load_content("de").prompts
    item = PlanItem("lunge", "main", sets=3, reps=8, reps_max=12)
    assert spoken_duration(english, 90) == "a minute and a half"
    assert intro_values(english, item, CONTENT.exercise("lunge"))["reps"] == "8 to 12 reps"
    reworded = Prompts({**english.templates, "duration.minute_and_half": ("ninety seconds",),
                        "phrase.reps_range": ("{low} or up to {high} reps",)})
    assert spoken_duration(reworded, 90) == "ninety seconds"
    assert intro_values(reworded, item, CONTENT.exercise("lunge"))["reps"] == "8 or up to 12 reps"
    assert spoken_duration(german, 90) != spoken_duration(english, 90)
    assert spoken_duration(english, 90) == "a minute and a half"
    kept = intro_values(english, item, CONTENT.exercise("lunge"))
    kept["reps"] = "changed by a caller"
    assert intro_values(english, item, CONTENT.exercise("lunge"))["reps"] == "8 to 12 reps"


@pytest.mark.parametrize(("seconds", "said"), [
    (15, "15 seconds"), (45, "45 seconds"), (60, "a minute"), (75, "a minute and 15 seconds"),
    (90, "a minute and a half"), (120, "2 minutes"), (150, "2 and a half minutes"), (180, "3 minutes"),
    (165, "2 minutes and 45 seconds"),
])
def test_durations_of_a_minute_or_more_are_said_in_minutes(seconds: int, said: str) -> None:
    assert spoken_duration(CONTENT.prompts, seconds) == said


def test_countdown_marks_of_a_minute_or_more_are_in_minutes() -> None:
    assert [mark_text(mark) for mark in (150, 120, 90, 60, 30, 3)] == [
        "2 and a half minutes left", "2 minutes left", "A minute and a half left", "One minute left", "30 seconds", "3"]


def test_benefits_cover_the_article_without_overstating_it() -> None:
    ids = {benefit.id for benefit in CONTENT.benefits}
    assert ids == {"strength", "metabolism", "balance", "core", "bones", "sport"}
    assert CONTENT.benefits_closing == "A balanced fitness journey starts from the ground up."
    assert "a little more" in CONTENT.benefit("metabolism").text and "engine" not in CONTENT.benefit("metabolism").text
    assert "heavy" in CONTENT.benefit("bones").text.lower() and "impact" in CONTENT.benefit("bones").text
    assert "strength and balance" in CONTENT.benefit("balance").text.lower()
    assert "falls" in CONTENT.benefit("balance").text
    assert "sprint" in CONTENT.benefit("sport").text and "jump" in CONTENT.benefit("sport").text
