"""Benchmark the skill against two baselines, in one go, on the same WSGI server settings.

    python -m bench.run              # about five and a half minutes on two cores
    python -m bench.run --quick      # a rough look in about two minutes

Targets: ``skill`` (Leg Day Coach, its progress saved on every turn that changes it), ``hello`` (the
hello-world ASK SDK skill behind the SDK's WebserviceSkillHandler) and ``flask`` (a bare route
that parses the JSON and returns a canned response); beside them, for the turn, ``hello_saving``
(the hello-world saving its attributes on every request, ``bench.hello_saving``). All are served
by gunicorn exactly as ``legday serve`` runs it, warmed up, then driven in interleaved rounds by
the same closed-loop client on 127.0.0.1. Reported: requests per second and p50/p99 latency for a
launch and for a mid-workout turn (and for the turn one user at a time); cold start in a
fresh interpreter (import, build, first answer; with the project's bytecode and from its sources,
see ``bench.cold``); the Lambda entry's cold start; and the skill's ratios against each baseline,
with the targets it is held to. For the skill alone, in the same rounds: the same workout turns
by new users (a new account for every workout), by users whose log held one finished workout and
by users whose store already holds 1,000 finished workouts (``bench.history``), under load and in
process, and the store calls of every
turn of a workout on SQLite and DynamoDB (``bench.store_calls``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import cold, history, load, store_calls

if TYPE_CHECKING:
    from flask import Flask

REPO = Path(__file__).resolve().parents[1]
TARGETS = cold.TARGETS
# Throughput at least 90% of hello-world's, p99 at most 110%, cold start (with bytecode) at most 1.3x.
THROUGHPUT_TARGET, P99_TARGET, COLD_TARGET = 0.90, 1.10, 1.3
# A long history costs a mid-workout turn at most 5% more than a new user's (p99, CPU in process), and
# takes at most 5% off the throughput of whole workouts.
HISTORY_TARGET = 1.05
# The virtual user measured in process.
IN_PROCESS_USER = 99
# The turn is also driven by one virtual user at a time (no request waits for another), on the skill
# and the hello-world: against the saturated figures, what the turn's own work costs apart from what
# running it beside other requests adds (see docs/performance.md, Round 10). Reported, not held.
ALONE = "turn, one user"
# The hello-world that saves its attributes on every request (``bench.hello_saving``), served beside
# the targets and driven through the turn: the cost of one durable write per turn on this stack alone.
# Reported, not held.
SAVING = "hello_saving"
SERVED = (*TARGETS, SAVING)
# Unmeasured seconds at the start of every run, while the virtual users connect.
RUN_SETTLE = 0.3


@dataclass(frozen=True)
class Options:
    workers: int
    threads: int
    concurrency: int
    warmup: float
    duration: float
    rounds: int
    cold_runs: int


# --- serving ---------------------------------------------------------------------------------------


def python_path() -> str:
    """The repository first, then whatever PYTHONPATH already held."""
    return os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """One target under gunicorn in a subprocess, stopped by its own pid."""

    def __init__(self, target: str, options: Options, data_dir: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_LOG_LEVEL": "WARNING",
               "PYTHONPATH": python_path()}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.apps", target, str(self.port), str(options.workers), str(options.threads)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def __enter__(self) -> Served:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode() if self.process.stderr else ''}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's worker processes (Linux /proc; NaN elsewhere)."""
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total = 0.0
        try:
            entries = os.listdir("/proc")
        except OSError:
            return float("nan")
        for entry in entries:
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == self.process.pid:  # a worker forked by this server's arbiter
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


