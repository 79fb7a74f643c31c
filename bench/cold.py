"""Cold start: a fresh interpreter imports an app, builds it and answers its first request.

    python -m bench.cold [--runs 7]      # cold starts only (about half a minute)
    python -m bench.cold --lambda-only   # the Lambda entries only

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

The Lambda entries run each run a new user's first LaunchRequest against DynamoDB (a moto server
on loopback): the skill's entry against the hello-world ASK SDK Lambda with DynamoDB persistence
(``bench.hello_dynamodb``), loaded two ways:

- ``deployed``: as the Lambda zip ships them: ``make lambda-package`` compiles the packaged
  modules (``DEPLOYED_PACKAGES``) into unchecked-hash bytecode, loaded without reading the
  source. The hello-world's two modules get the same, so both sides ship bytecode; the SDK under
  both compiles from source, as serverless-python-requirements' ``slim`` drops its bytecode.
- ``source``: no bytecode for the project's modules, as the zip shipped before, and as any
  interpreter other than the runtime's would load the zip (a pyc's name carries the tag of the
  interpreter that compiled it; any other ignores it).

Their table gives the range of the runs' ratios beside the median, as the noise of the machine.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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
    handler = sys.modules[module].lambda_handler
answer = handler(event, None)
assert "response" in answer, answer
answered = time.perf_counter()
print(json.dumps({"import": imported - started, "first": answered - imported, "cpu": time.process_time() - cpu}))
"""
# The skill's Lambda entry, and the hello-world ASK SDK Lambda with DynamoDB persistence.
LAMBDA_MODULES = ("skill.lambda_function", "bench.hello_dynamodb")
# ``deployed`` is the zip as `make lambda-package` builds it (unchecked-hash bytecode); ``source`` the zip
# without bytecode.
LAMBDA_MODES = ("deployed", "source")
# The packages `make lambda-package` compiles (its LAMBDA_SOURCES), and the hello-world's, like for like.
DEPLOYED_PACKAGES = ("skill", "intents")
HELLO_PACKAGES = ("bench",)

Runs = dict[str, list[dict[str, float]]]


