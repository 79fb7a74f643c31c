"""Two Echo devices of one person say "done" at the same moment, many times, over HTTP, on two
server workers: every set the skill acknowledged is counted and none twice, on SQLite and on
DynamoDB (moto server). The device whose turn was worked out on an old copy is told so and counts
nothing; its next "done" goes on from where the workout is."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from skill.app import create_app
from skill.config import Settings
from skill.store import make_store
from skill.store.records import Owner
from tests.conftest import Answer, read_request, with_changes

TRIALS, ROUNDS = 4, 5
DEVICES = ("kitchen", "gym")
REFUSED = "changed on another device"


def post(app: Flask, request: str, **changes: Any) -> Answer:
    answer = app.test_client().post("/alexa", json=with_changes(read_request(request), **changes))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return Answer(answer.status_code, answer.get_json())


def test_two_devices_saying_done_at_once_lose_no_set_and_count_none_twice(store_settings: Settings) -> None:
    workers = {device: create_app(store_settings) for device in DEVICES}  # each device on its own worker
    store = make_store(store_settings)
    acknowledged = refused = 0
    for trial in range(TRIALS):
        user = f"amzn1.ask.account.TWO-DEVICES-{trial}"
        started = post(workers["kitchen"], "start_workout", user_id=user, session_id=f"start-{trial}")
        last = {device: started for device in DEVICES}  # both sessions saw the same record
        counted_by_skill = 0
        for round_number in range(ROUNDS):
            barrier = threading.Barrier(len(DEVICES))
            answers: dict[str, Answer] = {}

            def say_done(device: str) -> None:
                barrier.wait()
                answers[device] = post(workers[device], "set_done", user_id=user, new=False,
                                       session_id=f"{device}-{trial}", attributes=last[device].attributes)

            threads = [threading.Thread(target=say_done, args=(device,)) for device in DEVICES]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert set(answers) == set(DEVICES), f"trial {trial} round {round_number}: a device got no answer"
            for device, answer in answers.items():
                assert answer.ends_session is False, answer.speech
                if REFUSED in answer.speech:
                    refused += 1
                else:
                    assert "Sorry" not in answer.speech, answer.speech
                    counted_by_skill += 1
                last[device] = answer
        record = store.load(Owner(user)).attributes
        assert sum(record["workout"]["sets_done"]) == counted_by_skill, f"trial {trial}"
        acknowledged += counted_by_skill
    assert acknowledged >= TRIALS * ROUNDS, "at least one device is heard each round"
    assert acknowledged + refused == TRIALS * ROUNDS * len(DEVICES)
