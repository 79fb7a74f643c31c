"""Outbound calls that hang: a DynamoDB endpoint in front of the test server that delays or holds
chosen operations, and an HTTPS address that takes connections and never answers (an Alexa API).

Both are plain sockets on loopback started by the test; nothing leaves the machine.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

# How long a held request is held at most: longer than any turn, short enough to end the test run.
HOLD_SECONDS = 30.0


@dataclass
class DynamoDbFront:
    """A DynamoDB endpoint forwarding to ``backend``; ``delays`` holds an operation ("GetItem") that
    many seconds before forwarding it, ``hangs`` never answers it: without forwarding it ("hold")
    or after forwarding it, so it is applied ("apply")."""

    backend: str
    url: str = ""
    delays: dict[str, float] = field(default_factory=dict)
    hangs: dict[str, str] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def forward(self, operation: str, headers: dict[str, str], body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        backend = urlsplit(self.backend)
        connection = http.client.HTTPConnection(backend.hostname, backend.port, timeout=10)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()


def _handler(front: DynamoDbFront) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            front.seen.append(operation)
            headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
            hang = front.hangs.get(operation)
            if hang == "apply":
                front.forward(operation, headers, body)
            if hang is not None:
                front.released.wait(HOLD_SECONDS)
                self.close_connection = True
                return
            time.sleep(front.delays.get(operation, 0.0))
            status, answer_headers, answer = front.forward(operation, headers, body)
            self.send_response(status)
            for name, value in answer_headers:
                if name.lower() not in {"content-length", "connection", "transfer-encoding", "server", "date"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def dynamodb_front(dynamodb_endpoint: str) -> Iterator[DynamoDbFront]:
    """A DynamoDB endpoint that forwards to the test server, with delays and hangs as the test sets them."""
    front = DynamoDbFront(dynamodb_endpoint)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(front))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    front.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield front
    front.released.set()
    server.shutdown()
    server.server_close()


@dataclass
class Silent:
    """An address that accepts connections and never answers; ``connections`` counts who came."""

    host: str
    connections: int = 0


@pytest.fixture
def silent() -> Iterator[Silent]:
    """A loopback port that takes connections and never says a byte (a hung API host or DynamoDB)."""
    listener = socket.create_server(("127.0.0.1", 0))
    found = Silent(f"127.0.0.1:{listener.getsockname()[1]}")
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
                found.connections += 1
            except TimeoutError:
                continue

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    yield found
    stop.set()
    acceptor.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()
