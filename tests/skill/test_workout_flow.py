"""Whole leg days through the HTTP endpoint, with real request envelopes, as Alexa would send them."""

from __future__ import annotations

import json
import re
import sqlite3
from itertools import product

import pytest

from skill.content import EQUIPMENT, LENGTHS, LEVELS, load_content
from skill.workout.plan import PlanOptions, build_plan
from tests.conftest import Answer, Send, read_request

BREAK = re.compile(r'<break time="(\d+)ms"/>')
MAX_TURNS = 200


def saved_record(settings, user_id: str = "amzn1.ask.account.LOCAL-DEVELOPER") -> dict:
    with sqlite3.connect(settings.database_path) as connection:
        row = connection.execute("SELECT attributes FROM user_attributes WHERE user_id = ?", (user_id,)).fetchone()
    assert row is not None, "nothing was saved for this user"
    return json.loads(row[0])


def start(send: Send, level: str, length: str, equipment: str) -> Answer:
    body = read_request("start_workout_advanced_barbell")
    slots = body["request"]["intent"]["slots"]
    for name, value in (("level", level), ("length", length), ("equipment", equipment)):
        authority = slots[name]["resolutions"]["resolutionsPerAuthority"][0]
        authority["values"][0]["value"]["id"] = value
        slots[name]["value"] = value
    return send(body)


def tell_me_more() -> dict:
    body = read_request("progress")
    body["request"]["intent"]["name"] = "TellMeMoreIntent"
    return body


def walk_to_the_end(send: Send, first: Answer) -> list[Answer]:
    """Say "done" (carrying the session attributes on) until the skill ends the session."""
    answers = [first]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        answers.append(send("set_done", attributes=answers[-1].attributes))
    return answers


@pytest.mark.parametrize("level", LEVELS)
def test_a_whole_leg_day_for_each_level(send: Send, settings, level: str) -> None:
    first = start(send, level, "15", "dumbbells")
    plan = build_plan(PlanOptions(level, 15, "dumbbells"), load_content())
    total_sets = sum(item.sets for item in plan)

    assert f"15 minute {level} leg day with dumbbells" in first.speech
    assert first.ends_session is False and first.reprompt
    answers = walk_to_the_end(send, first)

    assert len(answers) == total_sets + 1
    finale = answers[-1]
    assert finale.ends_session is True
    assert "leg day done" in finale.speech
    assert f"{len({item.exercise_id for item in plan})} exercises and {total_sets} sets" in finale.speech
    assert "Say done after each set" in first.speech and "Alexa, tell Leg Day Coach I'm done" in first.speech
    for answer in answers[:-1]:
        assert answer.reprompt.startswith("Say done"), "every open-session response has a reprompt"
        assert "Alexa, tell Leg Day Coach I'm done" in answer.reprompt
    for answer in answers[1:]:
        assert "stopped listening" not in answer.speech, "the hint is for reprompts and the first time"
    spoken_exercises = " ".join(answer.speech for answer in answers).lower()
    for item in plan:
        assert load_content().exercise(item.exercise_id).name in spoken_exercises
    record = saved_record(settings)
    assert record["workout"] is None
    assert record["last"]["sets"] == total_sets
    assert record["last"]["level"] == level


def test_rest_between_sets_is_a_spoken_countdown_within_alexa_limits(send: Send) -> None:
    first = start(send, "advanced", "45", "barbell")
    answers = walk_to_the_end(send, first)
    rests = [answer for answer in answers if "Rest 2 and a half minutes" in answer.speech]

    assert rests, "the advanced squat rests two and a half minutes between sets"
    rest = rests[0]
    breaks = [int(ms) for ms in BREAK.findall(rest.ssml)]
    assert max(breaks) <= 10_000
    assert 125 <= sum(breaks) / 1000 <= 150
    marks = re.findall(r"((?:\d+|A|One) minutes? (?:and a half )?left|A minute and a half left|\d+ seconds)\.",
                       rest.speech)
    assert marks[:4] == ["2 minutes left", "A minute and a half left", "One minute left", "30 seconds"]
    assert "3. 2. 1." in rest.speech
    assert len(rest.ssml) < 8000


