"""An app with request verification on, trusting only the test's CA and downloading from a fake host."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from skill.app import create_app
from skill.config import Settings
from skill.verification import build_verifiers
from tests.conftest import read_request
from tests.security.pki import CERT_URL, Pki, build_pki, signed_headers


@pytest.fixture(scope="session")
def pki() -> Pki:
    """One throwaway PKI for the whole run (RSA key generation is the slow part)."""
    return build_pki()


class FakeCertHost:
    """Stands in for Amazon's certificate host: serves one chain at any URL and records each download."""

    def __init__(self, chain: bytes) -> None:
        self.chain = chain
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, url: str, timeout: float) -> bytes:
        with self._lock:
            self.calls.append(url)
        return self.chain


@dataclass
class SignedClient:
    """Posts request bodies to ``/alexa`` signed as Alexa signs them."""

    client: FlaskClient
    pki: Pki
    host: FakeCertHost
    settings: Settings
    default_key: rsa.RSAPrivateKey = field(init=False)

    def __post_init__(self) -> None:
        self.default_key = self.pki.signer.key

    def post(
        self,
        body: dict[str, Any] | bytes,
        *,
        key: rsa.RSAPrivateKey | None = None,
        cert_url: str = CERT_URL,
        sent_body: bytes | None = None,
        drop_headers: tuple[str, ...] = (),
    ) -> TestResponse:
        """Sign ``body`` with ``key`` and post it (or post ``sent_body`` under that signature)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        headers = signed_headers(raw, key or self.default_key, cert_url)
        for name in drop_headers:
            del headers[name]
        return self.client.post("/alexa", data=raw if sent_body is None else sent_body, headers=headers)


MakeSigned = Callable[..., SignedClient]


@pytest.fixture
def make_signed(pki: Pki, tmp_path: Path) -> MakeSigned:
    """Build a verifying app: ``chain`` is what the fake host serves, ``trust_roots`` what is trusted."""

    def make(
        *,
        chain: bytes | None = None,
        trust_roots: list[x509.Certificate] | None = None,
        fetcher: Callable[[str, float], bytes] | None = None,
        **overrides: Any,
    ) -> SignedClient:
        settings = Settings(data_dir=tmp_path / "data", verify_requests=True).replace(**overrides)
        host = FakeCertHost(pki.chain() if chain is None else chain)
        verifiers = build_verifiers(
            settings,
            cert_fetcher=fetcher or host,
            trust_roots=[pki.root.cert] if trust_roots is None else trust_roots,
        )
        app = create_app(settings, verifiers=verifiers)
        return SignedClient(app.test_client(), pki, host, settings)

    return make


@pytest.fixture
def signed(make_signed: MakeSigned) -> SignedClient:
    return make_signed()


@pytest.fixture
def launch() -> dict[str, Any]:
    """A fresh launch request envelope."""
    return read_request("launch")


def refusal(answer: TestResponse) -> str:
    """The reason of a 400 refusal, checking on the way that it is one."""
    assert answer.status_code == 400, answer.get_data(as_text=True)
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text
    return answer.get_json()["error"]
