"""A turn's deadline: every outbound call of a turn shares what is left of one budget.

Alexa waits about 8 s for an answer. Each outbound call has its own timeout, but a slow store
read, a hung Alexa API call and a hung store write would add up past 8 s, so the entries (the
Flask view and the Lambda handler) start a ``Deadline`` of ``LEGDAY_TURN_BUDGET`` seconds when a
request arrives, and every call takes at most what is left of it:

- a store call: what is left, less ``ANSWER_RESERVE`` to build and send the answer;
- an Alexa API call (timers, reminders, settings): also less ``save_reserve``, the time the
  store's save after it may need, so an optional call never eats the save's time; when what it
  would get is under ``MIN_CALL_SECONDS`` it is not made, and the turn goes on without it (a rest
  is counted out loud instead of on a timer).

The deadline lives in a context variable for the length of one request, so the store and the API
client read it without every layer in between passing it on; outside a request (the CLI, a test
calling the store directly) there is none and each call keeps its own timeout alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from skill.config import Settings

# Kept back from every call for the work after it: building the response and sending it.
ANSWER_RESERVE = 0.3
# A call that would get less than this is not worth making (DynamoDB answers in milliseconds,
# Alexa's APIs in a few hundred; a shorter timeout would only turn a slow answer into a failure).
MIN_CALL_SECONDS = 0.25
# What an Alexa API call leaves for the save when the store is on this machine (SQLite).
LOCAL_SAVE_RESERVE = 0.5


class NoTimeLeft(Exception):
    """A call was not made: the turn's budget has too little left for it (so it surely did nothing)."""


@dataclass(frozen=True)
class Deadline:
    """When a turn must be answered by (on ``clock``), and what an Alexa API call leaves for the save."""

    ends_at: float
    save_reserve: float = 0.0
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def starting_now(cls, budget: float, save_reserve: float = 0.0,
                     clock: Callable[[], float] = time.monotonic) -> Deadline:
        """A deadline ``budget`` seconds from now."""
        return cls(clock() + budget, save_reserve, clock)

    def left(self) -> float:
        """Seconds left of the budget (0 when it is spent)."""
        return max(0.0, self.ends_at - self.clock())

    def for_store(self, limit: float) -> float:
        """The most a store call may take: its own ``limit``, or what is left less the answer's reserve."""
        return min(limit, self.left() - ANSWER_RESERVE)

    def for_service(self, limit: float) -> float:
        """The most an Alexa API call may take: as a store call, and leaving the save its reserve."""
        return min(limit, self.left() - ANSWER_RESERVE - self.save_reserve)


_current: ContextVar[Deadline | None] = ContextVar("legday_turn_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the request being answered (None outside one)."""
    return _current.get()


@contextmanager
def turn(deadline: Deadline) -> Iterator[Deadline]:
    """Make ``deadline`` the current one for the calls inside the ``with`` block."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def save_reserve(settings: Settings) -> float:
    """What an Alexa API call leaves for the save: one DynamoDB write's connect and read timeouts,
    or a moment for a local store."""
    if settings.store == "dynamodb":
        return settings.dynamodb_connect_timeout + settings.dynamodb_read_timeout
    return LOCAL_SAVE_RESERVE


def turn_for(settings: Settings) -> Deadline:
    """The deadline of a request arriving now, from the settings' budget."""
    return Deadline.starting_now(settings.turn_budget, save_reserve(settings))


def store_call_limit(limit: float) -> float:
    """The timeout a store call may use now: ``limit``, cut to what the current turn has left."""
    deadline = current()
    return limit if deadline is None else deadline.for_store(limit)


def service_call_limit(limit: float) -> float:
    """The timeout an Alexa API call may use now; ``NoTimeLeft`` when that is too short to be worth it."""
    deadline = current()
    allowed = limit if deadline is None else deadline.for_service(limit)
    if allowed < MIN_CALL_SECONDS:
        raise NoTimeLeft(f"{max(allowed, 0.0):.2f} s left for an Alexa API call in this turn's budget")
    return allowed
