"""A local stand-in for the Alexa Timers API, on HTTPS on 127.0.0.1, speaking its documented shapes.

The skill's own SDK client (``TimerManagementServiceClient`` over ``DefaultApiClient``, which
refuses plain HTTP) calls it: tests point the envelope's ``apiEndpoint`` at it and trust its
certificate through ``REQUESTS_CA_BUNDLE``. Request bodies are checked against the documented
create-timer shape; answers are the documented timer objects and ``{"code", "message"}`` errors.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from skill.config import Settings
from tests.conftest import read_request, with_changes

TOKEN = "local-access-token"
TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
ISO_DURATION = re.compile(r"^PT(?=\d)(\d+H)?(\d+M)?(\d+S)?$")
OPERATIONS = {"NOTIFY_ONLY", "ANNOUNCE", "LAUNCH_TASK"}


@dataclass
class Call:
    """One request the fake API received."""

    method: str
    path: str
    body: Any
    authorization: str


@dataclass
class FakeTimersApi:
    """The far end's state: its timers, what it was asked, and how it should misbehave."""

    url: str = ""
    timers: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # None: answer normally; else every request gets this status (401, 403, 500, 504...).
    fail_with: int | None = None
    # Seconds to wait before answering (a slow or hung service).
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self, method: str | None = None, path: str | None = None) -> list[Call]:
        return [call for call in self.calls if (method is None or call.method == method)
                and (path is None or call.path == path)]

    def add_timer(self, label: str, seconds: int = 120) -> str:
        """A timer created earlier (its id unknown to the skill)."""
        timer_id = str(uuid.uuid4())
        now = _now()
        self.timers[timer_id] = _timer(timer_id, f"PT{seconds}S", label, now, now + dt.timedelta(seconds=seconds))
        return timer_id


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _timer(timer_id: str, duration: str, label: str, created: dt.datetime, trigger: dt.datetime) -> dict[str, Any]:
    return {"id": timer_id, "status": "ON", "duration": duration, "timerLabel": label,
            "triggerTime": _iso(trigger), "createdTime": _iso(created), "updatedTime": _iso(created)}


def _seconds(duration: str) -> int:
    hours, minutes, seconds = (int(part[:-1]) if part else 0 for part in ISO_DURATION.match(duration).groups())
    return hours * 3600 + minutes * 60 + seconds


def create_problems(body: Any) -> list[str]:
    """What is wrong with a create-timer body, by the documented shape (empty when nothing)."""
    if not isinstance(body, dict):
        return ["body is not an object"]
    problems = []
    duration = body.get("duration")
    if not isinstance(duration, str) or not ISO_DURATION.match(duration) or not 0 < _seconds(duration) <= 7200:
        problems.append(f"duration {duration!r} is not an ISO 8601 duration up to two hours")
    if "timerLabel" in body and not isinstance(body["timerLabel"], str):
        problems.append("timerLabel is not a string")
    visibility = ((body.get("creationBehavior") or {}).get("displayExperience") or {}).get("visibility")
    if visibility not in {"VISIBLE", "HIDDEN"}:
        problems.append(f"creationBehavior.displayExperience.visibility is {visibility!r}")
    triggering = body.get("triggeringBehavior") or {}
    operation = triggering.get("operation") or {}
    if operation.get("type") not in OPERATIONS:
        problems.append(f"triggeringBehavior.operation.type is {operation.get('type')!r}")
    if operation.get("type") == "ANNOUNCE":
        texts = operation.get("textToAnnounce")
        if not (isinstance(texts, list) and texts and all(
                isinstance(text, dict) and isinstance(text.get("locale"), str) and isinstance(text.get("text"), str)
                and text["text"] for text in texts)):
            problems.append("ANNOUNCE needs textToAnnounce: [{locale, text}]")
    if not isinstance((triggering.get("notificationConfig") or {}).get("playAudible"), bool):
        problems.append("triggeringBehavior.notificationConfig.playAudible is not a boolean")
    return problems