def serve_and_measure(options: Options, scratch: Path) -> dict[tuple[str, str], list[load.Result]]:
    """Each scenario on each target, in interleaved rounds.

    All three targets are served at once (an idle server costs nothing) and warmed up on every
    scenario before anything is measured: a server's first seconds measured slow here, whatever it
    served. Then every round runs each scenario on each target back
    to back, starting with a different target each round, so drift in the machine's load reaches
    every target alike and each round's ratios compare like with like.
    """
    measured: dict[tuple[str, str], list[load.Result]] = {}
    history.seed_bench_users(scratch / "data-skill", range(options.concurrency))
    with ExitStack() as stack:
        servers = {target: stack.enter_context(Served(target, options, scratch / f"data-{target}"))
                   for target in SERVED}
        runs = [(scenario, target) for target in TARGETS for scenario in load.SCENARIOS] + [("turn", SAVING)]
        runs += [(scenario, "skill") for scenario in load.HISTORY_SCENARIOS]
        for scenario, target in runs:
            load.run(servers[target].port, scenario, concurrency=options.concurrency, warmup=options.warmup,
                     duration=0)
        alone_targets = ("skill", "hello")
        for round_number in range(options.rounds):
            order = TARGETS[round_number % len(TARGETS):] + TARGETS[:round_number % len(TARGETS)]
            runs = [(scenario, target) for scenario in load.SCENARIOS for target in order]
            runs.insert(runs.index(("turn", order[round_number % 2])), ("turn", SAVING))
            # The long-history pair on the skill, first one, then the other.
            runs += [(scenario, "skill") for scenario in
                     sorted(load.HISTORY_SCENARIOS, reverse=bool(round_number % 2))]
            runs += [(ALONE, target) for target in
                     (alone_targets if round_number % 2 == 0 else alone_targets[::-1])]
            for scenario, target in runs:
                server = servers[target]
                alone = scenario == ALONE
                result = load.run(server.port, "turn" if alone else scenario,
                                  concurrency=1 if alone else options.concurrency, warmup=RUN_SETTLE,
                                  duration=options.duration, server_cpu=server.cpu_seconds)
                measured.setdefault((scenario, target), []).append(result)
                print(f"  round {round_number + 1}: {target:5} {scenario:14} {result.rps:7.0f} req/s"
                      f"  p50 {result.percentile(0.5):6.2f} ms  p99 {result.percentile(0.99):6.2f} ms"
                      f"  server CPU {result.server_cpu_ms:5.2f} ms/req  errors {result.errors}", flush=True)
    return measured


# --- in process ------------------------------------------------------------------------------------


def wsgi_caller(app: Flask) -> Callable[[bytes], dict[str, Any]]:
    """A function that posts a body to ``app``'s WSGI entry, with no HTTP, and returns the answer."""
    from werkzeug.test import EnvironBuilder

    def call(body: bytes) -> dict[str, Any]:
        environ = EnvironBuilder(method="POST", path="/alexa", data=body,
                                 content_type="application/json").get_environ()
        status: list[str] = []
        raw = b"".join(app.wsgi_app(environ, lambda code, headers: status.append(code)))
        assert status[0].startswith("200"), raw[:200]
        return json.loads(raw)

    return call


class InProcessUser:
    """One virtual user calling an app in process."""

    def __init__(self, app: Flask, user: load.VirtualUser) -> None:
        self.call, self.user = wsgi_caller(app), user
        self.last: dict[str, Any] | None = None
        for _ in range(100):  # warm caches and put the user's state in place
            self.last = self.call(self.user.next_body(self.last))

    def batch(self, requests: int) -> tuple[float, float]:
        """CPU milliseconds per request over ``requests`` requests: of them all, and of the
        mid-workout turns among them (NaN if none)."""
        spent, mid, mid_turns = 0.0, 0.0, 0
        for _ in range(requests):
            body = self.user.next_body(self.last)
            started = time.process_time()
            self.last = self.call(body)
            cpu = time.process_time() - started
            spent += cpu
            if self.user.mid_workout:
                mid, mid_turns = mid + cpu, mid_turns + 1
        return spent / requests * 1000, mid / mid_turns * 1000 if mid_turns else float("nan")


# Batches per scenario in process: every scenario takes one in turn, so each round compares like with like.
IN_PROCESS_BATCHES = 7


