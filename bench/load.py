"""A closed-loop HTTP load generator: virtual users on keep-alive connections, each waiting for its answer.

Every target gets the very same request schedule, so the figures differ only by what the server
does with a request. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from skill.content import load_content
from skill.local import envelopes
from skill.local.envelopes import Caller
from skill.local.nlu import SlotMatch
from skill.workout.plan import PlanOptions, build_plan

# The longest plan, so a "mid-workout turn" run spends its time in the middle of a workout.
TURN_OPTIONS = PlanOptions(level="advanced", length=45, equipment="barbell")


class VirtualUser:
    """Produces the next request body from the last response; the schedule never depends on the target."""

    # Whether the body last produced is a mid-workout turn (neither the workout's start nor its last set).
    mid_workout = False

    def next_body(self, last_response: dict[str, Any] | None) -> bytes:
        raise NotImplementedError


class Launcher(VirtualUser):
    """"Alexa, open Leg Day Coach", again and again, each time a new session of the same person."""

    def __init__(self, number: int) -> None:
        self.caller = Caller(user_id=f"amzn1.ask.account.BENCH-LAUNCH-{number:03d}")

    def next_body(self, last_response: dict[str, Any] | None) -> bytes:
        self.caller.start_session()
        return json.dumps(envelopes.envelope(self.caller, envelopes.launch_request())).encode()


class Trainee(VirtualUser):
    """Starts the longest workout, says "done" after every set until it is over, and starts again."""

    # Who the virtual users are; each kind of trainee is its own accounts.
    ACCOUNT = "BENCH-TURN"

    def __init__(self, number: int) -> None:
        self.number = number
        self.caller = Caller(user_id=self.user_id(number))
        self.sets = sum(item.sets for item in build_plan(TURN_OPTIONS, load_content()))
        self.step = 0
        slots = {
            "level": SlotMatch("level", TURN_OPTIONS.level, "LEVEL", TURN_OPTIONS.level),
            "length": SlotMatch("length", str(TURN_OPTIONS.length), "WORKOUT_LENGTH", str(TURN_OPTIONS.length)),
            "equipment": SlotMatch("equipment", TURN_OPTIONS.equipment, "EQUIPMENT", TURN_OPTIONS.equipment),
        }
        self.start = envelopes.intent_request("StartWorkoutIntent", slots, ("level", "length", "equipment"))
        self.done = envelopes.intent_request("SetDoneIntent")

    def next_body(self, last_response: dict[str, Any] | None) -> bytes:
        position = self.step % (self.sets + 1)
        self.step += 1
        self.mid_workout = 0 < position < self.sets
        if position == 0:
            self.begin()
            request = self.start
        else:
            self.caller.new_session = False
            self.caller.attributes = (last_response or {}).get("sessionAttributes") or {}
            request = self.done
        return json.dumps(envelopes.envelope(self.caller, request)).encode()

    @classmethod
    def user_id(cls, number: int) -> str:
        """Virtual user ``number``'s account."""
        return f"amzn1.ask.account.{cls.ACCOUNT}-{number:03d}"

    def begin(self) -> None:
        """A new session, to start the next workout."""
        self.caller.start_session()


class Newcomer(Trainee):
    """A trainee who is new for every workout: each starts under an account the store has never seen."""

    ACCOUNT = "BENCH-NEW"

    def begin(self) -> None:
        self.caller.user_id = f"{self.user_id(self.number)}-{uuid.uuid4().hex.upper()}"
        super().begin()


class Veteran(Trainee):
    """A trainee whose training log already holds ``bench.history.LONG_HISTORY`` finished workouts
    (put in the store by ``bench.history.seed`` before the run)."""

    ACCOUNT = "BENCH-LONG"


class Returner(Trainee):
    """A trainee whose training log held one finished workout when the run began (``bench.history.seed``
    with one workout), every set with a load: coached like a veteran (the load to try, the check for a
    best), with a history a thousandth as long. Against the veteran, only the length of the history differs."""

    ACCOUNT = "BENCH-ONE"


SCENARIOS: dict[str, Callable[[int], VirtualUser]] = {"launch": Launcher, "turn": Trainee}
# The skill alone: the same turns by new users, by users with one workout logged and by users with a
# long history, compared with each other.
HISTORY_SCENARIOS: dict[str, Callable[[int], VirtualUser]] = {"new": Newcomer, "one": Returner, "long": Veteran}


@dataclass
class Result:
    """What one run measured."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    # The latencies of the mid-workout turns among them.
    mid_latencies: list[float] = field(default_factory=list)
    first_error: str = ""
    server_cpu_ms: float = float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float, *, mid_workout: bool = False) -> float:
        """Latency in milliseconds at ``fraction`` (0.5 is the median), of every request or of the
        mid-workout turns only."""
        return percentile(self.mid_latencies if mid_workout else self.latencies, fraction)


def percentile(latencies: list[float], fraction: float) -> float:
    """The latency at ``fraction`` of ``latencies`` (seconds), in milliseconds."""
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def _drive(port: int, user: VirtualUser, stop_at: float, measure_from: float, result: Result,
           lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    last: dict[str, Any] | None = None
    latencies: list[float] = []
    mid_latencies: list[float] = []
    errors = 0
    first_error = ""
    try:
        while time.perf_counter() < stop_at:
            body = user.next_body(last)
            started = time.perf_counter()
            try:
                connection.request("POST", "/alexa", body=body, headers=headers)
                answer = connection.getresponse()
                raw = answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok, raw = False, str(error).encode()
            elapsed = time.perf_counter() - started
            if started >= measure_from:
                latencies.append(elapsed)
                if user.mid_workout:
                    mid_latencies.append(elapsed)
                if not ok:
                    errors += 1
                    first_error = first_error or raw[:200].decode("utf-8", "replace")
            last = json.loads(raw) if ok else None
    finally:
        connection.close()
    with lock:
        result.latencies.extend(latencies)
        result.mid_latencies.extend(mid_latencies)
        result.requests += len(latencies)
        result.errors += errors
        result.first_error = result.first_error or first_error


def run(port: int, scenario: str, *, concurrency: int, warmup: float, duration: float,
        server_cpu: Callable[[], float] | None = None) -> Result:
    """Drive ``scenario`` with ``concurrency`` virtual users: ``warmup`` seconds unmeasured, then ``duration``.

    ``server_cpu`` (seconds of CPU the server has used so far) is read when measuring starts
    and ends, to report the server's CPU time per request.
    """
    make_user = {**SCENARIOS, **HISTORY_SCENARIOS}[scenario]
    users = [make_user(number) for number in range(concurrency)]
    result = Result()
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    threads = [
        threading.Thread(target=_drive, args=(port, user, stop_at, measure_from, result, lock), daemon=True)
        for user in users
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu_before = server_cpu() if server_cpu else 0.0
    time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu_after = server_cpu() if server_cpu else 0.0
    for thread in threads:
        thread.join(timeout=60)
    result.seconds = duration
    if server_cpu and result.requests:
        result.server_cpu_ms = (cpu_after - cpu_before) / result.requests * 1000
    return result
