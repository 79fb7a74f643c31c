"""The server the attack runs against: ``legday serve``'s gunicorn (two workers of four threads), verification on.

Only the far end is fake: the certificate host serves the tests' own chains by URL (the good one
at once, others slowly, as a slow or hostile host would), and the trust root is the tests' CA.
Run as ``python -m tests.security.attack_server FOLDER PORT``; the signing keys the attacker
and Alexa use are written to FOLDER.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import Flask

from skill.app import create_app
from skill.cert_chain import CertFetcher
from skill.config import Settings
from skill.serve import serve
from skill.verification import build_verifiers
from tests.security.pki import CERT_URL, Pki, build_pki

SLOW_PREFIX = "https://s3.amazonaws.com/echo.api/slow-"
SLOW_SECONDS = 5.0  # longer than the 3 s download deadline
CHURN_SECONDS = 0.15


def certificate_host(pki: Pki) -> CertFetcher:
    """Amazon's certificate host as an attacker would like it: every URL answers, some slowly."""
    chains = {
        CERT_URL: pki.chain(),
        "https://s3.amazonaws.com/echo.api/rogue.pem": pki.rogue_chain(),
        "https://s3.amazonaws.com/echo.api/expired.pem": pki.chain(pki.expired),
        "https://s3.amazonaws.com/echo.api/self-signed.pem": pki.self_signed.pem,
    }

    def fetch(url: str, timeout: float) -> bytes:
        if url in chains:
            return chains[url]
        time.sleep(SLOW_SECONDS if url.startswith(SLOW_PREFIX) else CHURN_SECONDS)
        return pki.chain()

    return fetch


def write_keys(pki: Pki, folder: Path) -> None:
    """The keys the client signs with: Alexa's (the good signer's) and a stranger's."""
    for name, key in (("signer.pem", pki.signer.key), ("other.pem", pki.other_key)):
        (folder / name).write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))


def main(folder: Path, port: int) -> None:
    """Build the PKI, write the keys, serve until stopped."""
    pki = build_pki()
    write_keys(pki, folder)
    settings = Settings(data_dir=folder / "data", verify_requests=True, log_level="WARNING")

    def make_app() -> Flask:
        verifiers = build_verifiers(settings, cert_fetcher=certificate_host(pki), trust_roots=[pki.root.cert])
        return create_app(settings, verifiers=verifiers)

    serve(make_app, host="127.0.0.1", port=port, workers=2, threads=4, log_level="warning")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
