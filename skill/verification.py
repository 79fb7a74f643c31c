"""Alexa request verification behind the ASK SDK's web-service interface, on ``cryptography`` alone.

The shapes are the SDK's (``ask-sdk-webservice-support``): a verifier has
``verify(headers, serialized_request_env, deserialized_request_env)`` and raises
``VerificationException``; ``WebserviceSkillHandler.verify_request_and_dispatch(headers, body)``
parses the body into the SDK's ``RequestEnvelope``, runs the verifiers in order and invokes the
skill. The SDK's own classes are not imported: its verifier module imports certvalidator and
oscrypto 1.3.0, which fails to import on OpenSSL 3.0.10 and later (README, Security).

The checks are Amazon's: the certificate URL rules (``skill.cert_url``), the chain to a trusted
root for ``echo-api.amazon.com`` and the SHA-256 RSA signature over the raw body
(``skill.cert_chain`` and below), and a timestamp within 150 s (an hour for skill events).
"""

from __future__ import annotations

import base64
import binascii
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from ask_sdk_runtime.exceptions import AskSdkException
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256

from skill.cert_chain import (
    CertChainCache,
    CertDownloads,
    CertFetcher,
    ChainError,
    ChainValidator,
    ValidatedChain,
    check_signing_certificate,
    download_cert_chain,
    production_roots,
)
from skill.cert_url import CertUrlError, canonical_cert_url
from skill.config import Settings

__all__ = [
    "AbstractVerifier",
    "AlexaSignatureVerifier",
    "AlexaTimestampVerifier",
    "VerificationException",
    "WebserviceSkillHandler",
    "build_verifiers",
]

SIGNATURE_CERT_CHAIN_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
NORMAL_REQUEST_TOLERANCE_SECONDS = 150
SKILL_EVENT_TOLERANCE_SECONDS = 3600
SKILL_EVENTS = frozenset({
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillAccountLinked",
})

Now = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(timezone.utc)


class VerificationException(AskSdkException):
    """A request that failed verification; the message is the one-line reason."""


class AbstractVerifier(ABC):
    """The SDK's verifier interface: raise ``VerificationException`` to refuse a request."""

    @abstractmethod
    def verify(self, headers: Mapping[str, str], serialized_request_env: str,
               deserialized_request_env: RequestEnvelope) -> None:
        """Refuse the request by raising ``VerificationException``."""


class WebserviceSkillHandler:
    """The SDK's web-service entry point: parse the body, run every verifier, invoke the skill."""

    def __init__(self, skill: CustomSkill, verifiers: Sequence[AbstractVerifier] = ()) -> None:
        self._skill = skill
        self._verifiers = list(verifiers)
        # What the SDK's handler adds, so answers say they came through a web service.
        agent = skill.custom_user_agent
        skill.custom_user_agent = "ask-webservice" if agent is None else f"{agent} ask-webservice"

    def verify_request_and_dispatch(self, http_request_headers: Mapping[str, str], http_request_body: str) -> Any:
        """The serialized response to the request in ``http_request_body``; raises on refusal."""
        envelope = self._skill.serializer.deserialize(payload=http_request_body, obj_type=RequestEnvelope)
        for verifier in self._verifiers:
            verifier.verify(http_request_headers, http_request_body, envelope)
        response = self._skill.invoke(request_envelope=envelope, context=None)
        return self._skill.serializer.serialize(response)


