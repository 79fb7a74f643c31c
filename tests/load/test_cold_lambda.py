"""The Lambda cold-start bench: both entries answer a first launch against DynamoDB in fresh interpreters."""

from __future__ import annotations

import functools
import gc
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from bench import cold
from skill import lambda_function


def test_both_lambda_entries_start_cold_and_answer_a_launch_against_dynamodb(tmp_path: Path) -> None:
    results = cold.lambda_starts(1, tmp_path)
    assert set(results) == {cold.lambda_key(module, mode) for module in cold.LAMBDA_MODULES for mode in cold.LAMBDA_MODES}
    for key, [run] in results.items():
        assert set(run) == {"import", "first", "cpu"} and all(value > 0 for value in run.values()), (key, run)
    table = cold.lambda_table(results)
    assert len(table) == 2 + len(cold.LAMBDA_MODES) * len(cold.LAMBDA_MODULES)
    assert cold.lambda_ratio(results) > 0


def test_the_lambda_ratio_is_the_median_of_each_runs_ratio_and_its_range_is_shown() -> None:
    def runs(*totals: float) -> list[dict[str, float]]:
        return [{"import": total / 2, "first": total / 2, "cpu": total} for total in totals]

    results = {cold.lambda_key("skill.lambda_function", mode): runs(1.2, 1.0, 3.0) for mode in cold.LAMBDA_MODES}
    results |= {cold.lambda_key("bench.hello_dynamodb", mode): runs(1.0, 1.0, 1.0) for mode in cold.LAMBDA_MODES}
    assert cold.lambda_ratio(results) == pytest.approx(1.2)
    assert "1.20 (1.00-3.00)" in cold.lambda_table(results)[2]


def test_as_deployed_is_what_make_lambda_package_compiles(tmp_path: Path) -> None:
    makefile = (cold.REPO / "Makefile").read_text(encoding="utf-8")
    (line,) = [line for line in makefile.splitlines() if line.startswith("LAMBDA_SOURCES :=")]
    assert tuple(line.split(":=")[1].split()) == cold.DEPLOYED_PACKAGES
    assert "--invalidation-mode unchecked-hash" in makefile
    code = cold.checkout(tmp_path, "deployed")
    for module in ("skill/lambda_function.py", "intents/registry.py", "bench/hello_dynamodb.py"):
        pyc = Path(importlib.util.cache_from_source(str(code / module))).read_bytes()
        assert int.from_bytes(pyc[4:8], "little") == 0b01, f"{module}: not unchecked-hash"
        assert pyc[8:16] == importlib.util.source_hash((code / module).read_bytes())
    assert not list((code / "audio").rglob("*.pyc")), "only what the zip ships"


def test_the_first_event_runs_with_the_garbage_collector_paused_and_later_events_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collecting: list[bool] = []
    made: list[object] = []

    @functools.cache
    def container_handler() -> lambda_function.LambdaHandler:
        collecting.append(gc.isenabled())  # the build

        def entry(event: dict[str, Any], context: Any, arrived: float | None = None) -> dict[str, Any]:
            collecting.append(gc.isenabled())
            made.append([made])  # a list, which the collector tracks
            if event.get("fail"):
                raise RuntimeError("the first event failed")
            return {"response": {}}

        return entry

    monkeypatch.setattr(lambda_function, "container_handler", container_handler)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        lambda_function.handler({"fail": True}, None)
    assert collecting == [False, False] and gc.isenabled(), "paused for the cold start, back even after a failure"
    assert gc.get_freeze_count() == 0, "nothing stays frozen"
    assert any(thing is made[0] for thing in gc.get_objects(generation=2)), "what it made is in the oldest generation"
    assert lambda_function.handler({}, None) == {"response": {}}
    assert collecting == [False, False, True]
