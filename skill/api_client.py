"""The client for Alexa's APIs (the timers service): the SDK's own, with a timeout, loaded on first use.

The SDK's ``DefaultApiClient`` calls ``requests`` with no timeout, and importing it imports
``requests``, a sixth of the server's cold start, for a client most turns never use.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

class BoundedApiClient(ApiClient):
    """Delegates to the SDK's ``DefaultApiClient``, built on the first call, with ``timeout`` on every request."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._client: ApiClient | None = None
        self._lock = threading.Lock()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send ``request`` through the SDK's client (HTTPS only, as the SDK enforces)."""
        with self._lock:
            if self._client is None:
                self._client = _timed_default_client(self.timeout)
        return self._client.invoke(request)


def _timed_default_client(timeout: float) -> ApiClient:
    from ask_sdk_core.api_client import DefaultApiClient

    class TimedDefaultApiClient(DefaultApiClient):
        def _resolve_method(self, request: Any) -> Any:
            return functools.partial(super()._resolve_method(request), timeout=timeout)

    return TimedDefaultApiClient()
