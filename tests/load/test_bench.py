"""The benchmark's parts: every app answers every scenario, and its figures combine rounds as documented."""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bench import cold, history, load
from bench.apps import make
from bench.run import SERVED, InProcess, InProcessUser, Summary, history_p99
from skill.ssml import plain_text
from tests.robustness.alexa_response import check_answer

TURNS = 12


@pytest.mark.parametrize("target", SERVED)
@pytest.mark.parametrize("scenario", sorted(load.SCENARIOS))
def test_every_app_answers_every_scenario_with_a_playable_response(
    target: str, scenario: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    client = make(target).test_client()
    user = load.SCENARIOS[scenario](0)
    last = None
    spoken = []
    for _ in range(TURNS):
        answer = client.post("/alexa", data=user.next_body(last), content_type="application/json")
        last = check_answer(answer.status_code, answer.get_data())
        assert answer.status_code == 200
        spoken.append(plain_text(last["response"]["outputSpeech"]["ssml"]))
    if target == "skill" and scenario == "turn":
        # The skill really is mid-workout: past the warm-up (which flows without rests) and into the
        # main block, each "done" is answered with the rest and the next set.
        assert all("Rest" in speech or "rest" in speech for speech in spoken[6:]), spoken
        assert last["sessionAttributes"]["position"], last["sessionAttributes"]


def test_the_saving_hello_world_reads_and_saves_every_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    client = make("hello_saving").test_client()
    users = [load.Trainee(0), load.Trainee(1)]
    last: list[dict[str, Any] | None] = [None, None]
    for turn in range(TURNS):
        number = turn % 2
        answer = client.post("/alexa", data=users[number].next_body(last[number]), content_type="application/json")
        last[number] = check_answer(answer.status_code, answer.get_data())
    with sqlite3.connect(tmp_path / "hello.sqlite3") as connection:
        rows = dict(connection.execute("SELECT user_id, body FROM attributes"))
    assert {user: json.loads(body) for user, body in rows.items()} == {
        load.Trainee.user_id(0): {"visits": TURNS // 2}, load.Trainee.user_id(1): {"visits": TURNS // 2}}


def whole_workout(client: FlaskClient, user: load.Trainee) -> list[tuple[str, dict[str, Any]]]:
    """``user`` starts a workout and says "done" after every set, then starts the next: each request's
    account and answer."""
    last = None
    answers = []
    for _ in range(user.sets + 2):
        answer = client.post("/alexa", data=user.next_body(last), content_type="application/json")
        last = check_answer(answer.status_code, answer.get_data())
        assert answer.status_code == 200 and "Sorry" not in plain_text(last["response"]["outputSpeech"]["ssml"])
        answers.append((user.caller.user_id, last))
    return answers


def test_history_users_have_their_workouts_and_train_like_new_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    veteran, returner, newcomer = load.Veteran(0), load.Returner(0), load.Newcomer(0)
    history.seed_bench_users(tmp_path, [0])
    assert history.logged_workouts(tmp_path, veteran.caller.user_id) == (history.LONG_HISTORY, history.LONG_HISTORY)
    assert history.logged_workouts(tmp_path, returner.caller.user_id) == (1, 1)
    client = make("skill").test_client()

    for user in (veteran, returner, newcomer):
        answers = whole_workout(client, user)
        assert answers[-2][1]["response"]["shouldEndSession"] is not False, "the last set ends the workout"
        assert answers[-1][1]["sessionAttributes"]["position"] == [0, 1], "the next workout has begun"
        accounts = [account for account, _ in answers]
        spoken = " ".join(plain_text(answer["response"]["outputSpeech"]["ssml"]) for _, answer in answers)
        coached = "Last time" in spoken
        if user in (veteran, returner):
            logged = history.LONG_HISTORY if user is veteran else 1
            assert set(accounts) == {user.user_id(0)}, "a user with a history keeps one account"
            assert history.logged_workouts(tmp_path, accounts[0]) == (logged + 1,) * 2
            assert coached, "loads from last time are coached, whatever the history's length"
        else:
            assert len(set(accounts[:-1])) == 1 and accounts[-1] != accounts[0], "a new account for each workout"
            assert history.logged_workouts(tmp_path, accounts[0]) == (1, 1), "the newcomer's one workout"
            assert history.logged_workouts(tmp_path, accounts[-1]) == (0, 0), "new when the workout began"
            assert not coached, "nothing logged before: no load to speak of"


def test_mid_workout_turns_are_every_done_but_the_last() -> None:
    user = load.Veteran(0)
    flags = []
    for _ in range(2 * (user.sets + 1)):
        user.next_body({"sessionAttributes": {}})
        flags.append(user.mid_workout)
    workout = [False] + [True] * (user.sets - 1) + [False]
    assert flags == workout * 2


def test_in_process_batches_time_mid_workout_turns_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    every, mid = InProcessUser(make("skill"), load.Newcomer(0)).batch(30)
    assert every > 0 and mid > 0
    assert math.isnan(InProcessUser(make("flask"), load.Launcher(0)).batch(3)[1]), "a launch has no mid-workout turn"


def result(rps: float, latencies_ms: list[float], cpu_ms: float) -> load.Result:
    return load.Result(requests=len(latencies_ms), seconds=len(latencies_ms) / rps,
                       latencies=[value / 1000 for value in latencies_ms], server_cpu_ms=cpu_ms)


def test_throughput_ratios_are_the_median_of_each_rounds_ratio() -> None:
    skill = Summary([result(900, [1.0] * 9, 1.0), result(450, [1.0] * 9, 1.0), result(1000, [1.0] * 10, 1.0)])
    hello = Summary([result(1000, [1.0] * 10, 1.0), result(500, [1.0] * 5, 1.0), result(2000, [1.0] * 20, 1.0)])
    # Round ratios 0.9, 0.9 and 0.5: a round disturbed for one target does not decide the figure.
    assert skill.throughput_vs(hello) == pytest.approx(0.9)
    assert skill.rps == 900


def test_the_history_p99_compares_mid_workout_turns_only() -> None:
    def run(every_ms: list[float], mid_ms: list[float]) -> load.Result:
        return load.Result(requests=len(every_ms), seconds=1.0, latencies=[value / 1000 for value in every_ms],
                           mid_latencies=[value / 1000 for value in mid_ms])

    # Both have one slow turn that is not mid-workout (the finish); only mid-workout turns are compared.
    new = Summary([run([1.0] * 99 + [9.0], [1.0] * 98)])
    long = Summary([run([1.1] * 99 + [90.0], [1.1] * 98)])
    assert history_p99(long, new) == pytest.approx(1.1)
    assert long.percentile(0.99) == 90.0


def test_latency_and_cpu_pool_every_round() -> None:
    first = result(100, [1.0] * 99 + [50.0], 2.0)
    second = result(100, [1.0] * 100, 1.0)
    summary = Summary([first, second])
    assert summary.percentile(0.99) == 1.0  # one slow request in 200 is under the 99th percentile
    assert Summary([first]).percentile(0.99) == 50.0
    assert summary.server_cpu_ms == pytest.approx(1.5)
    assert summary.errors == 0


def test_a_compiled_checkout_has_bytecode_for_every_module_and_a_source_one_has_none(tmp_path: Path) -> None:
    compiled, source = cold.checkout(tmp_path, "compiled"), cold.checkout(tmp_path, "source")
    modules = sorted(path.relative_to(compiled) for path in compiled.rglob("*.py"))
    assert Path("skill/app.py") in modules and Path("bench/hello_skill.py") in modules
    for module in modules:
        assert Path(importlib.util.cache_from_source(str(compiled / module))).exists(), module
    assert not list(source.rglob("*.pyc"))
    assert sorted(path.relative_to(source) for path in source.rglob("*.py")) == modules


@pytest.mark.slow  # starts six fresh interpreters
def test_every_target_starts_cold_and_answers_its_first_request(tmp_path: Path) -> None:
    results = cold.cold_starts(1, tmp_path)
    for mode in cold.MODES:
        for target in cold.TARGETS:
            (run,) = results[mode][target]
            assert set(run) == {*cold.STAGES, "cpu"} and all(value > 0 for value in run.values()), (mode, target, run)
    assert len(cold.cold_table(results)) == 2 + len(cold.MODES) * len(cold.TARGETS)


def test_cold_ratios_are_the_median_of_each_runs_ratio() -> None:
    def run(total: float, cpu: float) -> dict[str, float]:
        return {"import": total / 2, "build": total / 4, "first": total / 4, "cpu": cpu}

    skill = [run(1.2, 1.0), run(3.0, 1.0), run(1.1, 1.0)]
    hello = [run(1.0, 1.0), run(1.0, 2.0), run(1.0, 0.5)]
    # Run ratios 1.2, 3.0 (a run disturbed for the skill alone) and 1.1.
    assert cold.ratio(skill, hello) == pytest.approx(1.2)
    assert cold.ratio(skill, hello, "cpu") == pytest.approx(1.0)
    assert cold.median(skill, "total") == pytest.approx(1.2)


def test_in_process_ratios_are_the_median_of_each_rounds_ratio() -> None:
    costs = InProcess({("long", "skill"): [(2.0, 1.0), (3.0, 1.5), (1.0, 0.9)],
                       ("one", "skill"): [(2.0, 1.0), (2.0, 1.0), (2.0, 1.0)]})
    assert costs.best(("long", "skill")) == (1.0, 0.9)
    assert costs.ratio(("long", "skill"), ("one", "skill")) == 1.0, "rounds 1.0, 1.5, 0.5"
    assert costs.ratio(("long", "skill"), ("one", "skill"), mid_workout=True) == 1.0, "rounds 1.0, 1.5, 0.9"