def checkout(scratch: Path, mode: str) -> Path:
    """A copy of the project's packages, with every module's bytecode (``compiled``), the Lambda zip's
    unchecked-hash bytecode of the deployed packages and the hello-world's (``deployed``), or none (``source``)."""
    folder = scratch / f"code-{mode}"
    for package in PACKAGES:
        shutil.copytree(REPO / package, folder / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if mode == "compiled":
        compileall.compile_dir(folder, quiet=1)
    elif mode == "deployed":
        for package in (*DEPLOYED_PACKAGES, *HELLO_PACKAGES):
            compileall.compile_dir(folder / package, quiet=1, force=True,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
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
    """The Lambda entries' runs, as the Lambda package ships them and from sources, each a first launch
    of a new user against DynamoDB (a moto server on loopback, started here), interleaved."""
    from skill.local import envelopes
    from skill.local.envelopes import Caller
    from tests.aws_fixtures import aws_test_environment

    codes = {mode: scratch / f"code-{mode}" for mode in LAMBDA_MODES}
    for mode, code in codes.items():
        if not code.exists():
            checkout(scratch, mode)
    with dynamodb_server(scratch) as (endpoint, environment):
        tables = make_tables(endpoint, environment, ("live", "log", "hello"))
        env = {**environment, **aws_test_environment(scratch), "LEGDAY_STORE": "dynamodb",
               "LEGDAY_DYNAMODB_ENDPOINT": endpoint, "LEGDAY_DYNAMODB_TABLE": tables["live"],
               "LEGDAY_DYNAMODB_LOG_TABLE": tables["log"], "HELLO_DYNAMODB_ENDPOINT": endpoint,
               "HELLO_DYNAMODB_TABLE": tables["hello"]}
        results: Runs = {lambda_key(module, mode): [] for mode in LAMBDA_MODES for module in LAMBDA_MODULES}
        for run in range(runs):
            for mode in LAMBDA_MODES:
                for module in LAMBDA_MODULES:
                    caller = Caller(user_id=f"amzn1.ask.account.BENCH-COLD-{module}-{mode}-{run}")
                    event = json.dumps(envelopes.envelope(caller, envelopes.launch_request()))
                    results[lambda_key(module, mode)].append(fresh(codes[mode], LAMBDA_SCRIPT, module, event, env=env))
    return results


def lambda_key(module: str, mode: str) -> str:
    return f"{module} ({mode})"


@contextlib.contextmanager
def dynamodb_server(scratch: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A DynamoDB-compatible server (moto, as the tests run it) on loopback, and the dummy AWS settings."""
    from tests.aws_fixtures import MOTO_SERVER, aws_test_environment

    environment = aws_test_environment(scratch)
    server = subprocess.Popen([sys.executable, "-c", MOTO_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env={**os.environ, **environment})
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{int(server.stdout.readline())}", environment
    finally:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.close()
        server.wait(timeout=10)
        server.stdout.close()


def make_tables(endpoint: str, environment: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """Tables keyed as serverless.yml keys them (``log`` with a sort key); name -> table name."""
    import botocore.session

    session = botocore.session.get_session()
    client = session.create_client("dynamodb", region_name=environment["AWS_REGION"], endpoint_url=endpoint,
                                   aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
                                   aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"])
    tables = {}
    for name in names:
        keys = ("id", "sk") if name == "log" else ("id",)
        tables[name] = f"bench-cold-{name}"
        client.create_table(
            TableName=tables[name], BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": key, "KeyType": kind} for key, kind in zip(keys, ("HASH", "RANGE"))],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
        )
    return tables


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


def spread(runs: list[dict[str, float]], baseline: list[dict[str, float]], key: str = "total") -> str:
    """The runs' ratios as "lowest-highest" (the noise around the median)."""
    pick = total if key == "total" else (lambda run: run[key])
    ratios = sorted(pick(mine) / pick(theirs) for mine, theirs in zip(runs, baseline))
    return f"{ratios[0]:.2f}-{ratios[-1]:.2f}"


LAMBDA_BYTECODE = {"deployed": "unchecked-hash (as deployed)", "source": "none (the zip before)"}


def lambda_table(results: Runs) -> list[str]:
    """The Lambda entries' table (a first launch against DynamoDB), with the ratio's spread."""
    rows = ["| Lambda entry (fresh interpreter, DynamoDB) | project bytecode | import ms | first event ms | total ms "
            "| CPU ms | vs hello-world (runs' range) | CPU vs hello-world (range) |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for mode in LAMBDA_MODES:
        hello = results[lambda_key(LAMBDA_MODULES[1], mode)]
        for module in LAMBDA_MODULES:
            runs = results[lambda_key(module, mode)]
            rows.append(f"| {module} | {LAMBDA_BYTECODE[mode]} | "
                        f"{median(runs, 'import') * 1000:.0f} | {median(runs, 'first') * 1000:.0f} | "
                        f"{median(runs, 'total') * 1000:.0f} | {median(runs, 'cpu') * 1000:.0f} | "
                        f"{ratio(runs, hello):.2f} ({spread(runs, hello)}) | "
                        f"{ratio(runs, hello, 'cpu'):.2f} ({spread(runs, hello, 'cpu')}) |")
    return rows


def lambda_ratio(results: Runs, mode: str = "deployed", key: str = "total") -> float:
    """The skill's Lambda cold start against the hello-world's (median of the runs' ratios)."""
    return ratio(results[lambda_key(LAMBDA_MODULES[0], mode)], results[lambda_key(LAMBDA_MODULES[1], mode)], key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per target and mode (default 7)")
    parser.add_argument("--lambda-only", action="store_true", help="measure the Lambda entries only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="legday-cold-") as scratch_name:
        scratch = Path(scratch_name)
        cold = {} if args.lambda_only else cold_starts(args.runs, scratch)
        lambdas = lambda_starts(args.runs, scratch)
    print("\n".join([*(cold_table(cold) + [""] if cold else []), *lambda_table(lambdas)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
