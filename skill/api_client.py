"""The client for Alexa's APIs (timers, reminders, settings): Amazon's hosts only, and a deadline on every call.

A request names the API host itself (``context.System.apiEndpoint``), so the skill would open a
TLS connection to whatever host a request named: only the hosts in ``LEGDAY_ALEXA_API_HOSTS``
(Amazon's three by default, over https on port 443) are called, and a redirect is never followed.
Each call must be answered within ``timeout`` seconds in all, however slowly the host trickles,
and within what the turn's budget leaves it (``skill.deadline``): a call that would get too little
time is not made, and the turn goes on without it.
``requests`` is imported on the first call: a sixth of the server's cold start, for a client most
turns never use.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

from skill import deadline
from skill.bounded_read import read_bounded

# Alexa's API answers are a few kilobytes; a bigger one is not an answer.
MAX_ANSWER_BYTES = 256 * 1024
_READ_CHUNK = 16 * 1024


def allowed_origin(url: str, hosts: Iterable[str]) -> bool:
    """True when ``url`` is https on one of ``hosts`` (``host`` means port 443, ``host:port`` that port)."""
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username is not None or parts.hostname is None:
        return False
    origin = parts.hostname if port == 443 else f"{parts.hostname}:{port}"
    return origin in {host.lower() for host in hosts}


class BoundedApiClient(ApiClient):
    """Calls Alexa's APIs on the allowed hosts only, each call answered within ``timeout`` seconds (or
    what the turn has left, if less) or refused."""

    def __init__(self, timeout: float, hosts: Iterable[str]) -> None:
        self.timeout = timeout
        self.hosts = tuple(hosts)

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send ``request``; raises the SDK's ``ApiClientException`` for a refused host, a failure or the deadline."""
        url = request.url or ""
        if not allowed_origin(url, self.hosts):
            raise ApiClientException(f"Alexa API host not allowed: {urlsplit(url).netloc or url!r} "
                                     "(LEGDAY_ALEXA_API_HOSTS)")
        try:
            timeout = deadline.service_call_limit(self.timeout)
        except deadline.NoTimeLeft as error:
            raise ApiClientException(f"Alexa API call not made: {error}") from error
        import requests

        headers: dict[str, str] = {}
        for name, value in request.headers or []:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        body = request.body
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        # No single wait (to connect, for the next bytes) is longer than a third of the time, and the
        # answer must be complete by two thirds: a host that trickles a byte at a time is cut off
        # at ``ends_at`` plus at most one wait, so every call ends within ``timeout``.
        wait = timeout / 3
        ends_at = time.monotonic() + timeout - wait
        try:
            with requests.request(str(request.method or "GET"), url, headers=headers, data=body or None,
                                  timeout=(wait, wait), allow_redirects=False, stream=True) as answer:
                raw = read_bounded(answer.iter_content(_READ_CHUNK), limit=MAX_ANSWER_BYTES, deadline=ends_at,
                                   what="Alexa API answer")
                text = raw.decode(answer.encoding or "utf-8", "replace")
                return ApiClientResponse(headers=list(answer.headers.items()), status_code=answer.status_code,
                                         body=text)
        except (requests.RequestException, ValueError, TimeoutError) as error:
            raise ApiClientException(f"Alexa API call failed: {error}") from error

