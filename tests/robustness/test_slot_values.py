"""Every slot of every intent, filled with awkward values, in and out of a workout.

Alexa passes on whatever it heard; entity resolution can name an id the code does not know
(a model deployed ahead of the code). Each must get a spoken answer, not an apology for a crash.
"""

from __future__ import annotations

import json

import pytest

from intents.model import load_model
from skill.local import envelopes
from skill.local.envelopes import Caller
from skill.local.nlu import SlotMatch
from tests.robustness.alexa_response import check_answer
from tests.robustness.conftest import ErrorLog, Harness

MODEL = load_model()
SLOTS = [(intent.name, slot, slot_type) for intent in MODEL.intents.values() for slot, slot_type in intent.slots.items()]
AWKWARD = [
    "", " ", "?", "0", "-5", "007", "99999999999999999999", "3.5", "1e9", "²", "①", "5²", "٣٠", "３０", "½", "Ⅻ",
    "fifteen", "a hundred", "&", "<speak>", "💪", "\u0000", "\u0007", "\ud800", "\uffff", "x" * 9000, "squat", "SQUAT", "sixty",
]
UNKNOWN_IDS = ["0", "unknown", "15", "60", "SQUAT", ""]


def send(harness: Harness, user: str, intent: str, slot: str, slot_type: str, value: str,
         resolved: str | None, cursor: dict) -> None:
    declared = tuple(MODEL.intents[intent].slots)
    caller = Caller(user_id=user)
    caller.start_session()
    caller.new_session = False
    caller.attributes = dict(cursor)
    request = envelopes.intent_request(intent, {slot: SlotMatch(slot, value, slot_type, resolved)}, declared)
    answer = harness.client.post("/alexa", data=json.dumps(envelopes.envelope(caller, request)),
                                 content_type="application/json")
    body = check_answer(answer.status_code, answer.get_data())
    assert answer.status_code == 200, body


@pytest.mark.parametrize(("intent", "slot", "slot_type"), SLOTS)
@pytest.mark.parametrize("mid_workout", [False, True], ids=["no-workout", "mid-workout"])
def test_awkward_slot_values_get_a_spoken_answer(
    harness: Harness, error_log: ErrorLog, intent: str, slot: str, slot_type: str, mid_workout: bool
) -> None:
    user = f"amzn1.ask.account.SLOTS-{intent}-{slot}-{mid_workout}"
    saved, cursor = harness.snapshots[3] if mid_workout else harness.snapshots[0]
    error_log.failures.clear()
    for value in AWKWARD:
        harness.store.write(user, saved)
        send(harness, user, intent, slot, slot_type, value, None, cursor)
    if not slot_type.startswith("AMAZON."):
        for unknown_id in UNKNOWN_IDS:
            harness.store.write(user, saved)
            send(harness, user, intent, slot, slot_type, "something", unknown_id, cursor)
    assert error_log.failures == []
