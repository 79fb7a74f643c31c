"""The live record and the training log through the endpoint, with real envelopes: a long history
costs a turn nothing, a repeated request counts once, persons are kept apart, a disabled skill
whose data is not kept leaves nothing, and records of today's release carry on."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bench.history import long_history as a_long_log
from skill.app import create_app
from skill.config import Settings
from skill.lambda_function import make_handler
from skill.store import make_store
from skill.store.records import NO_RECORD, Owner, StoreUnavailable
from tests.conftest import Answer, Send, read_request, with_changes
from tests.state.conftest import CountingStore, as_person
from tests.state.records import USER, schema_one_record

ACCOUNT = Owner(USER)
ANNA, BEN = "amzn1.ask.person.ANNA", "amzn1.ask.person.BEN"
# A mid-workout record, whoever it belongs to, stays under this (a new user's is about half of it).
RECORD_BOUND = 16_000


def stored_size(store: CountingStore, owner: Owner) -> int:
    return len(json.dumps(store.store.load(owner).attributes))


def stored_summary(store: CountingStore, owner: Owner) -> Any:
    """The owner's summary as the store keeps it, apart from the record."""
    return store.store.load_summary(owner, store.store.load(owner).summary_at)


def mid_workout_turn(send: Send, store: CountingStore) -> tuple[Answer, dict[str, int]]:
    started = send("start_workout")
    send("set_done", attributes=started.attributes)
    done = send("set_done", attributes=started.attributes | send("progress").attributes)
    store.calls.clear()
    again = send("set_done", attributes=done.attributes)
    return again, dict(store.calls)


def sets_done(store: CountingStore, owner: Owner = ACCOUNT) -> int:
    return sum(store.store.load(owner).attributes["workout"]["sets_done"])


def test_a_thousand_workouts_cost_a_turn_nothing(send: Send, store: CountingStore) -> None:
    attributes, items, summary = a_long_log(1000)
    assert len(items) == 1000 and len({item.workout_id for item in items}) == 1000
    veteran = Owner("amzn1.ask.account.VETERAN")
    store.store.save(veteran, attributes, based_on=NO_RECORD, log=items, summary=summary)
    assert len(store.store.log_page(veteran, limit=1000)) == 1000

    newcomer_answer, newcomer_calls = mid_workout_turn(send, store)
    veteran_answer, veteran_calls = mid_workout_turn(
        lambda request, **changes: send(request, user_id=veteran.user_id, **changes), store)

    assert "Sorry" not in veteran_answer.speech and veteran_answer.ends_session is False
    assert veteran_calls == newcomer_calls == {"load": 1, "save": 1}, "one load (served from memory), one save, no log"
    newcomer, veteran_size = stored_size(store, ACCOUNT), stored_size(store, veteran)
    print(f"\nmid-workout record: new user {newcomer} bytes, 1,000 workouts {veteran_size} bytes")
    assert veteran_size < RECORD_BOUND and newcomer < RECORD_BOUND
    assert "summary" not in store.store.load(veteran).attributes, "the summary is kept apart from the record"
    summary = stored_summary(store, veteran)
    assert summary is not None and summary["workouts"] == 1000 and len(summary["months"]) == 24 and len(summary["exercises"]) >= 10
    assert len(json.dumps(summary)) < 8_000


