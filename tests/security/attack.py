"""The attack table: a hostile sender against the real server on loopback, and what Alexa's requests see meanwhile.

Run ``python -m tests.security.attack`` for the README's figures (``test_attack.py`` runs it too).
Forgeries: every way of breaking the signature, certificate, URL, timestamp and body rules, each
sent once. Certificate attacks: 16 connections naming slow certificate URLs and 16 naming the
real URL with a unique fragment, sending back to back, while one client sends correctly signed
requests and times them. No traffic leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from skill.local.envelopes import timestamp
from tests.conftest import read_request
from tests.dev_server import free_port
from tests.security.attack_server import SLOW_PREFIX
from tests.security.pki import CERT_URL

BASE = "https://s3.amazonaws.com/echo.api/"
ATTACKERS_PER_KIND = 16


@dataclass
class Report:
    """What the attack found."""

    forgeries: int = 0
    forgeries_accepted: list[str] = field(default_factory=list)
    certificate_attacks: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    tracebacks: int = 0
    legitimate_ms: list[float] = field(default_factory=list)
    legitimate_failed: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.legitimate_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def table(self) -> str:
        return "\n".join([
            "| measure | value |",
            "|---|---|",
            f"| forged requests tried (one of each kind) | {self.forgeries} |",
            f"| certificate attacks sent (slow URLs, unique fragments) | {self.certificate_attacks} |",
            f"| forgeries accepted | {len(self.forgeries_accepted)} |",
            f"| 5xx answers | {self.server_errors} |",
            f"| tracebacks (answers and server log) | {self.tracebacks} |",
            f"| legitimate requests under the certificate attacks | {len(self.legitimate_ms)}, "
            f"{self.legitimate_failed} refused |",
            f"| legitimate latency p50 / p99 / max | {self.percentile(0.5):.1f} / {self.percentile(0.99):.1f} / "
            f"{max(self.legitimate_ms, default=float('nan')):.1f} ms |",
        ])


def sign(raw: bytes, key: rsa.RSAPrivateKey, cert_url: str = CERT_URL) -> dict[str, str]:
    """The headers Alexa sends with ``raw``."""
    signature = base64.b64encode(key.sign(raw, padding.PKCS1v15(), hashes.SHA256())).decode()
    return {"Content-Type": "application/json", "SignatureCertChainUrl": cert_url, "Signature-256": signature}


def post(port: int, raw: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST to /alexa on a fresh connection; the status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("POST", "/alexa", body=raw, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


def fresh(name: str = "launch", **changes: Any) -> bytes:
    body = read_request(name)
    body.update(changes)
    return json.dumps(body).encode()


def forgeries(signer: rsa.RSAPrivateKey, other: rsa.RSAPrivateKey) -> list[tuple[str, bytes, dict[str, str]]]:
    """One request per way of breaking the rules; none may be answered with 200."""
    good = fresh()
    old = read_request("set_done")
    old["request"]["timestamp"] = timestamp(datetime.now(timezone.utc) - timedelta(minutes=10))
    old_raw = json.dumps(old).encode()
    deep = fresh().replace(b'"version"', b'"deep": ' + b"[" * 900 + b"]" * 900 + b', "version"', 1)
    cases = [
        ("tampered body", good.replace(b"LOCAL-DEVELOPER", b"MALLORY"), sign(good, signer)),
        ("one byte appended", good + b" ", sign(good, signer)),
        ("another key", good, sign(good, other)),
        ("signature not base64", good, {**sign(good, signer), "Signature-256": "not*base64!"}),
        ("no signature", good, {"Content-Type": "application/json", "SignatureCertChainUrl": CERT_URL}),
        ("no certificate URL", good, {"Content-Type": "application/json", "Signature-256": "c2ln"}),
        ("untrusted root", good, sign(good, signer, BASE + "rogue.pem")),
        ("expired certificate", good, sign(good, signer, BASE + "expired.pem")),
        ("self-signed certificate", good, sign(good, signer, BASE + "self-signed.pem")),
        ("replayed old request", old_raw, sign(old_raw, signer)),
        ("too deep", deep, sign(deep, signer)),
        ("JSON list", b"[1,2]", sign(b"[1,2]", signer)),
        ("300 KB body", b"{" + b" " * 300_000 + b"}", sign(b"{}", signer)),
    ]
    for url in ["http://s3.amazonaws.com/echo.api/c.pem", "https://evil.example/echo.api/c.pem",
                "https://s3.amazonaws.com.evil.example/echo.api/c.pem",
                "https://s3.amazonaws.com@evil.example/echo.api/c.pem",
                "https://s3.amazonaws.com:8443/echo.api/c.pem", "https://s3.amazonaws.com/ECHO.API/c.pem",
                "https://s3.amazonaws.com/echo.api/../x.pem", "https://s3.amazonaws.com/echo.api/%2e%2e/x.pem",
                CERT_URL + "#fragment", CERT_URL + "?q=1", "https://[s3.amazonaws.com/echo.api/c.pem"]:
        cases.append((f"certificate URL {url}", good, sign(good, signer, url)))
    return cases


def run(duration: float = 20.0, legitimate: int = 300, kinds: tuple[str, ...] = ("slow", "churn")) -> Report:
    """Start the server, attack it, stop it; the report."""
    report = Report()
    with tempfile.TemporaryDirectory() as folder_name:
        folder, port = Path(folder_name), free_port()
        log = folder / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen([sys.executable, "-m", "tests.security.attack_server", folder_name, str(port)],
                                      stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": "."})
        try:
            _wait(port, server)
            signer, other = (_key(folder / name) for name in ("signer.pem", "other.pem"))
            for _ in range(8):  # the good chain is downloaded and cached (by both workers, most likely)
                assert post(port, raw := fresh(), sign(raw, signer))[0] == 200
            for name, raw, headers in forgeries(signer, other):
                status, text = post(port, raw, headers)
                report.forgeries += 1
                _record(report, status, text)
                if status == 200:
                    report.forgeries_accepted.append(name)
            _attack_and_measure(report, port, signer, duration, legitimate, kinds)
        finally:
            server.terminate()
            server.wait(timeout=20)
        report.tracebacks += log.read_text(errors="replace").count("Traceback")
    return report


def _attack_and_measure(report: Report, port: int, signer: rsa.RSAPrivateKey, duration: float,
                        legitimate: int, kinds: tuple[str, ...]) -> None:
    # The attackers run in processes of their own, so the measuring client never waits for them.
    attackers = [subprocess.Popen([sys.executable, "-m", "tests.security.attack", "attackers", str(port), kind,
                                   str(ATTACKERS_PER_KIND), str(duration + 2)], stdout=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": "."})
                 for kind in kinds]
    time.sleep(1.0)  # the attack is under way before the first measured request
    ends = time.monotonic() + duration
    for sent in range(legitimate):
        raw = fresh("help")
        started = time.perf_counter()
        status, text = post(port, raw, sign(raw, signer))
        report.legitimate_ms.append((time.perf_counter() - started) * 1000)
        report.legitimate_failed += status != 200
        report.tracebacks += "Traceback" in text
        time.sleep(max(0.0, (ends - time.monotonic()) / (legitimate - sent)))
    for process in attackers:
        output, _ = process.communicate(timeout=60)
        for status, count in json.loads(output).items():
            report.statuses[int(status)] += count
            report.certificate_attacks += count
    report.tracebacks += report.statuses.pop(-1, 0)


def attackers(port: int, kind: str, connections: int, duration: float) -> Counter[int]:
    """``connections`` threads sending back to back for ``duration`` seconds: slow URLs or unique fragments.

    The status -1 counts answers that held a traceback.
    """
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = itertools.count()
    raw = fresh()
    signature = base64.b64encode(b"\x01" * 256).decode()  # refused before any signature is checked
    ends = time.monotonic() + duration

    def attack() -> None:
        while time.monotonic() < ends:
            number = next(counter)
            url = f"{SLOW_PREFIX}{number}.pem" if kind == "slow" else f"{CERT_URL}#{number}"
            headers = {"Content-Type": "application/json", "SignatureCertChainUrl": url, "Signature-256": signature}
            status, text = post(port, raw, headers)
            with lock:
                statuses[status] += 1
                statuses[-1] += "Traceback" in text

    threads = [threading.Thread(target=attack) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _record(report: Report, status: int, text: str) -> None:
    report.statuses[status] += 1
    report.tracebacks += "Traceback" in text


def _key(path: Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the attack server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the attack server did not start")


if __name__ == "__main__":
    if sys.argv[1:2] == ["attackers"]:
        print(json.dumps(attackers(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))))
    else:
        print(run().table())
