"""The RecordStore contract, the same on every store: revisions, the log saved with its record,
pages, deletion, health. Each test runs on SQLite and on DynamoDB (see conftest)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from skill.store.cache import RecordCache
from skill.store.records import NO_RECORD, LogItem, Owner, StaleRecord
from tests.store.conftest import OpenStore, workout

ME = Owner("amzn1.ask.account.ME")
ANNA = Owner("amzn1.ask.account.ME", "amzn1.ask.person.ANNA")
BEN = Owner("amzn1.ask.account.ME", "amzn1.ask.person.BEN")
SOMEONE_ELSE = Owner("amzn1.ask.account.SOMEONE")


def test_an_owner_with_nothing_saved_has_an_empty_record_at_no_revision(store: Any) -> None:
    assert store.load(ME) == store.load(ME, seen=12345)
    loaded = store.load(ME)
    assert (loaded.attributes, loaded.revision) == ({}, NO_RECORD)
    assert store.log_page(ME) == []


def test_a_saved_record_comes_back_exactly_at_the_revision_the_save_returned(open_store: OpenStore) -> None:
    store, other_worker = open_store(), open_store()
    attributes = {"workout": {"position": 2, "sets": [1, 2, 3]}, "rest": 1.5, "whole": 2.0, "name": "",
                  "done": True, "nothing": None, "deep": {"a": [{"b": -3}]}}
    revision = store.save(ME, attributes, based_on=NO_RECORD)
    assert type(revision) is int and 1 < revision < 2**53

    loaded = other_worker.load(ME)
    assert loaded.attributes == attributes and loaded.revision == revision
    assert type(loaded.attributes["whole"]) is float and type(loaded.attributes["workout"]["position"]) is int
    assert other_worker.save(ME, {"n": 1}, based_on=revision) == revision + 1
    assert store.load(ME, seen=None).revision == revision + 1


def test_a_save_based_on_an_old_revision_is_refused_and_writes_nothing(open_store: OpenStore) -> None:
    phone, echo = open_store(), open_store()
    first = phone.save(ME, {"sets": 1}, based_on=NO_RECORD)
    second = echo.save(ME, {"sets": 2}, based_on=first)

    with pytest.raises(StaleRecord):
        phone.save(ME, {"sets": 2, "from": "phone"}, based_on=first)
    with pytest.raises(StaleRecord):
        phone.save(ME, {"sets": 1, "from": "a new user"}, based_on=NO_RECORD)
    loaded = phone.load(ME, seen=first)
    assert (loaded.attributes, loaded.revision) == ({"sets": 2}, second), "the refusal dropped the old copy"


def test_a_worker_holding_the_revision_a_session_saw_reads_nothing(open_store: OpenStore) -> None:
    holder, other = open_store(), open_store()
    seen = holder.save(ME, {"note": "ours"}, based_on=NO_RECORD)
    other.save(ME, {"note": "theirs"}, based_on=seen)

    assert holder.load(ME, seen=seen).attributes == {"note": "ours"}, "its own copy: nothing was read"
    with pytest.raises(StaleRecord):  # and a turn worked out on it is never written
        holder.save(ME, {"note": "ours, changed"}, based_on=seen)
    assert holder.load(ME, seen=seen + 1).attributes == {"note": "theirs"}


@pytest.mark.parametrize("seen", ["revision", True, 1.5, None, [1]])
def test_a_seen_revision_that_is_not_a_whole_number_means_read(open_store: OpenStore, seen: Any) -> None:
    holder, other = open_store(), open_store()
    revision = holder.save(ME, {"note": "ours"}, based_on=NO_RECORD)
    other.save(ME, {"note": "theirs"}, based_on=revision)
    assert holder.load(ME, seen=revision).attributes == {"note": "ours"}
    assert holder.load(ME, seen=seen).attributes == {"note": "theirs"}


def test_a_record_deleted_and_made_again_never_passes_for_a_held_copy_of_the_old_one(open_store: OpenStore) -> None:
    holder, other = open_store(), open_store()
    old = holder.save(ME, {"incarnation": "old"}, based_on=NO_RECORD)
    other.delete_owner(ME)
    new = other.save(ME, {"incarnation": "new"}, based_on=NO_RECORD)
    assert new != old, "new records start at a random revision"
    assert holder.load(ME, seen=new).attributes == {"incarnation": "new"}
    with pytest.raises(StaleRecord):
        holder.save(ME, {"incarnation": "old, changed"}, based_on=old)


def test_an_unconditional_save_writes_over_whatever_is_there(store: Any) -> None:
    assert store.save(ME, {"n": 1}, based_on=None) > NO_RECORD
    revision = store.save(ME, {"n": 2}, based_on=None)
    assert store.load(ME) == store.load(ME, seen=revision)
    assert store.load(ME).attributes == {"n": 2}


# --- the log is saved with its record -------------------------------------------------------------

def test_finishing_a_workout_saves_the_record_and_its_log_entry_together(open_store: OpenStore) -> None:
    store, reader = open_store(), open_store()
    revision = store.save(ME, {"summary": {"workouts": 1}}, based_on=NO_RECORD, log=[workout(3)])
    assert reader.load(ME).revision == revision
    assert reader.log_page(ME) == [workout(3).body]


def test_the_summary_is_kept_apart_and_written_only_by_the_save_that_gives_it(open_store: OpenStore) -> None:
    store = open_store()
    first = store.save(ME, {"n": 0}, based_on=NO_RECORD)
    assert open_store().load(ME).summary_at is None and open_store().load_summary(ME, None) is None
    finished = store.save(ME, {"n": 1}, based_on=first, log=[workout(3)], summary={"workouts": 1})
    ordinary = store.save(ME, {"n": 2}, based_on=finished)
    loaded = open_store().load(ME)
    assert loaded.attributes == {"n": 2} and loaded.revision == ordinary
    assert loaded.summary_at == finished, "a save without a summary leaves the one there as it was"
    assert open_store().load_summary(ME, loaded.summary_at) == {"workouts": 1}
    both = open_store()
    assert both.load(ME, with_summary=True).summary_at == finished
    assert both.load_summary(ME, finished) == {"workouts": 1}
    held = store.load(ME, seen=ordinary)
    assert held == loaded, "the writer holds the record and which summary goes with it"
    assert held.trusted and not loaded.trusted, "its own save, not a read"

    with pytest.raises(StaleRecord):
        open_store().save(ME, {"n": 9}, based_on=finished, log=[workout(4)], summary={"workouts": 9})
    assert open_store().load_summary(ME, finished) == {"workouts": 1}, "a refused save writes no summary"
    store.delete_owner(ME)
    assert open_store().load(ME).summary_at is None and open_store().load_summary(ME, finished) is None


def test_a_refused_save_appends_nothing_to_the_log(open_store: OpenStore) -> None:
    phone, echo = open_store(), open_store()
    first = phone.save(ME, {"workouts": 0}, based_on=NO_RECORD)
    echo.save(ME, {"workouts": 1}, based_on=first, log=[workout(3, "from-echo")])

    with pytest.raises(StaleRecord):
        phone.save(ME, {"workouts": 1}, based_on=first, log=[workout(3, "from-phone", exercises=("squat", "step_up"))])
    with pytest.raises(StaleRecord):
        phone.save(ME, {"workouts": 1}, based_on=NO_RECORD, log=[workout(4)])
    assert [entry["workout_id"] for entry in echo.log_page(ME)] == ["from-echo"]
    assert echo.log_page(ME, exercise="step_up") == []
    assert echo.load(ME).attributes == {"workouts": 1}


def test_several_entries_and_the_same_entry_twice_are_saved_as_one_each(store: Any) -> None:
    revision = store.save(ME, {"migrated": True}, based_on=NO_RECORD, log=[workout(1), workout(2), workout(1)])
    store.save(ME, {"migrated": True, "again": True}, based_on=revision, log=[workout(2)])
    assert [entry["workout_id"] for entry in store.log_page(ME)] == ["w0210", "w0110"]
    assert len(store.log_page(ME, exercise="squat")) == 2


# --- pages ---------------------------------------------------------------------------------------

@pytest.fixture
def long_log(store: Any) -> Any:
    """Twelve workouts for ME (days 1 to 12; day 7 twice, and day 5 without lunges), one for ANNA."""
    entries = [workout(day) for day in range(1, 13) if day != 5]
    entries += [workout(5, exercises=("squat",)), workout(7, hour=18)]
    revision = NO_RECORD
    for start in range(0, len(entries), 4):
        revision = store.save(ME, {"saved": start}, based_on=revision, log=entries[start:start + 4])
    store.save(ANNA, {"anna": True}, based_on=NO_RECORD, log=[workout(20, "anna-20")])
    return store


def ids(page: list[dict[str, Any]]) -> list[str]:
    return [entry["workout_id"] for entry in page]


def test_a_page_is_the_newest_entries_first(long_log: Any) -> None:
    assert ids(long_log.log_page(ME)) == ["w1210", "w1110", "w1010", "w0910", "w0810", "w0718", "w0710",
                                          "w0610", "w0510", "w0410"]
    assert ids(long_log.log_page(ME, limit=3)) == ["w1210", "w1110", "w1010"]
    assert ids(long_log.log_page(ME, limit=100))[-1] == "w0110"
    assert len(long_log.log_page(ME, limit=100)) == 13
    assert long_log.log_page(ME, limit=1) == [workout(12).body]


def test_before_is_exclusive_and_since_inclusive(long_log: Any) -> None:
    seventh = workout(7).finished_at
    assert ids(long_log.log_page(ME, before=seventh, limit=2)) == ["w0610", "w0510"]
    assert ids(long_log.log_page(ME, since=seventh)) == ["w1210", "w1110", "w1010", "w0910", "w0810",
                                                          "w0718", "w0710"]
    assert ids(long_log.log_page(ME, since=workout(3).finished_at, before=workout(5).finished_at)) == [
        "w0410", "w0310"]
    assert ids(long_log.log_page(ME, since="2026-11-07")) == ids(long_log.log_page(ME, since=seventh))
    assert long_log.log_page(ME, since="2026-12-01") == []


def test_paging_back_with_before_walks_the_whole_log_once(long_log: Any) -> None:
    walked: list[str] = []
    before = None
    while page := long_log.log_page(ME, limit=4, before=before):
        walked += ids(page)
        before = page[-1]["finished_at"]
    # Two entries share no finish time here, except none: every entry is reached exactly once.
    assert sorted(walked) == sorted(set(walked)) and len(walked) == 13


def test_an_exercise_page_gives_that_exercises_slices_with_their_workout(long_log: Any) -> None:
    lunges = long_log.log_page(ME, exercise="lunge", limit=3, before=workout(7).finished_at)
    assert lunges == [
        {**workout(6).exercises["lunge"], "finished_at": workout(6).finished_at, "workout_id": "w0610"},
        {**workout(4).exercises["lunge"], "finished_at": workout(4).finished_at, "workout_id": "w0410"},
        {**workout(3).exercises["lunge"], "finished_at": workout(3).finished_at, "workout_id": "w0310"},
    ], "day 5 had no lunges"
    squats = long_log.log_page(ME, exercise="squat", limit=100, since=workout(11).finished_at)
    assert [(entry["workout_id"], entry["sets"][0]["load"]) for entry in squats] == [("w1210", 32.5), ("w1110", 31.5)]
    assert long_log.log_page(ME, exercise="deadlift") == []


def test_each_owner_pages_only_their_own_log(long_log: Any) -> None:
    assert ids(long_log.log_page(ANNA)) == ["anna-20"]
    assert long_log.log_page(BEN) == []
    assert ids(long_log.log_page(ANNA, exercise="squat")) == ["anna-20"]


@pytest.mark.parametrize("bad", [{"limit": 0}, {"limit": -1}, {"exercise": "squat#lunge"}, {"exercise": ""}])
def test_a_page_that_cannot_be_asked_for_is_refused(store: Any, bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        store.log_page(ME, **bad)


# --- deletion ------------------------------------------------------------------------------------

def fill(store: Any, *owners: Owner) -> None:
    for owner in owners:
        store.save(owner, {"mine": owner.key}, based_on=NO_RECORD, log=[workout(1), workout(2)])


def test_deleting_an_owner_removes_their_record_and_log_and_nothing_else(open_store: OpenStore) -> None:
    store, holder = open_store(), open_store()
    fill(store, ME, ANNA, SOMEONE_ELSE)
    seen = holder.load(ANNA).revision

    store.delete_owner(ANNA)
    assert holder.load(ANNA).revision == NO_RECORD
    assert store.load(ANNA, seen=seen).attributes == {}, "the deleting worker holds no copy"
    assert store.log_page(ANNA) == [] and store.log_page(ANNA, exercise="squat") == []
    for owner in (ME, SOMEONE_ELSE):
        assert store.load(owner).attributes == {"mine": owner.key}
        assert len(store.log_page(owner)) == 2
    store.delete_owner(ANNA)  # nothing left to delete is no error


def test_deleting_an_account_removes_it_and_every_person_in_it(open_store: OpenStore) -> None:
    store, other = open_store(), open_store()
    fill(store, ME, ANNA)
    fill(other, BEN)
    # Keys a careless prefix match or LIKE pattern would take: a user id starting with ours, and
    # ids whose "_" and "%" are LIKE wildcards.
    neighbours = [Owner("amzn1.ask.account.MEE"), Owner("amzn1.ask.account.MEE", "amzn1.ask.person.X"),
                  Owner("amzn1.ask.account.M_"), Owner("amzn1.ask.account.MA", "p"), Owner("%")]
    fill(store, *neighbours)

    other.delete_account(ME.user_id)
    for owner in (ME, ANNA, BEN):
        assert store.load(owner).revision == NO_RECORD
        assert store.log_page(owner) == [] and store.log_page(owner, exercise="lunge") == []
    for owner in neighbours:
        assert store.load(owner).attributes == {"mine": owner.key}
        assert len(store.log_page(owner, exercise="squat")) == 2
    store.delete_account(ME.user_id)

    store.delete_account("amzn1.ask.account.M_")
    assert store.load(Owner("amzn1.ask.account.MA", "p")).attributes, "'_' matched nothing else"


def test_a_person_made_again_after_their_account_was_deleted_is_deleted_with_it_again(store: Any) -> None:
    fill(store, ANNA)
    store.delete_account(ANNA.user_id)
    fill(store, ANNA)
    store.delete_account(ANNA.user_id)
    assert store.load(ANNA).revision == NO_RECORD and store.log_page(ANNA) == []


# --- health, keys ------------------------------------------------------------------------------

def test_a_working_store_is_healthy_and_the_check_writes_nothing(store: Any) -> None:
    assert store.health() is None
    assert store.health() is None
    assert store.load(Owner("health")).revision == NO_RECORD


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: Owner(""), "needs a user id"),
        (lambda: Owner("a#b"), "cannot hold"),
        (lambda: Owner("a", ""), "cannot be empty"),
        (lambda: LogItem("", "w", {}), "finish time"),
        (lambda: LogItem("2026-11-01T00:00:00+00:00", "w", {}, {"a#b": {}}), "exercise id"),
    ],
)
def test_keys_that_would_blur_owners_or_entries_are_refused(make: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        make()


def test_person_keys_are_the_account_then_the_person() -> None:
    assert ME.key == "amzn1.ask.account.ME"
    assert ANNA.key == "amzn1.ask.account.ME#person#amzn1.ask.person.ANNA"


def test_a_worker_holds_a_bounded_number_of_records() -> None:
    cache = RecordCache(size=2)
    for number in range(3):
        cache.remember(f"user-{number}", number + 10, {"number": number})
    assert [cache.get(f"user-{number}", number + 10) for number in range(3)] == [None, {"number": 1}, {"number": 2}]
    assert cache.get("user-2", 11) is None, "only the very revision it holds"


# --- many devices at once ------------------------------------------------------------------------

def test_many_workers_saving_on_the_same_revision_one_wins_each_round_and_nothing_is_lost(
    open_store: OpenStore,
) -> None:
    workers, rounds = 6, 8
    stores = [open_store() for _ in range(workers)]
    revision = stores[0].save(ME, {"count": 0}, based_on=NO_RECORD)
    winners: list[int] = []
    for round_number in range(rounds):
        count = stores[0].load(ME).attributes["count"]
        barrier = threading.Barrier(workers)
        outcomes: list[Any] = [None] * workers

        def turn(index: int, based_on: int = revision, count: int = count, round_number: int = round_number) -> None:
            barrier.wait()
            entry = workout(1 + round_number, f"r{round_number}-worker{index}")
            try:
                outcomes[index] = stores[index].save(ME, {"count": count + 1, "by": index}, based_on=based_on,
                                                     log=[entry])
            except StaleRecord as refused:
                outcomes[index] = refused

        threads = [threading.Thread(target=turn, args=(index,)) for index in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        won = [index for index, outcome in enumerate(outcomes) if isinstance(outcome, int)]
        assert len(won) == 1, f"round {round_number}: {outcomes}"
        assert all(isinstance(outcome, StaleRecord) for index, outcome in enumerate(outcomes) if index not in won)
        winners.append(won[0])
        revision = outcomes[won[0]]

    final = stores[-1].load(ME)
    assert final.attributes == {"count": rounds, "by": winners[-1]} and final.revision == revision
    logged = stores[-1].log_page(ME, limit=100)
    assert ids(logged) == [f"r{number}-worker{winner}" for number, winner in reversed(list(enumerate(winners)))]
