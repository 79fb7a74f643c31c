"""Cold start: a fresh interpreter imports an app, builds it and answers its first request.

    python -m bench.cold [--runs 7]      # cold starts only (about half a minute)

Every target is started in fresh interpreters, in interleaved runs (so drift in the machine's
load reaches every target alike), from a copy of the project's packages in a scratch folder,
loaded two ways:

- ``compiled``: every module has its bytecode, as on a machine where the project was installed
  with pip (which compiles what it installs) or has run once. The SDK, Flask and the other
  installed packages always have theirs, for every target, so this is the like-for-like figure
  and the one the target holds.
- ``source``: the project's own modules are compiled from source on every start, as where bytecode
  is never written (``PYTHONDONTWRITEBYTECODE=1``, a read-only file system, a zip of sources such
  as the Lambda package). The hello-world skill's one small module compiles too; the SDK under
  it does not.

Each stage is wall time (median of the runs); CPU is the interpreter's own CPU time over all
three stages, which a busy machine disturbs much less. A ratio to the hello-world skill is the
median of the runs' ratios.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("skill", "hello", "flask")
PACKAGES = ("skill", "intents", "audio", "bench")
MODES = ("compiled", "source")
STAGES = ("import", "build", "first")

COLD_SCRIPT = """
import json, sys, time
started, cpu = time.perf_counter(), time.process_time()
target, data_dir, body = sys.argv[1], sys.argv[2], sys.argv[3]
if target == "skill":
    import skill.app
elif target == "hello":
    from bench import oscrypto_compat
    oscrypto_compat.install()
    import flask, ask_sdk_webservice_support.webservice_handler, ask_sdk_core.skill_builder
else:
    import flask
imported = time.perf_counter()
import os
os.environ["LEGDAY_DATA_DIR"] = data_dir
from bench.apps import make
app = make(target)
built = time.perf_counter()
answer = app.test_client().post("/alexa", data=body, content_type="application/json")
assert answer.status_code == 200, answer.get_data(as_text=True)
answered = time.perf_counter()
print(json.dumps({"import": imported - started, "build": built - imported, "first": answered - built,
                  "cpu": time.process_time() - cpu}))
"""

LAMBDA_SCRIPT = """
import json, sys, time
started, cpu = time.perf_counter(), time.process_time()
module = sys.argv[1]
__import__(module)
imported = time.perf_counter()
event = json.loads(sys.argv[2])
if module == "skill.lambda_function":
    from skill.lambda_function import handler
else:
    from bench.hello_skill import lambda_handler as handler
answer = handler(event, None)
assert "response" in answer, answer
answered = time.perf_counter()
print(json.dumps({"import": imported - started, "first": answered - imported, "cpu": time.process_time() - cpu}))
"""
LAMBDA_MODULES = ("skill.lambda_function", "bench.hello_skill")

Runs = dict[str, list[dict[str, float]]]


def checkout(scratch: Path, mode: str) -> Path:
    """A copy of the project's packages, with every module's bytecode (``compiled``) or none (``source``)."""
    folder = scratch / f"code-{mode}"
    for package in PACKAGES:
        shutil.copytree(REPO / package, folder / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if mode == "compiled":
        compileall.compile_dir(folder, quiet=1)
    return folder


def fresh(code: Path, script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``script`` in a fresh interpreter over the packages in ``code``; its last line of JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=code, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def launch_body() -> str:
    from skill.local import envelopes
    from skill.local.envelopes import Caller

    return json.dumps(envelopes.envelope(Caller(user_id="amzn1.ask.account.BENCH-COLD"), envelopes.launch_request()))


def cold_starts(runs: int, scratch: Path) -> dict[str, Runs]:
    """Every target's runs, for each mode."""
    body = launch_body()
    results: dict[str, Runs] = {}
    for mode in MODES:
        code = checkout(scratch, mode)
        results[mode] = {target: [] for target in TARGETS}
        for run in range(runs):
            for target in TARGETS:
                data_dir = scratch / f"cold-{mode}-{target}-{run}"
                results[mode][target].append(fresh(code, COLD_SCRIPT, target, str(data_dir), body))
    return results


def lambda_starts(runs: int, scratch: Path) -> Runs:
    """The Lambda entries' runs, from sources as the Lambda package ships them."""
    code = scratch / "code-source"
    if not code.exists():
        code = checkout(scratch, "source")
    event = launch_body()
    # The skill's Lambda keeps progress in DynamoDB; for a local first event, SQLite stands in.
    env = {"LEGDAY_STORE": "sqlite", "LEGDAY_DATA_DIR": str(scratch / "lambda")}
    results: Runs = {module: [] for module in LAMBDA_MODULES}
    for _ in range(runs):
        for module in LAMBDA_MODULES:
            results[module].append(fresh(code, LAMBDA_SCRIPT, module, event, env=env))
    return results


def total(run: dict[str, float]) -> float:
    return sum(run[stage] for stage in STAGES if stage in run)


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(total(run) if key == "total" else run[key] for run in runs)


def ratio(runs: list[dict[str, float]], baseline: list[dict[str, float]], key: str = "total") -> float:
    """The median of the runs' ratios (run i of each target ran back to back)."""
    pick = total if key == "total" else (lambda run: run[key])
    return statistics.median(pick(mine) / pick(theirs) for mine, theirs in zip(runs, baseline))


def cold_table(results: dict[str, Runs]) -> list[str]:
    """The cold-start table, one row per mode and target."""
    rows = ["| cold start (fresh interpreter) | bytecode | import ms | build ms | first answer ms | total ms "
            "| CPU ms | vs hello | CPU vs hello |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for mode, runs in results.items():
        for target in TARGETS:
            mine, hello = runs[target], runs["hello"]
            stages = " | ".join(f"{median(mine, stage) * 1000:.0f}" for stage in STAGES)
            rows.append(f"| {target} | {mode} | {stages} | {median(mine, 'total') * 1000:.0f} | "
                        f"{median(mine, 'cpu') * 1000:.0f} | {ratio(mine, hello):.2f} | {ratio(mine, hello, 'cpu'):.2f} |")
    return rows


def lambda_table(results: Runs) -> list[str]:
    """The Lambda entries' table (from sources)."""
    hello = results["bench.hello_skill"]
    rows = ["| Lambda entry (fresh interpreter, from sources) | import ms | first event ms | total ms | CPU ms "
            "| vs hello-world |",
            "|---|---:|---:|---:|---:|---:|"]
    for module, runs in results.items():
        rows.append(f"| import {module} | {median(runs, 'import') * 1000:.0f} | {median(runs, 'first') * 1000:.0f} | "
                    f"{median(runs, 'total') * 1000:.0f} | {median(runs, 'cpu') * 1000:.0f} | {ratio(runs, hello):.2f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per target and mode (default 7)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="legday-cold-") as scratch_name:
        scratch = Path(scratch_name)
        cold = cold_starts(args.runs, scratch)
        lambdas = lambda_starts(args.runs, scratch)
    print("\n".join([*cold_table(cold), "", *lambda_table(lambdas)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