def test_rest_length_changes_by_voice_and_is_used_for_the_next_rest(send: Send) -> None:
    first = start(send, "beginner", "30", "bodyweight")
    answer = send("set_rest_seconds", attributes=first.attributes)
    assert "Rests are now a minute and a half" in answer.speech
    turns = [answer]
    while "main block" not in turns[-1].speech.lower():
        assert len(turns) < MAX_TURNS, "the main block never started"
        turns.append(send("set_done", attributes=turns[-1].attributes))
    after_main_set = send("set_done", attributes=turns[-1].attributes)
    assert "Rest a minute and a half" in after_main_set.speech

    shorter = send("set_rest_shorter", attributes=after_main_set.attributes)
    assert "Rests are now a minute and 15 seconds" in shorter.speech


def test_progress_is_saved_after_every_turn_and_resumed_in_a_new_session(send: Send, settings) -> None:
    first = start(send, "intermediate", "30", "dumbbells")
    second = send("set_done", attributes=first.attributes)
    assert saved_record(settings)["workout"]["position"] == 1

    stopped = send("stop", attributes=second.attributes)
    assert stopped.ends_session is True
    assert "Your workout is saved at the hip hinge drill." in stopped.speech

    launch = send("launch")
    assert "You stopped at the hip hinge drill." in launch.speech
    assert launch.ends_session is False
    resumed = send("yes", attributes=launch.attributes)
    assert "Hip hinge drill: 10 reps" in resumed.speech


def test_a_one_shot_done_opens_a_new_session_and_continues_the_saved_workout(send: Send, settings) -> None:
    first = start(send, "beginner", "15", "bodyweight")
    send("session_ended", attributes=first.attributes)

    one_shot = send("set_done_one_shot")
    assert one_shot.speech.startswith("Hip hinge drill: 8 reps."), "the warm-up flows on without a word"
    assert one_shot.ends_session is False
    assert saved_record(settings)["workout"]["position"] == 1


def test_launch_mentions_the_last_finished_workout(send: Send) -> None:
    walk_to_the_end(send, start(send, "beginner", "15", "bodyweight"))
    launch = send("launch")
    assert "today" in launch.speech
    assert re.search(r"\d+ sets", launch.speech)
    assert launch.ends_session is False


def test_pause_ends_the_session_keeping_the_place_and_resume_picks_it_up(send: Send) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    paused = send("pause", attributes=first.attributes)
    assert paused.ends_session is True
    assert "Paused at the leg swing." in paused.speech

    resumed = send("resume", new=True)
    assert resumed.ends_session is False
    assert "Leg swing" in resumed.speech


def test_skip_previous_repeat_and_start_over_move_through_the_plan(send: Send) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    skipped = send("skip_exercise", attributes=first.attributes)
    assert "Skipping the leg swing" in skipped.speech
    assert skipped.attributes["position"] == [1, 1]

    back = send("previous", attributes=skipped.attributes)
    assert "Back to the leg swing" in back.speech
    assert back.attributes["position"] == [0, 1]

    again = send("repeat", attributes=back.attributes)
    assert "Leg swing: 10 reps per leg" in again.speech

    confirm = send("start_over", attributes=again.attributes)
    assert "Start this workout again" in confirm.speech
    restarted = send("yes", attributes=confirm.attributes)
    assert "Starting again from the top" in restarted.speech
    assert restarted.attributes["position"] == [0, 1]


def test_starting_over_a_workout_in_progress_asks_first(send: Send) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    moved = send("set_done", attributes=first.attributes)
    offer = send("start_workout", attributes=moved.attributes)
    assert "Shall I drop it and start a new one" in offer.speech
    kept = send("no", attributes=offer.attributes)
    assert "carrying on" in kept.speech
    assert kept.attributes["position"] == [1, 1]


def test_progress_says_sets_left_and_what_is_next(send: Send) -> None:
    first = start(send, "beginner", "15", "dumbbells")
    progress = send("progress", attributes=first.attributes)
    plan = build_plan(PlanOptions("beginner", 15, "dumbbells"), load_content())
    total = sum(item.sets for item in plan)
    assert f"{total} sets left" in progress.speech
    assert "Next up: the hip hinge drill" in progress.speech and "stopped listening" not in progress.speech


