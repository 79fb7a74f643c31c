"""Transcripts (format, round trip, errors) and replay (what counts as a change, the CLI, saved transcripts)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask

from skill.app import create_app
from skill.cli import main
from skill.config import Settings
from skill.console.replay import TIME_DEPENDENT, SpeechMask, default_mask, fresh_local_transport, replay, word_diff
from skill.console.transcript import FORMAT, VERSION, Transcript, TranscriptError, perform, record
from skill.content import load_content
from skill.local.conversation import Conversation, in_process
from skill.local.nlu import default_matcher
from tests.console.conftest import TRANSCRIPTS_DIR

WALK = [("launch", None, "speaker"), ("say", "start a fifteen minute beginner leg day", "speaker"),
        ("say", "done", "speaker"), ("say", "how many sets left", "screen"), ("say", "done", "speaker"),
        ("end", None, "speaker"), ("say", "tell leg day coach I'm done", "speaker")]


def recorded(app: Flask, steps: list[tuple[str, str | None, str]] = WALK) -> dict[str, Any]:
    """A transcript (as JSON data) of ``steps`` played against ``app``."""
    conversation = Conversation(in_process(app), default_matcher())
    turns = []
    for action, utterance, device in steps:
        performed = perform(conversation, action, utterance, device)
        assert performed is not None
        turns.append(record(action, device, utterance, *performed))
    return json.loads(json.dumps(Transcript(tuple(turns)).to_dict()))


@pytest.fixture
def transcript(console_app: Flask) -> dict[str, Any]:
    return recorded(console_app)


@pytest.fixture
def replay_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path / "replay-data"))
    return Settings(data_dir=tmp_path / "replay-data")


def replayed(raw: dict[str, Any], settings: Settings):  # type: ignore[no-untyped-def]
    with fresh_local_transport(settings, create_app) as transport:
        return replay(Transcript.from_dict(raw), transport)


# --- The format ----------------------------------------------------------------------------------

def test_a_transcript_round_trips_and_records_what_happened(transcript: dict[str, Any]) -> None:
    assert transcript["format"] == FORMAT and transcript["version"] == VERSION
    assert Transcript.from_dict(transcript).to_dict() == transcript
    first, second, third = transcript["turns"][:3]
    assert first["action"] == "launch" and "utterance" not in first
    assert first["heard"] == {"request": "LaunchRequest", "intent": None, "slots": {}, "one_shot": False,
                              "new_session": True}
    assert second["utterance"] == "start a fifteen minute beginner leg day"
    assert second["heard"]["slots"] == {"length": {"value": "fifteen minute", "id": "15"},
                                        "level": {"value": "beginner", "id": "beginner"}}
    assert second["heard"]["new_session"] is False
    assert third["expected"]["session_attributes"] == {"position": [1, 1]}
    assert third["request"]["session"]["attributes"] == second["response"]["sessionAttributes"]
    revision = second["response"]["sessionAttributes"].pop("revision")
    assert type(revision) is int
    assert second["response"]["sessionAttributes"] == second["expected"]["session_attributes"]
    assert third["expected"]["speech"].startswith("Hip hinge drill")
    assert transcript["turns"][3]["device"] == "screen"
    assert transcript["turns"][5]["heard"]["request"] == "SessionEndedRequest"
    assert transcript["turns"][6]["heard"]["one_shot"] is True


def edited(raw: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(raw)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


@pytest.mark.parametrize(("path", "value", "message"), [
    (["format"], "something-else", "not a console transcript"),
    (["version"], 2, "transcript version 2 is not supported"),
    (["turns"], [], "non-empty list of turns"),
    (["turns"], "turn one", "non-empty list of turns"),
    (["turns", 1], "start leg day", "turn 2: expected an object"),
    (["turns", 1, "action"], "shout", "turn 2: action must be one of say, launch, end"),
    (["turns", 1, "utterance"], "", "turn 2: a say turn needs a non-empty utterance"),
    (["turns", 1, "utterance"], KeyError, "turn 2: a say turn needs a non-empty utterance"),
    (["turns", 1, "device"], "fridge", "turn 2: device must be one of speaker, screen"),
    (["turns", 2, "heard"], KeyError, "turn 3: 'heard' must be an object"),
    (["turns", 2, "heard", "request"], "", "turn 3: 'request' must be a non-empty string"),
    (["turns", 2, "expected"], [], "turn 3: 'expected' must be an object"),
    (["turns", 2, "expected", "session_attributes"], [1, 2], "turn 3:"),
])
def test_a_damaged_transcript_is_refused_with_the_turn_at_fault(transcript: dict[str, Any], path: list[str | int],
                                                                 value: Any, message: str) -> None:
    with pytest.raises(TranscriptError) as refused:
        Transcript.from_dict(edited(transcript, path, value))
    assert message in str(refused.value)


# --- Comparing speech ----------------------------------------------------------------------------

def test_the_mask_makes_a_prompt_s_variants_equal_and_keeps_real_changes() -> None:
    mask = SpeechMask({"block.main": ("Main block. Time to work.", "Warm-up done. Now the main block."),
                       "rest.exercise_done": ("That's {name} done.", "Finished with {name}. Nice.", "{name}, done."),
                       "rest.intro": ("Rest {seconds} seconds.",)})
    one = mask("Rest over. Warm-up done. Now the main block. Goblet squat: 2 sets.")
    other = mask("Rest over. Main block. Time to work. Goblet squat: 2 sets.")
    assert one == other == "Rest over. <block.main> Goblet squat: 2 sets."
    assert mask("Finished with leg swing. nice. Rest 15 seconds.") == "<rest.exercise_done> Rest 15 seconds."
    assert mask("Time's up. Leg swing, done. Rest 15 seconds.") == "Time's up. <rest.exercise_done> Rest 15 seconds."
    assert mask("Rest 15 seconds.") != mask("Rest 45 seconds.")  # a single-choice prompt is compared as said


def test_the_mask_hides_clock_dependent_values_only() -> None:
    mask = SpeechMask({"finish.summary": ("You finished {exercises} exercises in about {minutes} minutes.",)},
                      {"finish.summary": ("minutes",)})
    masked = "Done! You finished 5 exercises in about <minutes> minutes."
    assert mask("Done! You finished 5 exercises in about 1 minutes.") == masked
    assert mask("Done! You finished 5 exercises in about 31 minutes.") == masked
    assert mask("You finished 5 exercises in about 3 minutes.") != mask("You finished 4 exercises in about 3 minutes.")


def test_every_clock_dependent_placeholder_exists_in_the_prompts() -> None:
    templates = load_content().prompts.templates
    for key, placeholders in TIME_DEPENDENT.items():
        assert key in templates, key
        for placeholder in placeholders:
            assert all(f"{{{placeholder}}}" in variant for variant in templates[key]), (key, placeholder)


def test_every_variant_of_every_prompt_and_benefit_masks_to_the_same_text() -> None:
    content = load_content()
    mask = default_mask()
    for key, variants in content.prompts.templates.items():
        if len(variants) > 1 and "{" not in "".join(variants):
            assert {mask(variant) for variant in variants} == {f"<{key}>"}, key
    assert {mask(benefit.text) for benefit in content.benefits} == {"<benefit>"}


def test_word_diff_shows_the_changed_words_in_context() -> None:
    assert word_diff("Rest 45 seconds. 30 seconds.", "Rest 60 seconds. 30 seconds.") == \
        "Rest [-45-] {+60+} seconds. 30 seconds."
    long = " ".join(f"w{number}" for number in range(30))
    assert word_diff(long, long.replace("w15", "changed")) == \
        "... w11 w12 w13 w14 [-w15-] {+changed+} w16 w17 w18 w19 ..."


# --- Replay --------------------------------------------------------------------------------------

def test_a_transcript_replays_cleanly_many_times_whatever_variants_the_skill_picks(
        transcript: dict[str, Any], replay_settings: Settings) -> None:
    for _ in range(5):
        report = replayed(transcript, replay_settings)
        assert report.ok, [result.differences for result in report.results]
    assert report.summary() == "replayed 7 turns: 7 matched, 0 differed"


def test_replay_uses_a_fresh_user_and_a_fresh_store(transcript: dict[str, Any], replay_settings: Settings) -> None:
    replayed(transcript, replay_settings)
    assert not (replay_settings.data_dir).exists()  # the temporary store, not the configured one


@pytest.mark.parametrize(("path", "value", "expected"), [
    (["turns", 2, "heard", "intent"], "SkipExerciseIntent",
     'intent: expected "SkipExerciseIntent", got "SetDoneIntent"'),
    (["turns", 1, "heard", "slots", "level", "id"], "advanced",
     'slots: expected {"length": {"id": "15", "value": "fifteen minute"}, "level": {"id": "advanced", '
     '"value": "beginner"}}, got {"length": {"id": "15", "value": "fifteen minute"}, "level": {"id": "beginner", '
     '"value": "beginner"}}'),
    (["turns", 2, "heard", "new_session"], True, "new_session: expected true, got false"),
    (["turns", 4, "expected", "end_session"], True, "shouldEndSession: expected true, got false"),
    (["turns", 2, "expected", "session_attributes"], {"position": [2, 1]},
     'session attributes: expected {"position": [2, 1]}, got {"position": [1, 1]}'),
    (["turns", 3, "expected", "directives"], ["Dialog.Delegate"], 'directives: expected ["Dialog.Delegate"], got '),
])
def test_replay_reports_what_changed_on_the_turn_it_changed(transcript: dict[str, Any], replay_settings: Settings,
                                                            path: list[str | int], value: Any, expected: str) -> None:
    report = replayed(edited(transcript, path, value), replay_settings)
    failing = [result for result in report.results if not result.ok]
    assert [result.number for result in failing] == [int(path[1]) + 1]
    assert [difference for difference in failing[0].differences if difference.startswith(expected)]


def test_replay_compares_the_words_but_not_the_variant_chosen(transcript: dict[str, Any],
                                                             replay_settings: Settings) -> None:
    speech = transcript["turns"][1]["expected"]["speech"]
    assert "Hold a wall or a chair for balance." in speech
    changed = edited(transcript, ["turns", 1, "expected", "speech"],
                     speech.replace("Hold a wall or a chair for balance.", "Hold a chair."))
    result = replayed(changed, replay_settings).results[1]
    assert len(result.differences) == 1
    assert result.differences[0].startswith("speech: ... ")
    assert "Hold a [-chair.-] {+wall or a chair for balance.+} Swing from" in result.differences[0]

    # Saying it with another variant of the same prompt is no change at all.
    done = transcript["turns"][2]["expected"]["speech"]
    said = load_content().prompts.variants("set.go_reps")
    used = next(variant for variant in said if done.endswith(variant))
    other = next(variant for variant in said if variant != used)
    swapped = done[:-len(used)] + other
    assert replayed(edited(transcript, ["turns", 2, "expected", "speech"], swapped), replay_settings).ok


# --- legday replay FILE --------------------------------------------------------------------------

def replay_saved(transcript: dict[str, Any], path: Path, *options: str) -> Result:
    """``legday replay`` run on ``transcript`` saved at ``path``."""
    path.write_text(json.dumps(transcript), encoding="utf-8")
    return CliRunner().invoke(main, ["replay", *options, str(path)])


def test_replay_command_passes_a_good_transcript(transcript: dict[str, Any], tmp_path: Path,
                                                 replay_settings: Settings) -> None:
    result = replay_saved(transcript, tmp_path / "walk.json")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["turn", "1", "launch", "ok"]
    assert lines[1].split() == ["turn", "2", "say", '"start', "a", "fifteen", "minute", "beginner", "leg", 'day"', "ok"]
    assert lines[-1] == "replayed 7 turns: 7 matched, 0 differed"


def test_replay_command_prints_a_per_turn_diff_and_fails(transcript: dict[str, Any], tmp_path: Path,
                                                         replay_settings: Settings) -> None:
    broken = edited(transcript, ["turns", 2, "expected", "session_attributes"], {"position": [9, 9]})
    result = replay_saved(broken, tmp_path / "walk.json")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[2].split()[-1] == "DIFFERS"
    assert lines[3].strip() == 'session attributes: expected {"position": [9, 9]}, got {"position": [1, 1]}'
    assert lines[-1] == "replayed 7 turns: 6 matched, 1 differed"


def test_replay_command_update_rewrites_the_expected_answers(transcript: dict[str, Any], tmp_path: Path,
                                                             replay_settings: Settings) -> None:
    outdated = edited(transcript, ["turns", 2, "expected", "session_attributes"], {"position": [9, 9]})
    saved = tmp_path / "walk.json"
    result = replay_saved(outdated, saved, "--update")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == ["replayed 7 turns: 6 matched, 1 differed", f"updated {saved}"]
    updated = json.loads(saved.read_text(encoding="utf-8"))
    assert updated["turns"][2]["expected"]["session_attributes"] == {"position": [1, 1]}
    assert [turn.get("utterance") for turn in updated["turns"]] == \
        [turn.get("utterance") for turn in transcript["turns"]]
    again = CliRunner().invoke(main, ["replay", str(saved)])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize(("content", "message"), [
    ("{nope", "is not a JSON file"),
    ('{"format": "other"}', "not a console transcript"),
    (json.dumps({"format": FORMAT, "version": VERSION, "turns": [{"action": "say", "heard": {}, "expected": {}}]}),
     "turn 1: a say turn needs a non-empty utterance"),
])
def test_replay_command_refuses_a_bad_file_cleanly(tmp_path: Path, content: str, message: str,
                                                   replay_settings: Settings) -> None:
    saved = tmp_path / "bad.json"
    saved.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", str(saved)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_replay_command_has_help_with_an_example() -> None:
    result = CliRunner().invoke(main, ["replay", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "legday replay tests/console/transcripts/" in result.output
    example = result.output.split("legday replay ", 1)[1].split()[0]
    assert (Path(__file__).parents[2] / example).is_file()


# --- Saved transcripts are regression tests -------------------------------------------------------

@pytest.mark.parametrize("saved", sorted(TRANSCRIPTS_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_saved_transcripts_still_replay(saved: Path, replay_settings: Settings) -> None:
    """Every transcript in tests/console/transcripts/ is a regression test: save one there from the console."""
    with fresh_local_transport(replay_settings, create_app) as transport:
        report = replay(Transcript.from_dict(json.loads(saved.read_text(encoding="utf-8"))), transport)
    assert report.ok, "\n".join(f"turn {result.number}: {'; '.join(result.differences) or result.error}"
                                for result in report.results if not result.ok)


def test_the_saved_walk_is_a_whole_leg_day() -> None:
    walk = json.loads((TRANSCRIPTS_DIR / "beginner-leg-day.json").read_text(encoding="utf-8"))
    assert walk["turns"][-1]["expected"]["end_session"] is True
    assert walk["turns"][-1]["heard"]["intent"] == "SetDoneIntent"
    assert sum(turn["heard"]["intent"] == "SetDoneIntent" for turn in walk["turns"]) >= 7