class TimersHandler(BaseHTTPRequestHandler):
    """Routes of the Timers REST API: /v1/alerts/timers[/{id}[/pause|/resume]]."""

    api: FakeTimersApi

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        self._serve("POST")

    def do_GET(self) -> None:
        self._serve("GET")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        api = self.api
        with api.lock:
            api.calls.append(Call(method, self.path, body, self.headers.get("Authorization", "")))
            status, answer = self._answer(method, body)
        if api.delay:
            time.sleep(api.delay)
        payload = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _answer(self, method: str, body: Any) -> tuple[int, Any]:
        api = self.api
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {"code": "UNAUTHORIZED", "message": "Invalid access token"}
        if api.fail_with is not None:
            codes = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 500: "INTERNAL_SERVER_ERROR", 504: "DEVICE_OFFLINE"}
            return api.fail_with, {"code": codes.get(api.fail_with, "ERROR"), "message": "as configured"}
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[:3] != ["v1", "alerts", "timers"]:
            return 404, {"code": "NOT_FOUND", "message": "no such resource"}
        rest = parts[3:]
        if not rest:
            if method == "POST":
                return self._create(body)
            if method == "GET":
                return 200, {"timers": list(api.timers.values()), "totalCount": len(api.timers), "nextToken": None}
            api.timers.clear()
            return 200, None
        timer = api.timers.get(rest[0])
        if timer is None:
            return 404, {"code": "TIMER_NOT_FOUND", "message": "Timer not found"}
        if len(rest) == 1 and method == "GET":
            return 200, timer
        if len(rest) == 1 and method == "DELETE":
            del api.timers[rest[0]]
            return 200, None
        if rest[1:] == ["pause"] and method == "POST":
            left = (dt.datetime.fromisoformat(timer["triggerTime"].replace("Z", "+00:00")) - _now()).total_seconds()
            timer.update(status="PAUSED", remainingTimeWhenPaused=f"PT{max(0, int(left))}S")
            return 200, None
        if rest[1:] == ["resume"] and method == "POST":
            left = _seconds(timer.pop("remainingTimeWhenPaused", timer["duration"]))
            timer.update(status="ON", triggerTime=_iso(_now() + dt.timedelta(seconds=left)))
            return 200, None
        return 404, {"code": "NOT_FOUND", "message": "no such resource"}

    def _create(self, body: Any) -> tuple[int, Any]:
        api = self.api
        problems = create_problems(body)
        if problems:
            return 400, {"code": "INVALID_REQUEST", "message": "; ".join(problems)}
        label = body.get("timerLabel")
        if label and any(timer["timerLabel"] == label for timer in api.timers.values()):
            return 400, {"code": "INVALID_TIMER_LABEL", "message": "A timer with this label already exists"}
        timer_id = str(uuid.uuid4())
        now = _now()
        trigger = now + dt.timedelta(seconds=_seconds(body["duration"]))
        timer = _timer(timer_id, body["duration"], label or "", now, trigger)
        api.timers[timer_id] = timer
        return 200, timer


class QuietServer(ThreadingHTTPServer):
    """Drops the traceback of a client that hung up (the skill's timeout, on purpose): tests check outcomes."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@dataclass(frozen=True)
class Certificates:
    """A certificate authority file and a server certificate for 127.0.0.1 signed by it."""

    ca_file: Path
    cert_file: Path
    key_file: Path


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    folder = tmp_path_factory.mktemp("timers-tls")
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Leg Day test timers CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    files.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    return files


@pytest.fixture
def timers_api(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTimersApi]:
    """The fake Timers API, listening on 127.0.0.1 over HTTPS, trusted by ``requests`` for this test."""
    api = FakeTimersApi()
    handler = type("BoundTimersHandler", (TimersHandler,), {"api": api})
    server = QuietServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.cert_file, certificates.key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    api.url = f"https://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca_file))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def on_device(name: str, api: FakeTimersApi, *, granted: bool = True, screen: bool | None = None,
              **changes: Any) -> dict[str, Any]:
    """A sample envelope whose apiEndpoint is the fake API, with timer permission granted (or not)."""
    body = with_changes(read_request(name), screen=screen, **changes)
    system = body["context"]["System"]
    system["apiEndpoint"] = api.url
    if granted:
        system["user"]["permissions"] = {"scopes": {TIMERS_SCOPE: {"status": "GRANTED"}}}
    else:
        system["user"].pop("permissions", None)
    return body


@pytest.fixture
def settings(settings: Settings, timers_api: FakeTimersApi) -> Settings:
    """The test's settings, with the fake API's origin added to the Alexa API hosts the skill may call."""
    return settings.replace(alexa_api_hosts=(*settings.alexa_api_hosts, urlsplit(timers_api.url).netloc))