def test_questions_mid_workout_come_back_to_the_set(send: Send) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    info = send("exercise_info_lunge", attributes=first.attributes)
    assert "Reverse lunge works your" in info.speech and "Say tell me more for the form cues" in info.speech
    assert "Form cues" not in info.speech and len(info.speech.split()) <= 50, "about fifteen seconds"
    assert info.reprompt.startswith("Say done")
    more = send(tell_me_more(), attributes=info.attributes)
    lunge = load_content().exercise("lunge")
    assert all(cue in more.speech for cue in lunge.cues) and lunge.scaling["dumbbells"] in more.speech
    assert more.speech.endswith("Say done when you finish the set.")

    info = send("exercise_info_lunge", attributes=more.attributes)
    done = send("set_done", attributes=info.attributes)
    assert done.attributes["position"] == [1, 1] and "pending" not in done.attributes

    why = send("why_train_legs", attributes=info.attributes)
    assert why.ends_session is False
    assert "Say done" in why.speech


def test_why_train_legs_never_repeats_the_same_reason_twice_in_a_row(send: Send) -> None:
    reasons = []
    answer = send("why_train_legs")
    reasons.append(answer.speech)
    for _ in range(12):
        answer = send("yes", attributes=answer.attributes)
        reasons.append(answer.speech)
    texts = [benefit.text for benefit in load_content().benefits]
    said = [next(text for text in texts if text in reason) for reason in reasons]
    assert all(first != second for first, second in zip(said, said[1:]))
    assert len(set(said)) >= 4


def test_different_users_have_separate_workouts(send: Send) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    send("set_done", attributes=first.attributes)
    stranger = send("launch", user_id="amzn1.ask.account.SOMEONE-ELSE")
    assert "You stopped at" not in stranger.speech
    assert "Welcome" in stranger.speech or "Hi" in stranger.speech


def test_a_crash_while_saving_loses_no_progress(app, send: Send, settings) -> None:
    first = start(send, "beginner", "30", "dumbbells")
    moved = send("set_done", attributes=first.attributes)
    before = saved_record(settings)

    database = settings.database_path
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TRIGGER refuse_writes BEFORE UPDATE ON user_attributes BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    failed = send("set_done", attributes=moved.attributes)
    assert "Sorry, something went wrong" in failed.speech
    assert "couldn't reach your saved progress" in failed.speech and "wasn't saved" in failed.speech
    assert "is saved" not in failed.speech
    assert failed.ends_session is False
    assert saved_record(settings) == before

    with sqlite3.connect(database) as connection:
        connection.execute("DROP TRIGGER refuse_writes")
    retried = send("set_done", attributes=moved.attributes)
    assert saved_record(settings)["workout"]["position"] == before["workout"]["position"] + 1
    assert retried.ends_session is False



def test_turns_that_change_nothing_write_nothing(send: Send, settings) -> None:
    send("launch")
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute("CREATE TABLE writes (user_id TEXT)")
        connection.execute(
            "CREATE TRIGGER count_writes AFTER UPDATE ON user_attributes "
            "BEGIN INSERT INTO writes VALUES (new.user_id); END"
        )

    def writes() -> int:
        with sqlite3.connect(settings.database_path) as connection:
            return connection.execute("SELECT COUNT(*) FROM writes").fetchone()[0]

    send("launch")
    send("help")
    assert writes() == 0
    started = send("start_workout")
    send("set_done", attributes=started.attributes)
    assert writes() == 2