class AlexaSignatureVerifier(AbstractVerifier):
    """Checks the certificate URL, the certificate chain and the body's ``Signature-256``.

    A chain that validated is cached under its canonical URL until the cache entry or a
    certificate of its path expires; on a hit the signing certificate's dates and name are
    checked again and the body signature always is.
    """

    def __init__(self, *, cert_fetcher: CertFetcher = download_cert_chain, timeout: float = 3.0,
                 cache: CertChainCache[ValidatedChain] | None = None,
                 trust_roots: Sequence[x509.Certificate] | None = None,
                 downloads: CertDownloads | None = None, now: Now = utc_now) -> None:
        self._downloads = downloads if downloads is not None else CertDownloads(cert_fetcher, timeout)
        self._chains: CertChainCache[ValidatedChain] = cache if cache is not None else CertChainCache()
        self._validator = ChainValidator(production_roots() if trust_roots is None else trust_roots)
        self._now = now

    def verify(self, headers: Mapping[str, str], serialized_request_env: str,
               deserialized_request_env: RequestEnvelope) -> None:
        """Refuse a request whose certificate URL, chain or signature is not Alexa's."""
        cert_url = headers.get(SIGNATURE_CERT_CHAIN_URL_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException("Missing Signature/Certificate for the skill request")
        try:
            signature_bytes = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as error:
            raise VerificationException("Request signature is not valid base64") from error
        try:
            signing_cert = self.signing_certificate(canonical_cert_url(cert_url))
        except (CertUrlError, ChainError) as error:
            raise VerificationException(str(error)) from error
        public_key = signing_cert.public_key()
        if not isinstance(public_key, RSAPublicKey):
            raise VerificationException("Signing certificate does not hold an RSA key")
        try:
            public_key.verify(signature_bytes, serialized_request_env.encode("utf-8"), PKCS1v15(), SHA256())
        except InvalidSignature as error:
            raise VerificationException("Request body is not valid: the signature does not match it") from error

    def signing_certificate(self, canonical_url: str) -> x509.Certificate:
        """The validated signing certificate for ``canonical_url``, from the cache or a fresh download."""
        now = self._now()
        chain = self._chains.get(canonical_url)
        if chain is not None:
            # Dates and names are cheap to check again; the path needs no rebuilding.
            check_signing_certificate(chain.signing_cert, now)
            return chain.signing_cert
        chain = self._validator.validate(self._downloads.get(canonical_url), now)
        self._chains.put(canonical_url, chain, max_age=(chain.valid_until - now).total_seconds())
        return chain.signing_cert


class AlexaTimestampVerifier(AbstractVerifier):
    """Refuses a request whose timestamp is missing, zone-less or more than 150 s (skill events: 1 h) from now."""

    def __init__(self, now: Now = utc_now) -> None:
        self._now = now

    def verify(self, headers: Mapping[str, str], serialized_request_env: str,
               deserialized_request_env: RequestEnvelope) -> None:
        """Refuse a stale, future or unreadable timestamp."""
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if not isinstance(stamp, datetime):
            raise VerificationException("Timestamp verification failed: the timestamp is missing or not a date")
        if stamp.utcoffset() is None:
            raise VerificationException("Timestamp verification failed: the timestamp has no time zone")
        tolerance = SKILL_EVENT_TOLERANCE_SECONDS if request.object_type in SKILL_EVENTS \
            else NORMAL_REQUEST_TOLERANCE_SECONDS
        if abs((self._now() - stamp).total_seconds()) > tolerance:
            raise VerificationException(f"Timestamp verification failed: more than {tolerance} s from now")


def build_verifiers(settings: Settings, *, cert_fetcher: CertFetcher | None = None,
                    trust_roots: Sequence[x509.Certificate] | None = None) -> list[AbstractVerifier]:
    """Return the signature and timestamp verifiers for ``settings`` (none when verification is off).

    ``cert_fetcher`` and ``trust_roots`` exist for tests: production downloads from Amazon and
    trusts certifi's roots.
    """
    if not settings.verify_requests:
        return []
    signature = AlexaSignatureVerifier(
        cert_fetcher=cert_fetcher or download_cert_chain,
        timeout=settings.cert_timeout,
        cache=CertChainCache(ttl=settings.cert_cache_seconds),
        trust_roots=trust_roots,
    )
    return [signature, AlexaTimestampVerifier()]
