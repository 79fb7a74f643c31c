""""Delete my data" by voice, over HTTP, on SQLite and on DynamoDB (moto server): after "yes" nothing
of the owner is left (live record, log pages, and on DynamoDB no item naming them), a person's
deletion leaves the others on the account as they were, the account's own voice deletes everything
kept for the account, and "no" keeps everything."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from skill.store import make_store
from skill.store.records import NO_RECORD, Owner, RecordStore, StoreUnavailable
from tests.conftest import Answer, read_request, with_changes

USER = "amzn1.ask.account.DELETE-BY-VOICE"
OTHER_ACCOUNT = Owner("amzn1.ask.account.SOMEONE-ELSE")
ACCOUNT = Owner(USER)
ANNA, BEN = Owner(USER, "amzn1.ask.person.ANNA"), Owner(USER, "amzn1.ask.person.BEN")
EVERYONE = (ACCOUNT, ANNA, BEN)


class Speaker:
    """One owner talking to the skill through the endpoint, session carried from turn to turn."""

    def __init__(self, app: Flask, owner: Owner) -> None:
        self.client = app.test_client()
        self.owner = owner
        self.attributes: dict[str, Any] = {}

    def envelope(self, request: str) -> dict[str, Any]:
        """The sample ``request`` as this owner sends it, in their session."""
        body = with_changes(read_request(request), user_id=self.owner.user_id, attributes=self.attributes,
                            new=not self.attributes)
        if self.owner.person_id is not None:
            body["context"]["System"]["person"] = {"personId": self.owner.person_id}
        return body

    def say(self, request: str) -> Answer:
        answer = self.client.post("/alexa", json=self.envelope(request))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        result = Answer(answer.status_code, answer.get_json())
        assert "Sorry" not in result.speech, result.speech
        self.attributes = {} if result.ends_session else result.attributes
        return result

    def trains(self) -> None:
        """Finishes one workout (so the log holds it), then starts another (so the live record holds one)."""
        last = self.say("start_workout")
        while last.ends_session is False:
            last = self.say("set_done")
        self.say("start_workout")
        self.say("set_done")


def kept(store: RecordStore, owner: Owner) -> tuple[Any, ...]:
    """What the store holds of ``owner``: the workout under way (its plan and sets done: any turn
    moves its clock), the summary of the log, and the whole log."""
    loaded = store.load(owner)
    workout = loaded.attributes.get("workout") or {}
    return (workout.get("items"), workout.get("sets_done"), store.load_summary(owner, loaded.summary_at),
            store.log_page(owner, limit=100))


def nothing_left(store: RecordStore, owner: Owner) -> None:
    loaded = store.load(owner)
    assert loaded.revision == NO_RECORD and loaded.attributes == {}
    assert store.log_page(owner, limit=100) == []
    assert store.log_page(owner, limit=100, exercise="goblet_squat") == []


def items_naming(settings: Settings, request: pytest.FixtureRequest, person_id: str) -> list[Any]:
    """On DynamoDB, every item of either table that holds ``person_id`` anywhere (keys or attributes)."""
    if settings.store != "dynamodb":
        return []
    tables = [request.getfixturevalue("progress_table"), request.getfixturevalue("log_table")]
    return [item for table in tables for item in table.scan(ConsistentRead=True)["Items"] if person_id in repr(item)]


@pytest.fixture
def trained(store_settings: Settings) -> tuple[Flask, dict[Owner, tuple[Any, ...]]]:
    """An app, and the account, Anna, Ben and another account, each with a finished workout and one
    under way; with what the store holds of each."""
    app = create_app(store_settings)
    for owner in (*EVERYONE, OTHER_ACCOUNT):
        Speaker(app, owner).trains()
    store = make_store(store_settings)
    before = {owner: kept(store, owner) for owner in (*EVERYONE, OTHER_ACCOUNT)}
    for owner, (items, sets_done, summary, log) in before.items():
        assert items and sum(sets_done) == 1 and summary["workouts"] == 1 and len(log) == 1, owner
    return app, before


def test_a_person_who_confirms_deletes_their_own_data_and_nothing_else(
    trained: Any, store_settings: Settings, request: pytest.FixtureRequest
) -> None:
    app, before = trained
    anna = Speaker(app, ANNA)
    asked = anna.say("delete_my_data")
    assert asked.speech == "This deletes your training log and your progress for good. Are you sure?"
    assert asked.ends_session is False and asked.attributes["pending"] == "delete_data"
    assert kept(make_store(store_settings), ANNA) == before[ANNA], "asking deletes nothing"

    done = anna.say("yes")
    assert done.ends_session is True and "deleted" in done.speech
    assert not done.attributes.get("revision"), "no revision of a record that is gone"

    store = make_store(store_settings)
    nothing_left(store, ANNA)
    assert items_naming(store_settings, request, ANNA.person_id or "") == []
    for owner in (ACCOUNT, BEN, OTHER_ACCOUNT):
        assert kept(store, owner) == before[owner], owner


def test_the_accounts_own_voice_deletes_everything_kept_for_the_account(
    trained: Any, store_settings: Settings, request: pytest.FixtureRequest
) -> None:
    app, before = trained
    account = Speaker(app, ACCOUNT)
    assert "everyone on this Alexa account" in account.say("delete_my_data").speech
    assert account.say("yes").ends_session is True

    store = make_store(store_settings)
    for owner in EVERYONE:
        nothing_left(store, owner)
    assert items_naming(store_settings, request, USER) == []
    assert kept(store, OTHER_ACCOUNT) == before[OTHER_ACCOUNT], "other accounts are untouched"


def test_no_keeps_everything_and_the_workout_carries_on(trained: Any, store_settings: Settings) -> None:
    app, before = trained
    ben = Speaker(app, BEN)
    ben.say("delete_my_data")
    answer = ben.say("no")
    assert answer.speech.startswith("Okay, I've kept everything.") and answer.ends_session is False
    assert "pending" not in answer.attributes
    store = make_store(store_settings)
    for owner in (*EVERYONE, OTHER_ACCOUNT):
        assert kept(store, owner) == before[owner], owner
    ben.say("set_done")
    assert sum(store.load(BEN).attributes["workout"]["sets_done"]) == 2, "the workout goes on"


def test_a_yes_delivered_twice_deletes_once_and_answers_the_same(trained: Any, store_settings: Settings) -> None:
    app, _ = trained
    anna = Speaker(app, ANNA)
    anna.say("delete_my_data")
    body = anna.envelope("yes")
    first, second = (anna.client.post("/alexa", json=copy.deepcopy(body)).get_json() for _ in range(2))
    assert first["response"] == second["response"]
    nothing_left(make_store(store_settings), ANNA)


class DeletionFails:
    """The real store, except that deleting fails as an unreachable store does."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("delete_"):
            def unreachable(*args: Any, **kwargs: Any) -> None:
                raise StoreUnavailable("the store is down")
            return unreachable
        return getattr(self.store, name)


def test_a_deletion_the_store_fails_is_apologised_for_and_yes_can_try_again(settings: Settings) -> None:
    app = create_app(settings, store=DeletionFails(make_store(settings)))
    anna = Speaker(app, ANNA)
    anna.say("start_workout")
    anna.say("delete_my_data")
    failed = Answer(200, anna.client.post("/alexa", json=anna.envelope("yes")).get_json())
    assert "couldn't reach your saved progress" in failed.speech and failed.ends_session is False
    assert failed.attributes.get("pending") == "delete_data", "the question still waits for a yes"
    assert make_store(settings).load(ANNA).attributes["workout"] is not None, "nothing was deleted"