def test_the_apology_for_a_failed_save_carries_nothing_from_the_failed_turn(send: Send, settings) -> None:
    send("launch", screen=True)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute(
            "CREATE TRIGGER refuse_writes BEFORE UPDATE ON user_attributes BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    failed = send("start_workout", screen=True)
    assert "Sorry, something went wrong" in failed.speech
    assert "directives" not in failed.response or not failed.response["directives"]
    assert failed.ends_session is False and failed.reprompt


def test_a_long_saved_history_is_read_and_moved_out_of_the_record(send: Send, settings) -> None:
    """Records saved with a log of finished workouts still load; the newest is the one spoken of,
    and the next save moves them into the training log (the record is read on every turn)."""
    send("launch")
    log = [{"date": f"2026-10-{day:02d}T18:00:00+00:00", "level": "beginner", "length": 15,
            "exercises": ["squat", "lunge"], "sets": day, "minutes": 15} for day in range(1, 21)]
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute(
            "UPDATE user_attributes SET attributes = ? WHERE user_id = ?",
            (json.dumps({"schema": 1, "workout": None, "history": log}), "amzn1.ask.account.LOCAL-DEVELOPER"),
        )
    launch = send("launch")
    assert "20 sets" in launch.speech and "2 exercises" in launch.speech
    started = send("start_workout")
    send("set_done", attributes=started.attributes)
    assert saved_record(settings)["last"] == log[-1] and "history" not in saved_record(settings)


@pytest.mark.parametrize("key", ["error.apology", "error.store_unavailable", "error.changed_elsewhere"])
def test_no_apology_for_a_turn_that_was_not_applied_claims_it_was_saved(key: str) -> None:
    """These are said when the turn's changes were thrown away."""
    for variant in load_content().prompts.variants(key):
        assert "saved" not in variant or "wasn't saved" in variant, variant



# Words that name a load: none may be heard in a workout with no equipment.
LOAD_WORDS = re.compile(r"\b(weight|weights|dumbbells?|bar|barbell|plate|kettlebells?)\b", re.IGNORECASE)
SECONDS_OF_A_MINUTE_OR_MORE = re.compile(r"\b([6-9]\d|[1-9]\d\d) seconds\b")
SPOKEN_LENGTH = {15: "15", 30: "30", 45: "45"}


@pytest.mark.parametrize("options", [PlanOptions(level, length, equipment) for level, length, equipment in
                                     product(LEVELS, LENGTHS, EQUIPMENT)],
                         ids=lambda o: f"{o.level}-{o.length}-{o.equipment}")
def test_every_workout_trains_a_squat_a_hinge_and_a_single_leg_movement_in_words_that_fit(
    send: Send, options: PlanOptions
) -> None:
    """A whole workout over HTTP at every level, length and equipment: the main block names a squat
    pattern, a hinge and a single-leg movement; cues fit the equipment; durations are in minutes."""
    content = load_content()
    answers = walk_to_the_end(send, start(send, options.level, SPOKEN_LENGTH[options.length], options.equipment))
    spoken = [answer.speech for answer in answers]
    main_block = " ".join(spoken[next(i for i, said in enumerate(spoken) if "main block" in said.lower()):])
    for pattern in ("squat", "hinge", "single_leg"):
        names = {exercise.name.capitalize() for exercise in content.exercises.values() if exercise.pattern == pattern}
        assert any(f"{name}:" in main_block or f"{name}." in main_block for name in names), pattern
    everything = " ".join(spoken)
    if options.equipment == "bodyweight":
        assert not LOAD_WORDS.search(everything.replace("bodyweight", "")), LOAD_WORDS.search(everything)
    assert not SECONDS_OF_A_MINUTE_OR_MORE.search(everything)
    assert not re.search(r"Set \d+ of \d+ of", everything)
    assert "chest proud" not in everything
    effort = {"beginner": "three or four", "intermediate": "two or three", "advanced": "one or two"}[options.level]
    assert f"stop with {effort} good reps still in you" in main_block and "Stop if you feel sharp pain" in main_block
    if options.equipment != "bodyweight" and options.level != "beginner":
        assert "First a ramp-up set" in main_block


def test_per_side_holds_are_timed_per_side_and_stretches_flow_without_rests(send: Send) -> None:
    answers = walk_to_the_end(send, start(send, "beginner", "30", "dumbbells"))
    stretches = [answer for answer in answers if "stretch: hold 30 seconds on each side" in answer.speech]
    assert len(stretches) == 2
    for answer in stretches:
        assert "Rest" not in answer.speech, "no rest before or between stretches"
        said = answer.speech
        assert said.index("Left leg. Go!") < said.index("Switch.") < said.index("Right leg. Go!") < said.index("Time!")
        left = answer.ssml[answer.ssml.index("Left leg. Go!"):answer.ssml.index("Switch.")]
        right = answer.ssml[answer.ssml.index("Right leg. Go!"):answer.ssml.index("Time!")]
        for side in (left, right):
            silence = sum(int(ms) for ms in BREAK.findall(side)) / 1000
            assert 24 <= silence <= 30, "each side is held for its own 30 seconds"
        assert answer.speech.endswith("Say done when you're ready to move on.")
    warmup = answers[1:3]
    assert all("Rest" not in answer.speech for answer in warmup), "the warm-up flows too"


def start_saying(send: Send, **said: tuple[str | None, str]) -> Answer:
    """Start leg day with slots as Alexa sends them: (resolved id or None for no match, words heard)."""
    body = read_request("start_workout_advanced_barbell")
    slots = body["request"]["intent"]["slots"]
    for name in ("level", "length", "equipment"):
        slot = slots[name]
        if name not in said:
            slot.pop("value", None)
            slot.pop("resolutions", None)
            continue
        resolved, heard = said[name]
        slot["value"] = heard
        authority = slot["resolutions"]["resolutionsPerAuthority"][0]
        if resolved is None:
            authority["status"]["code"] = "ER_SUCCESS_NO_MATCH"
            authority.pop("values", None)
        else:
            authority["values"][0]["value"]["id"] = resolved
    return send(body)


@pytest.mark.parametrize(("said", "sentence", "intro"), [
    ({"length": ("20", "twenty minutes")}, "I have 15, 30 or 45 minute workouts: here's 15.", "15 minute beginner"),
    ({"length": ("60", "an hour")}, "I have 15, 30 or 45 minute workouts: here's 45.", "45 minute beginner"),
    ({"length": (None, "ninety nine minutes")}, "I have 15, 30 or 45 minute workouts: here's 30.",
     "30 minute beginner"),
    ({"level": (None, "olympic")}, "I have beginner, intermediate and advanced workouts: here's beginner.",
     "30 minute beginner"),
    ({"equipment": ("kettlebells", "kettlebells")}, "Kettlebells work like dumbbells here",
     "leg day with dumbbells"),
    ({"equipment": ("bands", "resistance bands")}, "I don't have band workouts yet", "with just your bodyweight"),
    ({"equipment": (None, "a rowing machine")}, "I don't have a workout for that equipment, so here's one with just "
     "your bodyweight.", "with just your bodyweight"),
])
def test_an_option_the_skill_does_not_have_gets_one_sentence_and_the_nearest_fit(
    send: Send, said: dict, sentence: str, intro: str
) -> None:
    answer = start_saying(send, **said)
    assert answer.speech.startswith(sentence), answer.speech
    assert intro in answer.speech
    assert answer.speech.count("I have") + answer.speech.count("I don't have") <= 1


@pytest.mark.parametrize(("utterance", "intro"), [
    ("start a twenty minute leg day", "15 minute beginner leg day with dumbbells"),
    ("start a 20 minute leg day", "15 minute beginner leg day with dumbbells"),
    ("start leg day for twenty minutes", "15 minute beginner leg day with dumbbells"),
    ("start leg day with kettlebells", "30 minute beginner leg day with dumbbells"),
    ("start leg day with no equipment", "with just your bodyweight"),
    ("start leg day with bodyweight", "with just your bodyweight"),
])
def test_spoken_options_resolve_through_the_interaction_model(conversation, utterance: str, intro: str) -> None:
    _, exchange = conversation.say(utterance)
    assert intro in exchange.speech, exchange.speech


def test_the_defaults_hint_is_said_once_not_on_every_default_start(send: Send) -> None:
    hint = load_content().prompts.say("start.defaults_hint")
    first = send("start_workout")
    assert hint in first.speech
    again = send("start_workout", attributes=first.attributes)
    assert hint not in again.speech and "stopped listening" not in again.speech
