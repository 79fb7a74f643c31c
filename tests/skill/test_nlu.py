"""Typed utterances resolve to the intents and slot ids Alexa would give."""

from __future__ import annotations

import pytest

from skill.local.nlu import default_matcher, words_to_number


@pytest.mark.parametrize(
    ("utterance", "intent", "slots"),
    [
        ("start leg day", "StartWorkoutIntent", {}),
        ("Start a fifteen minute advanced leg day with a barbell", "StartWorkoutIntent",
         {"length": "15", "level": "advanced", "equipment": "barbell"}),
        ("give me an easy leg day", None, None),
        ("start a beginner leg day with no equipment", "StartWorkoutIntent",
         {"level": "beginner", "equipment": "bodyweight"}),
        ("done", "SetDoneIntent", {}),
        ("I'm finished", "SetDoneIntent", {}),
        ("next", "AMAZON.NextIntent", {}),
        ("skip this exercise", "SkipExerciseIntent", {}),
        ("repeat", "AMAZON.RepeatIntent", {}),
        ("pause", "AMAZON.PauseIntent", {}),
        ("resume", "AMAZON.ResumeIntent", {}),
        ("how do I do a lunge", "ExerciseInfoIntent", {"exercise": "lunge"}),
        ("how do I do a stiff legged deadlift", "ExerciseInfoIntent", {"exercise": "romanian_deadlift"}),
        ("why should I train legs", "WhyTrainLegsIntent", {}),
        ("how many sets are left", "ProgressIntent", {}),
        ("rest ninety seconds", "SetRestIntent", {"seconds": "90"}),
        ("rest for two minutes", "SetRestIntent", {"minutes": "2"}),
        ("shorter rests", "SetRestIntent", {"change": "shorter"}),
        ("help", "AMAZON.HelpIntent", {}),
        ("stop", "AMAZON.StopIntent", {}),
        ("cancel", "AMAZON.CancelIntent", {}),
        ("yes", "AMAZON.YesIntent", {}),
        ("no thanks", "AMAZON.NoIntent", {}),
        ("go home", "AMAZON.NavigateHomeIntent", {}),
        ("order me a pizza", "AMAZON.FallbackIntent", {}),
    ],
)
def test_utterances_resolve_to_intents_and_slot_ids(utterance: str, intent: str | None, slots: dict | None) -> None:
    meaning = default_matcher().understand(utterance)
    if intent is None:
        assert meaning.intent in {"StartWorkoutIntent", "AMAZON.FallbackIntent"}
        return
    assert meaning.intent == intent
    resolved = {name: slot.resolved_id or slot.value for name, slot in meaning.slots.items()}
    assert resolved == slots


def test_an_unlisted_exercise_is_heard_but_not_resolved() -> None:
    meaning = default_matcher().understand("how do I do a burpee")
    assert meaning.intent == "ExerciseInfoIntent"
    assert meaning.slots["exercise"].value == "burpee"
    assert meaning.slots["exercise"].resolved_id is None


@pytest.mark.parametrize(
    ("utterance", "launch", "one_shot", "intent"),
    [
        ("open leg day coach", True, False, None),
        ("Alexa, open Leg Day Coach", True, False, None),
        ("Alexa, ask leg day coach", True, False, None),
        ("Alexa, tell Leg Day Coach I'm done", False, True, "SetDoneIntent"),
        ("ask leg day coach to start leg day", False, True, "StartWorkoutIntent"),
        ("tell leg day coach to resume", False, True, "AMAZON.ResumeIntent"),
    ],
)
def test_invocation_phrases(utterance: str, launch: bool, one_shot: bool, intent: str | None) -> None:
    meaning = default_matcher().understand(utterance)
    assert (meaning.launch, meaning.one_shot, meaning.intent) == (launch, one_shot, intent)


@pytest.mark.parametrize(
    ("words", "number"),
    [("ninety", 90), ("45", 45), ("one hundred twenty", 120), ("a hundred and five", 105), ("two", 2),
     ("banana", None), ("", None)],
)
def test_words_to_number(words: str, number: int | None) -> None:
    assert words_to_number(words) == number