@dataclass(frozen=True)
class InProcess:
    """CPU milliseconds per request in process, per scenario and target: one (every request,
    mid-workout turns) pair per batch, the batches of a round taken one after another."""

    batches: dict[tuple[str, str], list[tuple[float, float]]]

    def best(self, key: tuple[str, str]) -> tuple[float, float]:
        """The cheapest batch's figures (of every request, of mid-workout turns): the app's own cost
        with the least of the machine's noise in it."""
        values = self.batches[key]
        return min(every for every, _ in values), min(mid for _, mid in values)

    def ratio(self, mine: tuple[str, str], theirs: tuple[str, str], *, mid_workout: bool = False) -> float:
        """The median over rounds of ``mine``'s cost against ``theirs``' in the same round (for two
        scenarios of one app, whose batches alternate): a ratio of two best-of figures swings with
        whichever batch happened to be quiet (0.95 to 1.19 in three runs of the same code)."""
        index = 1 if mid_workout else 0
        return statistics.median(a[index] / b[index] for a, b in zip(self.batches[mine], self.batches[theirs]))


def in_process(scratch: Path, requests: int, rounds: int = IN_PROCESS_BATCHES) -> InProcess:
    """CPU milliseconds per request with no HTTP and no client in the way: the app's own cost, of
    every request and of the mid-workout turns among them.

    The same virtual users call each app's WSGI entry directly, one request at a time, in
    ``rounds`` rounds of one batch per scenario. A steadier figure than throughput on a busy
    machine. Every scenario takes its turn batch by batch, so drift reaches each alike (the
    skill's new, one-workout and long-history users included).
    """
    from bench.apps import make

    batches: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for target in SERVED:
        data_dir = scratch / f"inprocess-{target}"
        os.environ["LEGDAY_DATA_DIR"] = str(data_dir)
        scenarios = dict(load.SCENARIOS)
        if target == "skill":
            history.seed_bench_users(data_dir, [IN_PROCESS_USER])
            scenarios.update(load.HISTORY_SCENARIOS)
        app = make(target)
        users = {scenario: InProcessUser(app, make_user(IN_PROCESS_USER)) for scenario, make_user in scenarios.items()}
        for _ in range(rounds):
            for scenario, user in users.items():
                batches.setdefault((scenario, target), []).append(user.batch(requests))
    return InProcess(batches)


# --- report ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One target on one scenario over every round: throughput is the median round's; latency and
    CPU pool every round's requests (a p99 from one short run rests on a few dozen requests)."""

    rounds: list[load.Result]

    @property
    def rps(self) -> float:
        return statistics.median(result.rps for result in self.rounds)

    def percentile(self, fraction: float, *, mid_workout: bool = False) -> float:
        return load.percentile([value for result in self.rounds
                                for value in (result.mid_latencies if mid_workout else result.latencies)], fraction)

    @property
    def server_cpu_ms(self) -> float:
        requests = sum(result.requests for result in self.rounds)
        return sum(result.server_cpu_ms * result.requests for result in self.rounds) / requests if requests else 0.0

    @property
    def errors(self) -> int:
        return sum(result.errors for result in self.rounds)

    def throughput_vs(self, baseline: Summary) -> float:
        """The median of the rounds' throughput ratios: each round compares runs made seconds apart."""
        return statistics.median(mine.rps / theirs.rps for mine, theirs in zip(self.rounds, baseline.rounds))


# The history comparisons: (the users compared, against whom, what the ratio shows).
HISTORY_PAIRS = (("long", "one", "long history vs one workout (the history's own cost)"),
                 ("long", "new", "long history vs new (the history's and the coaching's)"))


