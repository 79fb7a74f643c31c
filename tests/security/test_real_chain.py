"""Amazon's real signing chain (2023) through the production validation: certifi's roots, the production verifier.

Every other verification test trusts the tests' own CA; this one proves that the production trust
store holds a root the real chain leads to, and that the production code path builds that path.
Only the clock is set (inside the chain's dates, after them) and the download is the file.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from skill.cert_chain import ChainError, ChainValidator, production_roots
from skill.verification import AlexaSignatureVerifier
from tests.security.conftest import FakeCertHost
from tests.security.pki import CERT_URL

_FILE = (Path(__file__).parent / "data" / "echo-api-cert-12.pem").read_bytes()
REAL_CHAIN = _FILE[_FILE.index(b"-----BEGIN CERTIFICATE-----"):]  # as Amazon serves it, without our note
INSIDE = datetime(2023, 6, 1, tzinfo=timezone.utc)
AFTER_EXPIRY = datetime(2024, 1, 1, tzinfo=timezone.utc)
BEFORE_ISSUE = datetime(2023, 3, 1, tzinfo=timezone.utc)


def production_verifier(at: datetime, chain: bytes = REAL_CHAIN) -> AlexaSignatureVerifier:
    """The verifier as production builds it (no trust roots given: certifi's), with the clock at ``at``."""
    return AlexaSignatureVerifier(cert_fetcher=FakeCertHost(chain), now=lambda: at)


def with_byte_changed(chain: bytes, certificate: int, offset_from_end: int) -> bytes:
    """``chain`` with one byte of one certificate's DER flipped (counted from the end: the signature)."""
    certs = x509.load_pem_x509_certificates(chain)
    ders = [cert.public_bytes(Encoding.DER) for cert in certs]
    der = bytearray(ders[certificate])
    der[-offset_from_end] ^= 0x01
    ders[certificate] = bytes(der)
    return b"".join(b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(item) + b"-----END CERTIFICATE-----\n"
                    for item in ders)


def test_production_trusts_certifi_roots_and_they_include_amazon_root_ca_1() -> None:
    in_bundle = Path(certifi.where()).read_bytes().count(b"-----BEGIN CERTIFICATE-----")
    roots = production_roots()
    assert len(roots) == in_bundle > 100
    assert any(root.subject.rfc4514_string() == "CN=Amazon Root CA 1,O=Amazon,C=US" for root in roots)


def test_the_real_chain_is_accepted_while_its_signing_certificate_is_valid() -> None:
    signing = production_verifier(INSIDE).signing_certificate(CERT_URL)
    assert signing.subject.rfc4514_string() == "CN=echo-api.amazon.com"
    path = ChainValidator(production_roots()).validate(REAL_CHAIN, INSIDE)
    assert path.valid_until == datetime(2023, 12, 23, 23, 59, 59, tzinfo=timezone.utc)


@pytest.mark.parametrize(("at", "reason"), [(AFTER_EXPIRY, "expired on 2023-12-23"),
                                            (BEFORE_ISSUE, "not valid until 2023-03-16")])
def test_the_real_chain_is_refused_outside_its_dates(at: datetime, reason: str) -> None:
    with pytest.raises(ChainError, match=reason):
        production_verifier(at).signing_certificate(CERT_URL)


@pytest.mark.parametrize(("certificate", "offset"), [(0, 1), (0, 40), (1, 1), (1, 100)],
                         ids=["signing-cert-signature", "signing-cert-signature-early", "intermediate-signature",
                              "intermediate-signature-early"])
def test_the_real_chain_with_a_byte_changed_is_refused(certificate: int, offset: int) -> None:
    changed = with_byte_changed(REAL_CHAIN, certificate, offset)
    assert changed != REAL_CHAIN
    with pytest.raises(ChainError, match="Certificate chain is not valid"):
        production_verifier(INSIDE, changed).signing_certificate(CERT_URL)


def test_the_real_signing_certificate_alone_is_refused_without_its_intermediate() -> None:
    alone = REAL_CHAIN[REAL_CHAIN.index(b"-----BEGIN"):REAL_CHAIN.index(b"-----END CERTIFICATE-----") + 26]
    with pytest.raises(ChainError, match="Certificate chain is not valid"):
        production_verifier(INSIDE, alone).signing_certificate(CERT_URL)
