"""Many people doing whole leg days at once against the real server, over HTTP.

Each simulated user asks for their own plan (level, length, equipment), does a few sets, drops
the session as if they walked away, comes back, resumes and finishes. Every turn's cursor must
be exactly where that user's own plan says it should be, so one user seeing another's state, or
a worker losing a save, fails the test. At the end the store must hold every finished workout.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from skill.content import EQUIPMENT, LENGTHS, LEVELS, load_content
from skill.local.conversation import Conversation, Exchange, Transport, over_http
from skill.local.envelopes import Caller
from skill.local.nlu import default_matcher
from skill.workout.plan import PlanItem, PlanOptions, build_plan
from skill.workout.progress import UserRecord
from tests.load.conftest import WORKERS, Server

pytestmark = pytest.mark.slow

USERS = 120
CONCURRENCY = 24
NUMBER_WORDS = {15: "fifteen", 30: "thirty", 45: "forty five"}
EQUIPMENT_WORDS = {"bodyweight": "bodyweight", "dumbbells": "dumbbells", "barbell": "a barbell"}


@dataclass
class Timings:
    """Latency of every request, across threads."""

    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, transport: Transport) -> Transport:
        def send(body: dict) -> dict:
            started = time.perf_counter()
            answer = transport(body)
            elapsed = time.perf_counter() - started
            with self.lock:
                self.seconds.append(elapsed)
            return answer

        return send


def options_for(number: int) -> PlanOptions:
    return PlanOptions(
        level=LEVELS[number % len(LEVELS)],
        length=LENGTHS[(number // len(LEVELS)) % len(LENGTHS)],
        equipment=EQUIPMENT[(number // (len(LEVELS) * len(LENGTHS))) % len(EQUIPMENT)],
    )


def expected_cursors(items: list[PlanItem]) -> list[list[int]]:
    """[position, set number] before each set of the plan, in order."""
    return [[position, set_number] for position, item in enumerate(items) for set_number in range(1, item.sets + 1)]


def cursor(exchange: Exchange) -> list[int] | None:
    return exchange.session_attributes.get("position")


def one_user(number: int, server: Server, timings: Timings) -> int:
    """Run one whole workout with a break in the middle; return the number of requests sent."""
    options = options_for(number)
    items = build_plan(options, load_content())
    cursors = expected_cursors(items)
    user = f"amzn1.ask.account.LOAD-{number:03d}"
    conversation = Conversation(timings.timed(over_http(server.endpoint, timeout=30)), default_matcher(), Caller(user))
    sent = 0

    def say(utterance: str) -> Exchange:
        nonlocal sent
        sent += 1
        return conversation.say(utterance)[1]

    say("open leg day coach")
    start = say(f"start a {NUMBER_WORDS[options.length]} minute {options.level} leg day "
                f"with {EQUIPMENT_WORDS[options.equipment]}")
    assert cursor(start) == cursors[0], (user, start.speech)

    break_after = 1 + number % 3
    for step in range(1, break_after + 1):
        assert cursor(say("done")) == cursors[step], user

    assert conversation.end() is not None  # walked away: Alexa sends SessionEndedRequest
    sent += 1
    welcome_back = say("open leg day coach")
    assert "pick up where you left off" in welcome_back.speech, (user, welcome_back.speech)
    resumed = say("yes")
    assert cursor(resumed) == cursors[break_after], (user, resumed.speech)

    for step in range(break_after + 1, len(cursors)):
        answer = say("done")
        assert cursor(answer) == cursors[step], (user, step, answer.speech)
    finish = say("done")
    assert finish.ends_session
    assert "leg day done" in finish.speech.lower()
    assert f"{len(cursors)} sets" in finish.speech, (user, finish.speech)
    return sent


def test_many_users_complete_whole_workouts_at_once(server: Server) -> None:
    timings = Timings()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        futures = [pool.submit(one_user, number, server, timings) for number in range(USERS)]
        sent = [future.result(timeout=120) for future in futures]
    elapsed = time.perf_counter() - started

    # Nothing lost and nothing mixed up: every user's own finished workout is in the store.
    with sqlite3.connect(server.database) as connection:
        rows = dict(connection.execute("SELECT user_id, attributes FROM user_attributes").fetchall())
    connection.close()
    content = load_content()
    for number in range(USERS):
        options = options_for(number)
        record = UserRecord.from_dict(json.loads(rows[f"amzn1.ask.account.LOAD-{number:03d}"]), content)
        assert record.workout is None
        assert len(record.history) == 1
        entry = record.history[0]
        assert (entry.level, entry.length) == (options.level, options.length)
        assert entry.sets == len(expected_cursors(build_plan(options, content)))

    latencies = sorted(timings.seconds)
    assert len(latencies) == sum(sent)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(
        f"\nload: {USERS} users, {CONCURRENCY} at once, {WORKERS} gunicorn workers: {len(latencies)} requests "
        f"in {elapsed:.1f} s ({len(latencies) / elapsed:.0f} req/s), p50 {p50:.1f} ms, p99 {p99:.1f} ms, 0 errors"
    )
