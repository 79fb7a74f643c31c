"""A throwaway public-key infrastructure shaped like Alexa's: root CA, intermediate, signing certificate.

Only the trust root and the certificate download are the test's: requests are signed exactly as
Alexa signs them (``Signature-256``: SHA-256 with RSA, PKCS #1 v1.5, over the raw body) and go
through the production verifier.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

ALEXA_DOMAIN = "echo-api.amazon.com"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


@dataclass(frozen=True)
class Issued:
    """A private key and the certificate issued for it."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key, the size Amazon's signing certificates use."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _validity(days_from: float, days_to: float) -> tuple[datetime, datetime]:
    now = datetime.now(timezone.utc)
    return now + timedelta(days=days_from), now + timedelta(days=days_to)


def _certificate(subject: x509.Name, issuer_name: x509.Name, key: rsa.RSAPrivateKey, *, ca: bool,
                 valid_days: tuple[float, float], usage: dict[str, bool]) -> x509.CertificateBuilder:
    """What every certificate here has: names, key, serial, validity, basic constraints, key usage."""
    not_before, not_after = _validity(*valid_days)
    uses = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                          "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**{**uses, **usage}), critical=True)
    )


def issue_ca(common_name: str, *, issuer: Issued | None = None) -> Issued:
    """A CA certificate, self-signed unless ``issuer`` is given."""
    key = new_key()
    subject = _name(common_name)
    builder = _certificate(
        subject, issuer.cert.subject if issuer else subject, key, ca=True, valid_days=(-30, 365),
        usage={"key_cert_sign": True, "crl_sign": True},
    ).add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    signing_key = issuer.key if issuer else key
    return Issued(key, builder.sign(signing_key, hashes.SHA256()))


def issue_signing_cert(
    issuer: Issued,
    *,
    key: rsa.RSAPrivateKey,
    dns_names: tuple[str, ...] | None = (ALEXA_DOMAIN,),
    valid_days: tuple[float, float] = (-1, 30),
    digital_signature: bool = True,
) -> Issued:
    """An end-entity certificate for signing requests; ``dns_names=None`` leaves out the SAN."""
    builder = _certificate(
        _name(ALEXA_DOMAIN), issuer.cert.subject, key, ca=False, valid_days=valid_days,
        usage={"digital_signature": digital_signature, "key_encipherment": True},
    ).add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if dns_names is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]), critical=False
        )
    return Issued(key, builder.sign(issuer.key, hashes.SHA256()))


def sign(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """The Signature-256 header Alexa would send for ``body``."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def signed_headers(body: bytes, key: rsa.RSAPrivateKey, cert_url: str = CERT_URL) -> dict[str, str]:
    """The headers Alexa sends with ``body``: where its certificate chain is, and the signature."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "SignatureCertChainUrl": cert_url,
        "Signature-256": sign(body, key),
    }


def _self_signed_signer(key: rsa.RSAPrivateKey) -> Issued:
    """A signing certificate with the right name that vouches for itself."""
    not_before, not_after = _validity(-1, 30)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(ALEXA_DOMAIN))
        .issuer_name(_name(ALEXA_DOMAIN))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(ALEXA_DOMAIN)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


@dataclass(frozen=True)
class Pki:
    """Trusted and untrusted chains, and signing certificates that break one rule each."""

    root: Issued
    intermediate: Issued
    signer: Issued
    expired: Issued
    not_yet_valid: Issued
    without_san: Issued
    wrong_domain: Issued
    no_signing_usage: Issued
    rogue_root: Issued
    rogue_signer: Issued
    self_signed: Issued
    other_key: rsa.RSAPrivateKey

    def chain(self, leaf: Issued | None = None) -> bytes:
        """PEM chain as Amazon serves it: signing certificate first, then the intermediate."""
        return (leaf or self.signer).pem + self.intermediate.pem

    def rogue_chain(self) -> bytes:
        """A chain that is complete and well formed, but rooted in a CA nobody trusts."""
        return self.rogue_signer.pem + self.rogue_root.pem


def build_pki() -> Pki:
    """A trusted root and intermediate, a good signing certificate, and one bad variant per rule."""
    root = issue_ca("Leg Day Test Root CA")
    intermediate = issue_ca("Leg Day Test Intermediate CA", issuer=root)
    signer_key = new_key()
    rogue_root = issue_ca("Rogue Root CA")
    return Pki(
        root=root,
        intermediate=intermediate,
        signer=issue_signing_cert(intermediate, key=signer_key),
        expired=issue_signing_cert(intermediate, key=signer_key, valid_days=(-30, -1)),
        not_yet_valid=issue_signing_cert(intermediate, key=signer_key, valid_days=(1, 30)),
        without_san=issue_signing_cert(intermediate, key=signer_key, dns_names=None),
        wrong_domain=issue_signing_cert(intermediate, key=signer_key, dns_names=("example.com",)),
        no_signing_usage=issue_signing_cert(intermediate, key=signer_key, digital_signature=False),
        rogue_root=rogue_root,
        rogue_signer=issue_signing_cert(rogue_root, key=signer_key),
        self_signed=_self_signed_signer(signer_key),
        other_key=new_key(),
    )