def test_a_request_delivered_twice_is_applied_once_and_answered_the_same(send: Send, store: CountingStore) -> None:
    started = send("start_workout", screen=True)
    done = copy.deepcopy(read_request("set_done"))
    done["session"]["attributes"] = started.attributes
    done["context"]["System"]["device"]["supportedInterfaces"] = {
        "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}
    first = send(done)
    assert sets_done(store) == 1
    store.calls.clear()
    second = send(copy.deepcopy(done))
    assert sets_done(store) == 1, "the repeat counted nothing"
    assert store.calls["save"] == 0
    assert second.response == first.response, "the same speech, reprompt and screen"
    assert second.response["directives"][0]["document"]["type"] == "APL"
    assert {key: value for key, value in second.attributes.items() if key != "revision"} == {
        key: value for key, value in first.attributes.items() if key != "revision"}

    following = send("set_done", attributes=second.attributes)
    assert sets_done(store) == 2 and "Sorry" not in following.speech and "another device" not in following.speech
    assert send(copy.deepcopy(done)).response == first.response, "still the first answer a turn later"
    assert sets_done(store) == 2


def test_the_answers_kept_for_repeats_stay_few_and_small(send: Send, store: CountingStore) -> None:
    last = send("start_workout", screen=True)
    for _ in range(8):
        last = send("set_done", attributes=last.attributes, screen=True)
    answers = store.store.load(ACCOUNT).attributes["answers"]
    assert len(answers) == 2, "the last answer and the one before it"
    assert all(len(json.dumps(answer)) < 2_500 for answer in answers), [len(json.dumps(answer)) for answer in answers]
    assert all("legday-workout-document" in answer["text"] for answer in answers), "the APL document is left out"
    assert stored_size(store, ACCOUNT) < RECORD_BOUND


def test_two_persons_on_one_account_each_have_their_own_workout(send: Send, store: CountingStore) -> None:
    anna = send(as_person(read_request("start_workout"), ANNA))
    send(as_person(read_request("set_done"), ANNA), attributes=anna.attributes)

    ben = send(as_person(read_request("launch"), BEN))
    assert "resume" not in ben.speech.lower() and "last time" not in ben.speech.lower()
    ben = send(as_person(read_request("start_workout_advanced_barbell"), BEN), attributes=ben.attributes, new=False)
    assert "advanced" in ben.speech

    assert sets_done(store, Owner(USER, ANNA)) == 1
    assert sets_done(store, Owner(USER, BEN)) == 0
    assert store.store.load(ACCOUNT).revision == NO_RECORD, "recognised persons never touch the account's record"

    stranger = send("launch")    # a voice Alexa does not recognise: the account's own state
    assert "resume" not in stranger.speech.lower()
    send("start_workout")
    assert sets_done(store, ACCOUNT) == 0 and store.store.load(ACCOUNT).attributes["workout"] is not None
    assert sets_done(store, Owner(USER, ANNA)) == 1


def finish_a_workout(send: Send, body_for: Any) -> None:
    last = send(body_for("start_workout"))
    while last.ends_session is False:
        last = send(body_for("set_done"), attributes=last.attributes)


@pytest.mark.parametrize("entry", ["flask", "lambda"])
def test_a_disabled_skill_whose_data_is_not_kept_leaves_nothing(
    send: Send, store: CountingStore, settings: Settings, entry: str
) -> None:
    owners = [ACCOUNT, Owner(USER, ANNA), Owner(USER, BEN)]
    for owner in owners:
        finish_a_workout(send, lambda name, owner=owner: as_person(read_request(name), owner.person_id))
        assert store.store.log_page(owner) and store.store.load(owner).revision != NO_RECORD
    other = Owner("amzn1.ask.account.SOMEONE-ELSE")
    send("start_workout", user_id=other.user_id)

    kept = send("skill_disabled_persisted")
    assert all(store.store.log_page(owner) for owner in owners), "PERSISTED keeps everything"
    if entry == "flask":
        answer = send("skill_disabled").body
    else:
        answer = make_handler(settings)(read_request("skill_disabled"), None)
    for body in (kept.body, answer):
        assert body["response"] == {}, "no speech, no reprompt, no session flag"

    fresh = make_store(settings)
    for owner in owners:
        assert fresh.load(owner).revision == NO_RECORD and fresh.load(owner).attributes == {}
        assert fresh.log_page(owner) == []
    assert fresh.load(other).attributes["workout"] is not None, "other accounts are untouched"


@pytest.mark.parametrize("event", ["skill_enabled", "skill_permission_changed", "skill_disabled_persisted"])
def test_every_skill_event_gets_an_empty_answer_and_reads_nothing(send: Send, store: CountingStore, event: str) -> None:
    answer = send(event)
    assert answer.status == 200 and answer.response == {} and not answer.attributes
    assert dict(store.calls) == {}


def test_a_record_saved_by_todays_release_carries_on_and_its_last_workout_moves_to_the_log(
    send: Send, store: CountingStore
) -> None:
    store.store.save(ACCOUNT, schema_one_record(), based_on=None)
    resumed = send("set_done")
    assert "Sorry" not in resumed.speech and "goblet squat" in resumed.speech.lower()
    saved = store.store.load(ACCOUNT).attributes
    assert saved["schema"] == 2 and "history" not in saved
    assert sum(saved["workout"]["sets_done"]) == 4 and saved["last"]["sets"] == 9
    (migrated,) = store.store.log_page(ACCOUNT)
    assert migrated["migrated"] is True and migrated["finished_at"] == "2026-11-20T18:30:00+00:00"

    last = resumed
    while last.ends_session is False:
        last = send("set_done", attributes=last.attributes)
    newest, oldest = store.store.log_page(ACCOUNT)
    assert oldest == migrated, "migrated once"
    assert newest["set_count"] == 7 and newest["workout_id"] == "20261127T180000Z"
    assert [logged["exercise"] for logged in newest["sets"]][:3] == ["leg_swing", "bodyweight_squat", "goblet_squat"]
    assert stored_summary(store, ACCOUNT)["workouts"] == 2


class BrokenStore:
    """A store that cannot be reached at all."""

    def __getattr__(self, name: str) -> Any:
        def broken(*args: Any, **kwargs: Any) -> Any:
            raise StoreUnavailable("the store is down")

        return broken


def test_a_skill_disabled_the_store_cannot_act_on_still_gets_a_speechless_answer(settings: Settings) -> None:
    answer = create_app(settings, store=BrokenStore()).test_client().post("/alexa", json=read_request("skill_disabled"))
    assert answer.status_code == 200 and answer.get_json()["response"] == {}


def test_a_workout_finished_on_a_worker_that_never_read_the_summary_counts_on_top_of_it(
    settings: Settings, store: CountingStore
) -> None:
    veteran = Owner("amzn1.ask.account.FIVE-WORKOUTS")
    attributes, items, summary = a_long_log(5)
    store.store.save(veteran, attributes, based_on=NO_RECORD, log=items, summary=summary)
    starter, finisher = create_app(settings), create_app(settings)  # two workers, each with its own memory

    def on(app: Any, request: str, attributes: dict[str, Any] | None = None) -> Answer:
        answer = app.test_client().post("/alexa", json=with_changes(
            read_request(request), user_id=veteran.user_id, attributes=attributes or {}, new=attributes is None))
        return Answer(answer.status_code, answer.get_json())

    last = on(starter, "start_workout")  # reads the summary with the record; the finisher never does
    while last.ends_session is False:
        last = on(finisher, "set_done", last.attributes)
        assert "Sorry" not in last.speech
    assert stored_summary(store, veteran)["workouts"] == 6, "the finisher read the five, and counted the sixth on top"
    assert len(store.store.log_page(veteran, limit=10)) == 6
