"""Name-free starts: CanFulfillIntentRequest answered per Amazon's spec, with nothing said or saved.

The logic's own table first (against the real interaction model), then real envelopes (without a
session or in a new one, with or without a user, as Alexa sends them) through the Flask endpoint
and the Lambda entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intents.model import load_model
from intents.name_free import NAME_FREE_INTENTS, Answer, HeardSlot, NameFree, SlotAnswer
from intents.registry import HANDLED_INTENTS
from tests.conftest import read_request
from tests.skill.conftest import Entry

MANIFEST = Path(__file__).parents[2] / "intents" / "skill-package" / "skill.json"
Y, N, M = Answer.YES, Answer.NO, Answer.MAYBE


@pytest.fixture(scope="module")
def name_free() -> NameFree:
    return NameFree(load_model())


@pytest.mark.parametrize(
    ("intent", "slots", "verdict", "answers"),
    [
        ("StartWorkoutIntent", [], Y, {}),
        ("StartWorkoutIntent", [HeardSlot("level"), HeardSlot("length", "  ")], Y, {}),
        ("StartWorkoutIntent", [HeardSlot("level", "Beginner"), HeardSlot("length", "half an hour"),
                                HeardSlot("equipment", "no equipment")], Y,
         {"level": (Y, Y), "length": (Y, Y), "equipment": (Y, Y)}),
        # Entity resolution's id counts, whatever words were heard.
        ("StartWorkoutIntent", [HeardSlot("level", "proper hard", "advanced")], Y, {"level": (Y, Y)}),
        ("StartWorkoutIntent", [HeardSlot("equipment", "a trampoline")], M, {"equipment": (N, N)}),
        ("StartWorkoutIntent", [HeardSlot("equipment", "my old rusty barbell")], M, {"equipment": (M, N)}),
        ("StartWorkoutIntent", [HeardSlot("level", "easy"), HeardSlot("equipment", "a trampoline")], M,
         {"level": (Y, Y), "equipment": (N, N)}),
        # An id the model does not have is not understood.
        ("StartWorkoutIntent", [HeardSlot("level", "ultra", "ultra")], M, {"level": (N, N)}),
        ("StartWorkoutIntent", [HeardSlot("mood", "happy")], M, {"mood": (N, N)}),
        ("ExerciseInfoIntent", [HeardSlot("exercise", "Bulgarian split squats")], Y, {"exercise": (Y, Y)}),
        ("ExerciseInfoIntent", [HeardSlot("exercise", "the worm")], M, {"exercise": (N, N)}),
        ("WhyTrainLegsIntent", [HeardSlot("topic", "bone density")], Y, {"topic": (Y, Y)}),
        ("WhyTrainLegsIntent", [], Y, {}),
        # Ours, but only inside a workout or a conversation: not for a request made to no skill.
        ("SetDoneIntent", [], N, {}),
        ("DeleteMyDataIntent", [], N, {}),
        ("SetRestIntent", [HeardSlot("seconds", "60")], N, {}),
        ("AMAZON.HelpIntent", [], N, {}),
        ("PlaySoundIntent", [HeardSlot("sound", "crickets")], N, {}),
        (None, [], N, {}),
    ],
)
def test_the_answer_for_each_intent_and_slot(
    name_free: NameFree, intent: str | None, slots: list[HeardSlot], verdict: Answer,
    answers: dict[str, tuple[Answer, Answer]],
) -> None:
    judged = name_free.judge(intent, slots)
    assert judged.can_fulfill is verdict
    assert judged.slots == {name: SlotAnswer(*pair) for name, pair in answers.items()}


def test_numbers_are_understood_as_digits_only(name_free: NameFree) -> None:
    judge = NameFree(load_model(), intents=["SetRestIntent"])
    assert judge.judge("SetRestIntent", [HeardSlot("seconds", "90")]).can_fulfill is Y
    assert judge.judge("SetRestIntent", [HeardSlot("seconds", "?")]).slots == {"seconds": SlotAnswer(N, N)}


def test_the_name_free_intents_are_in_the_model_and_handled() -> None:
    model = load_model()
    for intent in NAME_FREE_INTENTS:
        assert intent in model.intents and intent in HANDLED_INTENTS, intent


def test_the_manifest_declares_the_interface() -> None:
    interfaces = json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]["apis"]["custom"]["interfaces"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in interfaces


# --- over HTTP and on Lambda -----------------------------------------------------------------------

EXPECTED = {
    "can_fulfill_start_workout": {
        "canFulfill": "YES",
        "slots": {"level": {"canUnderstand": "YES", "canFulfill": "YES"},
                  "length": {"canUnderstand": "YES", "canFulfill": "YES"}},
    },
    "can_fulfill_start_workout_unknown_equipment": {
        "canFulfill": "MAYBE",
        "slots": {"level": {"canUnderstand": "YES", "canFulfill": "YES"},
                  "equipment": {"canUnderstand": "NO", "canFulfill": "NO"}},
    },
    "can_fulfill_exercise_info": {
        "canFulfill": "YES", "slots": {"exercise": {"canUnderstand": "YES", "canFulfill": "YES"}},
    },
    "can_fulfill_set_done": {"canFulfill": "NO"},
}


def answer_for(body: dict[str, Any], can_fulfill_intent: dict[str, Any]) -> dict[str, Any]:
    """The whole answer: the verdict and nothing else (a session's attributes as they came)."""
    expected: dict[str, Any] = {"version": "1.0", "response": {"canFulfillIntent": can_fulfill_intent}}
    if "session" in body:
        expected["sessionAttributes"] = body["session"]["attributes"]
    return expected


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_a_can_fulfill_request_gets_the_verdict_alone_and_nothing_is_read_or_saved(
    entry: Entry, sample: str
) -> None:
    body = read_request(sample)
    answer = entry.send(body)
    answer.pop("userAgent")
    assert answer == answer_for(body, EXPECTED[sample])
    assert not entry.store.calls, f"the store was used: {dict(entry.store.calls)}"
    assert [record.getMessage() for record in entry.logged] == [
        f"can fulfil {body['request']['intent']['name']}? {EXPECTED[sample]['canFulfill']}"]


def test_the_samples_are_sent_as_alexa_sends_them() -> None:
    # Without a session or in a new one; with a user, and without one (Alexa may ask for no one).
    bodies = [read_request(sample) for sample in EXPECTED]
    assert any("session" not in body for body in bodies)
    assert any(body.get("session", {}).get("new") is True for body in bodies)
    assert any("user" not in body["context"]["System"] for body in bodies)


def test_a_can_fulfill_request_for_someone_with_a_workout_leaves_their_record_alone(entry: Entry) -> None:
    entry.send(read_request("start_workout"))
    before = dict(entry.store.calls)
    assert before, "the workout was saved"
    entry.send(read_request("can_fulfill_start_workout"))
    assert dict(entry.store.calls) == before


def test_a_can_fulfill_request_with_an_odd_intent_is_still_answered(entry: Entry) -> None:
    body = read_request("can_fulfill_exercise_info")
    body["request"]["intent"] = {"name": "ExerciseInfoIntent", "slots": {"exercise": {"name": "exercise"}}}
    assert entry.send(body)["response"] == {"canFulfillIntent": {"canFulfill": "YES"}}
    del body["request"]["intent"]
    assert entry.send(body)["response"] == {"canFulfillIntent": {"canFulfill": "NO"}}
