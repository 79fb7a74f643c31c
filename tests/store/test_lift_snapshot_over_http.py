"""A workout reads what the summary knew of each of its lifts once, not on every turn, on SQLite and on
DynamoDB (moto server): the worker's next turn gets back the very snapshot its last save wrote."""

from __future__ import annotations

from typing import Any

import pytest

from bench.history import save_history
from skill.app import create_app
from skill.config import Settings
from skill.store import make_store
from skill.store.records import Owner
from skill.training.summary import ExerciseSummary
from tests.conftest import Answer, read_request, with_changes

VETERAN = Owner("amzn1.ask.account.VETERAN")


def test_a_workout_reads_what_it_knew_of_each_lift_once_not_once_per_turn(
        store_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(store_settings)
    save_history(store, VETERAN, 30)
    client = create_app(store_settings, store=store).test_client()

    def send(name: str, attributes: dict[str, Any] | None = None) -> Answer:
        body = with_changes(read_request(name), user_id=VETERAN.user_id, attributes=attributes,
                            new=attributes is None)
        answer = client.post("/alexa", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return Answer(answer.status_code, answer.get_json())

    last = send("start_workout")
    read = ExerciseSummary.from_dict.__func__  # type: ignore[attr-defined]
    reads: list[str] = []

    def counted(cls: type[ExerciseSummary], exercise: str, raw: dict[str, Any]) -> ExerciseSummary:
        reads.append(exercise)
        return read(cls, exercise, raw)

    monkeypatch.setattr(ExerciseSummary, "from_dict", classmethod(counted))
    speeches = []
    for _ in range(12):
        last = send("set_done", last.attributes)
        speeches.append(last.speech)
    assert any("last time" in speech.lower() for speech in speeches), speeches
    assert reads == [], "the worker that took the snapshot knows its lifts without reading them back"
    # Another worker (a store of its own) reads the snapshot back, each lift once.
    other = create_app(store_settings, store=make_store(store_settings)).test_client()
    body = with_changes(read_request("set_done"), user_id=VETERAN.user_id, attributes=last.attributes, new=False)
    assert other.post("/alexa", json=body).status_code == 200
    assert reads, "the lifts of this workout were known from the summary"
    assert len(reads) == len(set(reads)), f"each lift read once for the workout: {reads}"
