"""bench/store_calls.py: a turn reads the live record at most once and writes it at most once, and
a worker holding the revision its session saw reads nothing (on both stores)."""

from __future__ import annotations

import pytest

from bench import store_calls


@pytest.mark.parametrize("stores", [store_calls.sqlite_stores, store_calls.dynamodb_stores], ids=["sqlite", "dynamodb"])
def test_each_turn_costs_at_most_one_read_and_one_write(stores: object) -> None:
    meter = store_calls.Meter()
    with stores(meter) as open_store:  # type: ignore[operator]
        one = store_calls.workout_turns(1, open_store, meter)
        two = store_calls.workout_turns(2, open_store, meter)
    assert one[-1][0] == "done" and len(one) > 5, "a whole workout"
    for turns in (one, two):
        assert all(count.reads <= 1 and count.writes <= 1 for _, count in turns)
        assert all(count.writes == count.saves for _, count in turns), "every save is one write, no more"
    assert [count.reads for _, count in one] == [1] + [0] * (len(one) - 1), "the worker holds the revision"
    assert all(count.reads == 1 for _, count in two), "a turn on the other worker reads once"


def test_the_bench_prints_its_table_and_meets_its_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert store_calls.main([]) == 0
    printed = capsys.readouterr().out
    assert "max reads/turn" in printed and printed.count("taking turns") == 4 and "workouts before" in printed
    assert "Mid-workout turns that read or wrote the summary: 0." in printed


@pytest.mark.parametrize("stores", [store_calls.sqlite_stores, store_calls.dynamodb_stores], ids=["sqlite", "dynamodb"])
def test_the_summary_is_read_with_the_record_by_the_start_and_written_only_by_the_last_turn(stores: object) -> None:
    meter = store_calls.Meter()
    with stores(meter) as open_store:  # type: ignore[operator]
        one = store_calls.workout_turns(1, open_store, meter, history=12)
        two = store_calls.workout_turns(2, open_store, meter, history=12)
    for turns in (one, two):
        (launch, _), (start, _), *middle, (last, finished) = turns
        assert (launch, start, last) == ("launch", "start", "done") and len(middle) > 5
        assert turns[0][1].summary_reads == 1 and turns[0][1].reads == 1, "the launch reads both in one read"
        assert all(count.summary_reads == count.summary_writes == 0 for _, count in middle), "mid-workout: never"
        assert finished.summary_writes == 1 and finished.writes == 1, "written in the finishing turn's one write"
        assert all(count.reads <= 1 and count.writes <= 1 for _, count in turns)
    assert one[-1][1].reads == 0, "the worker holds the record and the summary it read at the launch"
    assert two[-1][1].reads == 1 and two[-1][1].summary_reads == 0, "the other worker holds the summary from the start"