def history_table(summaries: dict[tuple[str, str], Summary],
                  costs: InProcess) -> list[str]:
    """The skill's whole workouts by new users, by users with one workout and by users with a long
    history, and the ratios between them."""
    rows = ["| skill: the same workouts by | req/s | p50 ms | p99 ms | p99 mid-workout ms | server CPU ms/req "
            "| errors | CPU ms/req in process | CPU ms per mid-workout turn in process |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scenario, who in (("new", "new users"), ("one", "users with 1 workout logged"),
                          ("long", f"users with {history.LONG_HISTORY} workouts logged")):
        result, (every, mid) = summaries[(scenario, "skill")], costs.best((scenario, "skill"))
        rows.append(f"| {who} | {result.rps:.0f} | {result.percentile(0.5):.2f} | {result.percentile(0.99):.2f} | "
                    f"{result.percentile(0.99, mid_workout=True):.2f} | {result.server_cpu_ms:.2f} | {result.errors} | "
                    f"{every:.3f} | {mid:.3f} |")
    for mine, theirs, label in HISTORY_PAIRS:
        long, base = summaries[(mine, "skill")], summaries[(theirs, "skill")]
        rows.append(f"| {label} | {long.throughput_vs(base):.3f} | "
                    f"{long.percentile(0.5) / base.percentile(0.5):.3f} | "
                    f"{long.percentile(0.99) / base.percentile(0.99):.3f} | "
                    f"{history_p99(long, base):.3f} | {long.server_cpu_ms / base.server_cpu_ms:.3f} | | "
                    f"{costs.ratio((mine, 'skill'), (theirs, 'skill')):.3f} | "
                    f"{costs.ratio((mine, 'skill'), (theirs, 'skill'), mid_workout=True):.3f} |")
    return rows


