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
from tests.timers.conftest import FakeTimersApi, certificates, timers_api  # noqa: F401 (fixtures)

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


def test_a_configured_local_fake_is_called(timers_api: FakeTimersApi) -> None:
    host = timers_api.url.removeprefix("https://")
    client = BoundedApiClient(3.0, (*AMAZON, host))
    answer = client.invoke(ApiClientRequest(url=f"{timers_api.url}/v1/alerts/timers", method="GET",
                                            headers=[("Authorization", "Bearer local-access-token")]))
    assert answer.status_code in {200, 401, 403, 404}  # the fake answered, whatever it thought of the call
    assert timers_api.calls


def test_a_host_that_does_not_answer_costs_at_most_the_timeout(timers_api: FakeTimersApi) -> None:
    timers_api.delay = 3.0
    client = BoundedApiClient(0.4, (timers_api.url.removeprefix("https://"),))
    started = time.monotonic()
    with pytest.raises(ApiClientException, match="Alexa API call failed"):
        client.invoke(ApiClientRequest(url=f"{timers_api.url}/v1/alerts/timers", method="GET", headers=[]))
    assert time.monotonic() - started < 0.6
