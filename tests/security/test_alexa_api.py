"""Alexa API calls go only to Amazon's API hosts (or a configured local fake), and each has a deadline.

A request names its API host (``context.System.apiEndpoint``): a forged or dev-mode request must
not make the server open a connection to a host of the sender's choosing.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.api_client import BoundedApiClient, allowed_origin
from skill.config import Settings

AMAZON = ("api.amazonalexa.com", "api.eu.amazonalexa.com", "api.fe.amazonalexa.com")


@pytest.mark.parametrize("url", [
    "https://api.amazonalexa.com/v1/alerts/timers",
    "https://API.EU.AMAZONALEXA.COM/v1/alerts/timers",
    "https://api.fe.amazonalexa.com:443/v2/devices/d/settings/System.timeZone",
])
def test_amazons_api_hosts_are_allowed(url: str) -> None:
    assert allowed_origin(url, AMAZON)


@pytest.mark.parametrize("url", [
    "http://api.amazonalexa.com/v1/alerts/timers",
    "https://api.amazonalexa.com:8443/v1/alerts/timers",
    "https://api.amazonalexa.com.evil.example/v1/alerts/timers",
    "https://evil.example/v1/alerts/timers",
    "https://api.amazonalexa.com@evil.example/v1/alerts/timers",
    "https://127.0.0.1/v1/alerts/timers",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]:99999/",
    "",
])
def test_any_other_host_scheme_or_port_is_not(url: str) -> None:
    assert not allowed_origin(url, AMAZON)


def test_the_default_settings_allow_exactly_amazons_three_hosts() -> None:
    assert Settings.from_env({}).alexa_api_hosts == AMAZON
    assert Settings.from_env({"LEGDAY_ALEXA_API_HOSTS": " 127.0.0.1:8443 , Localhost "}).alexa_api_hosts == (
        "127.0.0.1:8443", "localhost")


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on 127.0.0.1 that records whether anyone connected."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        server.settimeout(0.3)
        yield server


def nobody_connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


def test_a_request_naming_another_host_opens_no_connection(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    client = BoundedApiClient(3.0, AMAZON)
    call = ApiClientRequest(url=f"https://127.0.0.1:{port}/v1/alerts/timers", method="POST", headers=[], body={})
    with pytest.raises(ApiClientException, match="host not allowed"):
        client.invoke(call)
    assert nobody_connected(listener)


def test_a_configured_local_host_is_called_and_costs_at_most_the_timeout(listener: socket.socket) -> None:
    """A host added to the allowed ones (a local fake) is connected to; one that never answers (not even
    the TLS handshake) fails the call within the deadline."""
    host = f"127.0.0.1:{listener.getsockname()[1]}"
    client = BoundedApiClient(0.4, (*AMAZON, host))
    started = time.monotonic()
    with pytest.raises(ApiClientException, match="Alexa API call failed"):
        client.invoke(ApiClientRequest(url=f"https://{host}/v1/alerts/timers", method="GET", headers=[]))
    assert time.monotonic() - started < 0.6
    assert not nobody_connected(listener)
