"""The production server's edge, over real sockets: oversized and endless bodies are refused early."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from skill.local import envelopes
from skill.local.envelopes import Caller
from tests.load.conftest import Server

pytestmark = pytest.mark.slow


def exchange(server: Server, request: bytes, timeout: float = 10.0) -> bytes:
    """Send raw bytes to the server and return everything it answers before closing or going quiet."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and answer.endswith(b"}\n"):
                    break
        except TimeoutError:
            pass
    return answer


def test_a_declared_huge_body_is_refused_without_waiting_for_it(server: Server) -> None:
    # Only the headers are sent: a server that waited for the 50 MB would time out here instead.
    head = (
        "POST /alexa HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Content-Length: 50000000\r\n\r\n"
    ).encode()
    answer = exchange(server, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"Traceback" not in answer


def test_a_chunked_body_that_grows_too_large_is_refused(server: Server) -> None:
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4)) + b"0\r\n\r\n"
    head = (
        b"POST /alexa HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    answer = exchange(server, head + body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"Traceback" not in answer


def test_a_small_chunked_request_is_answered(server: Server) -> None:
    body = json.dumps(envelopes.envelope(Caller(user_id="amzn1.ask.account.CHUNKED"), envelopes.launch_request()))
    raw = body.encode()
    head = (
        b"POST /alexa HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    answer = exchange(server, head + b"%x\r\n%s\r\n0\r\n\r\n" % (len(raw), raw))
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b'"outputSpeech"' in answer


def test_the_server_is_still_healthy_afterwards(server: Server) -> None:
    with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=5) as answer:
        assert json.loads(answer.read())["status"] == "ok"
