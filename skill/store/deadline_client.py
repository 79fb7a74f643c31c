"""A DynamoDB client whose every call fits in what is left of the turn (``skill.deadline``).

botocore fixes a client's connect and read timeouts when the client is made, so this keeps a
small set of clients, one per timeout class (the configured read timeout, then halves of it down
to ``skill.deadline.MIN_CALL_SECONDS``), made on first use (a few milliseconds each, as they share
one session and its service model), and sends each call through the longest class that fits in
what the turn has left. With no time left for the shortest, the call is not sent at all.

botocore's own retries are off: they would retry a conditional write whose first attempt timed out
after it was sent, and the retry, refused because the first one did land, would read as "changed on
another device". Retries are made here instead, only while the turn has time for them:

- a read (``READS``) is tried up to ``attempts`` times on a timeout, a lost connection, throttling
  or a server error;
- a write is tried again only when it surely was not applied (no connection could be made, or
  DynamoDB throttled it); a write that may have been sent and was not answered, or met a server
  error, raises ``SaveOutcomeUnknown``, so the person
  hears that the skill cannot tell whether the step was saved, never that it was not.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from skill import deadline
from skill.store.records import SaveOutcomeUnknown, StoreUnavailable

# Calls that change nothing: safe to send again whatever happened to the first.
READS = frozenset({"get_item", "batch_get_item", "query", "scan", "describe_table"})
# DynamoDB's answers that say "not now": nothing was done, and a moment later may work.
THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                       "LimitExceededException"})
# A server error: a read may be sent again; a write may or may not have been applied.
SERVER_ERRORS = frozenset({"InternalServerError", "ServiceUnavailable"})
# The pause before a retry (random up to this): short, as the turn's budget is.
RETRY_PAUSE = 0.1

ClientFactory = Callable[[float, float], Any]


class DeadlineClient:
    """Looks like a botocore DynamoDB client; each operation is sent within the current turn's deadline."""

    def __init__(self, make_client: ClientFactory, connect_timeout: float, read_timeout: float,
                 attempts: int = 2) -> None:
        self._make_client = make_client
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.attempts = attempts
        self._clients: dict[float, Any] = {}
        self._lock = threading.Lock()
        from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

        self._not_sent: type[Exception] = ConnectionError
        self._maybe_sent: type[Exception] = HTTPClientError
        self._answered: type[Exception] = ClientError

    def read_timeouts(self) -> list[float]:
        """The timeout classes, longest first: the configured read timeout, halved down to the shortest useful."""
        classes = [self.read_timeout]
        while classes[-1] / 2 >= deadline.MIN_CALL_SECONDS:
            classes.append(classes[-1] / 2)
        return classes

    def worst_case(self, read_timeout: float) -> float:
        """The longest one attempt through that class can take: connecting, then waiting for the answer."""
        return min(self.connect_timeout, read_timeout) + read_timeout

    def __getattr__(self, name: str) -> Any:
        """An operation (``get_item``...) sent within the deadline; anything else (``meta``) as the full client's."""
        if name.startswith("_"):
            raise AttributeError(name)
        full = self._client(self.read_timeout)
        if name in full.meta.method_to_api_mapping:
            return functools.partial(self._call, name)
        return getattr(full, name)

    def _call(self, operation: str, **arguments: Any) -> Any:
        """Send ``operation`` through the longest class that fits, retrying as the module says."""
        reading = operation in READS
        attempt = 0
        while True:
            attempt += 1
            read_timeout = self._fitting(deadline.store_call_limit(self.worst_case(self.read_timeout)))
            if read_timeout is None:
                raise StoreUnavailable(f"DynamoDB {operation} not sent: no time left in this turn's budget")
            try:
                return getattr(self._client(read_timeout), operation)(**arguments)
            except self._not_sent:
                if attempt >= self.attempts:
                    raise
            except self._maybe_sent as error:
                if not reading:
                    raise SaveOutcomeUnknown(f"DynamoDB {operation} sent and not answered: {error}") from error
                if attempt >= self.attempts:
                    raise
            except self._answered as error:
                code = error.response.get("Error", {}).get("Code", "")  # type: ignore[attr-defined]
                if code in SERVER_ERRORS and not reading:
                    raise SaveOutcomeUnknown(f"DynamoDB {operation} failed on the server: {code}") from error
                if code not in THROTTLED | SERVER_ERRORS or attempt >= self.attempts:
                    raise
            time.sleep(random.uniform(0, RETRY_PAUSE))

    def _fitting(self, allowed: float) -> float | None:
        """The longest read-timeout class whose worst case fits in ``allowed`` seconds (None if none does)."""
        for read_timeout in self.read_timeouts():
            if self.worst_case(read_timeout) <= allowed:
                return read_timeout
        return None

    def _client(self, read_timeout: float) -> Any:
        with self._lock:
            client = self._clients.get(read_timeout)
            if client is None:
                client = self._make_client(min(self.connect_timeout, read_timeout), read_timeout)
                self._clients[read_timeout] = client
            return client