def history_p99(long: Summary, base: Summary) -> float:
    """The long-history users' p99 of mid-workout turns against the other users'."""
    return long.percentile(0.99, mid_workout=True) / base.percentile(0.99, mid_workout=True)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4, as legday serve)")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users at once (default 8)")
    parser.add_argument("--duration", type=float, default=3.0, help="measured seconds per run (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds over all targets (default 5)")
    parser.add_argument("--quick", action="store_true", help="two short rounds: a rough look")
    args = parser.parse_args(argv)
    options = Options(
        workers=args.workers, threads=args.threads, concurrency=args.concurrency,
        warmup=1.0 if args.quick else 2.0, duration=1.5 if args.quick else args.duration,
        rounds=2 if args.quick else args.rounds, cold_runs=3 if args.quick else 5,
    )
    began = time.perf_counter()
    print(f"gunicorn gthread, {options.workers} workers x {options.threads} threads; {options.concurrency} "
          f"virtual users; {options.warmup:g} s warm-up per scenario, then {options.rounds} interleaved rounds of "
          f"{options.duration:g} s runs; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}", flush=True)

    with tempfile.TemporaryDirectory(prefix="legday-bench-") as scratch_name:
        scratch = Path(scratch_name)
        calls = store_calls.measure()
        measured = serve_and_measure(options, scratch)
        cold_runs = cold.cold_starts(options.cold_runs, scratch)
        lambdas = cold.lambda_starts(options.cold_runs, scratch)
        costs = in_process(scratch, 150 if args.quick else 500, 3 if args.quick else IN_PROCESS_BATCHES)

    print()
    print("| scenario | target | req/s | p50 ms | p99 ms | server CPU ms/req | errors | req/s vs hello | p99 vs hello "
          "| CPU/req vs hello | req/s vs flask |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses = 0
    summaries = {key: Summary(results) for key, results in measured.items()}
    for scenario in [*load.SCENARIOS, ALONE]:
        hello, flask = summaries[(scenario, "hello")], summaries.get((scenario, "flask"))
        for target in SERVED:
            if (result := summaries.get((scenario, target))) is None:
                continue
            ratios = (f"{result.throughput_vs(hello):.2f} | {result.percentile(0.99) / hello.percentile(0.99):.2f} | "
                      f"{result.server_cpu_ms / hello.server_cpu_ms:.2f} | "
                      + (f"{result.throughput_vs(flask):.2f}" if flask else ""))
            print(f"| {scenario} | {target} | {result.rps:.0f} | {result.percentile(0.5):.2f} | "
                  f"{result.percentile(0.99):.2f} | {result.server_cpu_ms:.2f} | {result.errors} | {ratios} |")
            misses += result.errors > 0
    print()
    print("| in process, CPU ms per request (no HTTP) | skill | hello | flask | hello_saving | skill vs hello "
          "| skill vs hello_saving |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for scenario in load.SCENARIOS:
        skill, hello, flask, saving = (costs.best((scenario, target))[0] for target in SERVED)
        print(f"| {scenario} | {skill:.3f} | {hello:.3f} | {flask:.3f} | {saving:.3f} | {skill / hello:.2f} "
              f"| {skill / saving:.2f} |")
    print()
    print("\n".join(history_table(summaries, costs)))
    print()
    print("\n".join([*cold.cold_table(cold_runs), "", *cold.lambda_table(lambdas)]))
    print()
    print(f"Store calls per turn, one whole workout in process:\n{calls.report()}")
    print()
    for scenario in load.SCENARIOS:
        skill, hello = summaries[(scenario, "skill")], summaries[(scenario, "hello")]
        throughput = skill.throughput_vs(hello)
        p99 = skill.percentile(0.99) / hello.percentile(0.99)
        misses += (throughput < THROUGHPUT_TARGET) + (p99 > P99_TARGET)
        print(f"target {scenario}: throughput {throughput:.2f}x hello (>= {THROUGHPUT_TARGET}) "
              f"{verdict(throughput >= THROUGHPUT_TARGET)}; p99 {p99:.2f}x hello (<= {P99_TARGET}) "
              f"{verdict(p99 <= P99_TARGET)}")
    for mine, theirs, label in HISTORY_PAIRS:
        long, base = summaries[(mine, "skill")], summaries[(theirs, "skill")]
        throughput, p99 = long.throughput_vs(base), history_p99(long, base)
        cpu = costs.ratio((mine, "skill"), (theirs, "skill"), mid_workout=True)
        history_ok = {"throughput": throughput >= 2 - HISTORY_TARGET, "p99": p99 <= HISTORY_TARGET,
                      "cpu": cpu <= HISTORY_TARGET}
        misses += sum(not ok for ok in history_ok.values()) + (long.errors + base.errors > 0)
        print(f"target {label}: throughput {throughput:.3f}x (>= {2 - HISTORY_TARGET:.2f}) "
              f"{verdict(history_ok['throughput'])}; mid-workout p99 {p99:.3f}x (<= {HISTORY_TARGET}) "
              f"{verdict(history_ok['p99'])}; CPU per mid-workout turn in process {cpu:.3f}x "
              f"(<= {HISTORY_TARGET}) {verdict(history_ok['cpu'])}")
    skill, saving = summaries[("turn", "skill")], summaries[("turn", SAVING)]
    print(f"reported: the turn against the hello-world that saves on every request: throughput "
          f"{skill.throughput_vs(saving):.2f}x, p99 {skill.percentile(0.99) / saving.percentile(0.99):.2f}x; "
          f"one user at a time, against the hello-world: throughput "
          f"{summaries[(ALONE, 'skill')].throughput_vs(summaries[(ALONE, 'hello')]):.2f}x, p99 "
          f"{summaries[(ALONE, 'skill')].percentile(0.99) / summaries[(ALONE, 'hello')].percentile(0.99):.2f}x")
    misses += not calls.met
    print(f"target store calls per turn: at most 1 read and 1 write, none read by a worker holding the revision "
          f"{verdict(calls.met)}")
    compiled = cold_runs["compiled"]
    cold_ratio = cold.ratio(compiled["skill"], compiled["hello"])
    misses += cold_ratio > COLD_TARGET
    print(f"target cold start: {cold_ratio:.2f}x hello with bytecode (<= {COLD_TARGET}) {verdict(cold_ratio <= COLD_TARGET)}"
          f"; from sources {cold.ratio(cold_runs['source']['skill'], cold_runs['source']['hello']):.2f}x")
    print(f"\n(benchmark took {time.perf_counter() - began:.0f} s)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
