"""Running a blocking call with a hard deadline.

A socket timeout does not cover everything: name resolution, for one, ignores it. The call runs
in a daemon thread; if it has not finished in time the caller stops waiting and the thread is
left to end on its own (it cannot be killed, but it can no longer hold anyone up).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The call did not finish within its deadline."""


def call_with_deadline(function: Callable[[], T], seconds: float, name: str = "deadline-call") -> T:
    """``function()``'s result or exception, or ``DeadlineExceeded`` after ``seconds``."""
    results: list[T] = []
    errors: list[BaseException] = []
    finished = threading.Event()

    def run() -> None:
        try:
            results.append(function())
        except BaseException as error:  # handed to the caller, who decides what it means
            errors.append(error)
        finally:
            finished.set()

    threading.Thread(target=run, name=name, daemon=True).start()
    if not finished.wait(seconds):
        raise DeadlineExceeded(f"no result after {seconds:g} s")
    if errors:
        raise errors[0]
    return results[0]
