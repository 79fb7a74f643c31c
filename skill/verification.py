"""Alexa request verification: the ASK SDK's checks, with the parts it gets wrong made safe.

The SDK's ``RequestVerifier`` keeps its certificate URL rules, its certvalidator chain validation
(to the operating system's trust roots unless told otherwise) and its signature check. What
changes: the certificate chain is downloaded on a worker of its own with a hard deadline, one
download per URL at a time and only a few at once, so a slow or dead certificate host refuses the
request within the timeout instead of holding a server thread; a chain is cached, bounded and
expiring, only after it has been validated, so later requests skip the download and the path
building; every failure becomes a ``VerificationException`` with a short reason; and the signing
certificate's dates and names are read without deprecated or crashing calls.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from skill import oscrypto_compat
from skill.config import Settings

# The SDK's verifier module imports certvalidator, which imports oscrypto: the version fix
# must be in place before that import, and the subclasses below need the import.
oscrypto_compat.install()

from asn1crypto import pem  # noqa: E402
from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    RequestVerifier,
    TimestampVerifier,
    VerificationException,
)
from ask_sdk_webservice_support.verifier_constants import CERT_CHAIN_DOMAIN  # noqa: E402
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler  # noqa: E402
from certvalidator import CertificateValidator, ValidationContext  # noqa: E402
from certvalidator.errors import PathError, ValidationError  # noqa: E402
from cryptography import x509  # noqa: E402

__all__ = [
    "AlexaSignatureVerifier",
    "AlexaTimestampVerifier",
    "CertChainCache",
    "CertDownloads",
    "CertFetcher",
    "MAX_CERT_CHAIN_BYTES",
    "TrustRoot",
    "VerificationException",
    "WebserviceSkillHandler",
    "build_verifiers",
    "download_cert_chain",
]

CertFetcher = Callable[[str, float], bytes]
Clock = Callable[[], float]
# What certvalidator accepts as a trust root: DER or PEM bytes, or an asn1crypto certificate.
TrustRoot = Any
V = TypeVar("V")

# Amazon's chain is a few kilobytes; anything near this is not a certificate chain.
MAX_CERT_CHAIN_BYTES = 64 * 1024
CERT_CACHE_ENTRIES = 32
# Distinct certificate URLs being downloaded at once; more are refused at once, not queued.
MAX_CONCURRENT_DOWNLOADS = 4
_READ_CHUNK = 16 * 1024


def download_cert_chain(url: str, timeout: float) -> bytes:
    """Download ``url`` in about ``timeout`` seconds at most, refusing bodies over the size cap."""
    deadline = time.monotonic() + timeout
    # The socket timeout bounds each network wait; the deadline bounds a host that trickles bytes.
    with urllib.request.urlopen(url, timeout=timeout) as response:
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(_READ_CHUNK):
            size += len(chunk)
            if size > MAX_CERT_CHAIN_BYTES:
                raise ValueError(f"certificate chain is larger than {MAX_CERT_CHAIN_BYTES} bytes")
            if time.monotonic() > deadline:
                raise TimeoutError("certificate download took too long")
            chunks.append(chunk)
    return b"".join(chunks)


class CertChainCache(Generic[V]):
    """Thread-safe cache: at most ``max_entries``, each kept ``ttl`` seconds (or until its own expiry)."""

    def __init__(
        self,
        max_entries: int = CERT_CACHE_ENTRIES,
        ttl: float = 3600.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self._max_entries = max_entries
        self._ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> V | None:
        """Return the value cached for ``url`` unless missing or expired."""
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            expires_at, value = entry
            if self._clock() >= expires_at:
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return value

    def put(self, url: str, value: V, *, max_age: float | None = None) -> None:
        """Remember ``value`` for ``url`` (for less than the ttl if ``max_age`` says so), evicting the oldest."""
        ttl = self._ttl if max_age is None else min(self._ttl, max_age)
        if ttl <= 0 or self._max_entries <= 0:
            return
        with self._lock:
            self._entries[url] = (self._clock() + ttl, value)
            self._entries.move_to_end(url)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class CertDownloads:
    """Runs certificate downloads on daemon threads and waits for each at most ``timeout`` seconds.

    Requests for a URL already being downloaded wait for that download instead of starting
    another; at most ``max_concurrent`` URLs are downloaded at once and any further one is
    refused straight away. A fetcher that hangs therefore costs a request ``timeout`` seconds at
    most, and costs the server one thread per URL, not one per request.
    """

    def __init__(self, fetch: CertFetcher, timeout: float, max_concurrent: int = MAX_CONCURRENT_DOWNLOADS) -> None:
        self._fetch = fetch
        self._timeout = timeout
        self._max_concurrent = max_concurrent
        self._in_flight: dict[str, Future[bytes]] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes:
        """The downloaded bytes; raises ``VerificationException`` on failure or after the timeout."""
        with self._lock:
            future = self._in_flight.get(url)
            if future is None:
                if len(self._in_flight) >= self._max_concurrent:
                    raise VerificationException("Could not download the signing certificate chain: too many downloads")
                future = Future()
                self._in_flight[url] = future
                threading.Thread(
                    target=self._run, args=(url, future), name="legday-cert-download", daemon=True
                ).start()
        try:
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            raise VerificationException("Could not download the signing certificate chain: timed out") from error
        except Exception as error:  # whatever the fetcher raised, the chain could not be had
            reason = _download_failure(error)
            raise VerificationException(f"Could not download the signing certificate chain: {reason}") from error

    def _run(self, url: str, future: Future[bytes]) -> None:
        data, failure = b"", None
        try:
            data = self._fetch(url, self._timeout)
        except Exception as error:  # handed to the waiting requests, which refuse with it
            failure = error
        # Free the slot before waking the waiters, so a finished download never counts as running.
        with self._lock:
            self._in_flight.pop(url, None)
        if failure is not None:
            future.set_exception(failure)
        else:
            future.set_result(data)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)


def _download_failure(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__


def _short_reason(error: VerificationException) -> VerificationException:
    """Turn the SDK's ``VerificationException(message, cause)`` into one readable message."""
    message, *causes = error.args or ("Request verification failed",)
    details = "; ".join(str(cause) for cause in causes if str(cause))
    return VerificationException(f"{message}: {details}" if details else str(message))


@dataclass(frozen=True)
class ValidatedChain:
    """A certificate chain that passed path validation, and its signing certificate."""

    signing_cert: x509.Certificate
    valid_until: datetime


class AlexaSignatureVerifier(RequestVerifier):
    """The SDK's signature verifier with a bounded download, a cache of validated chains and no crash paths.

    ``trust_roots`` replaces the operating system's trust store (tests pass their own CA); the
    default, None, is what production uses.
    """

    def __init__(
        self,
        *,
        cert_fetcher: CertFetcher = download_cert_chain,
        timeout: float = 3.0,
        cache: CertChainCache[ValidatedChain] | None = None,
        trust_roots: Sequence[TrustRoot] | None = None,
        max_concurrent_downloads: int = MAX_CONCURRENT_DOWNLOADS,
    ) -> None:
        super().__init__()
        self._downloads = CertDownloads(cert_fetcher, timeout, max_concurrent_downloads)
        self._chains: CertChainCache[ValidatedChain] = cache if cache is not None else CertChainCache()
        self._trust_roots = list(trust_roots) if trust_roots is not None else None

    def verify(self, headers: Any, serialized_request_env: str, deserialized_request_env: Any) -> None:
        """Check the certificate URL, chain, signing certificate and body signature; raise on failure."""
        try:
            super().verify(headers, serialized_request_env, deserialized_request_env)
        except VerificationException as error:
            raise _short_reason(error) from error

    def _retrieve_and_validate_certificate_chain(self, cert_url: str, x509_backend: Any = None) -> x509.Certificate:
        # The SDK's steps in the SDK's order; a chain that passed them is reused until the cache
        # entry expires or a certificate of its path does, whichever is first.
        self._validate_certificate_url(cert_url)
        chain = self._chains.get(cert_url)
        if chain is None:
            cert_chain = self._load_cert_chain(cert_url)
            valid_until = self._validate_cert_chain(cert_chain)
            try:
                signing_cert = x509.load_pem_x509_certificate(cert_chain)
            except ValueError as error:
                raise VerificationException("Signing certificate could not be read") from error
            self._validate_end_certificate(signing_cert)
            chain = ValidatedChain(signing_cert, valid_until)
            seconds_left = (valid_until - datetime.now(timezone.utc)).total_seconds()
            self._chains.put(cert_url, chain, max_age=seconds_left)
        else:
            # Dates and names are cheap to check again; the path needs no rebuilding.
            self._validate_end_certificate(chain.signing_cert)
        return chain.signing_cert

    def _validate_certificate_url(self, cert_url: str) -> None:
        if not isinstance(cert_url, str):
            raise VerificationException("Signature certificate URL is malformed")
        try:
            super()._validate_certificate_url(cert_url)
        except ValueError as error:
            raise VerificationException("Signature certificate URL is malformed") from error

    def _load_cert_chain(self, cert_url: str) -> bytes:
        data = self._downloads.get(cert_url)
        if not isinstance(data, bytes) or len(data) > MAX_CERT_CHAIN_BYTES or not pem.detect(data):
            raise VerificationException("Signing certificate chain is not PEM")
        return data

    def _validate_cert_chain(self, cert_chain: bytes) -> datetime:  # type: ignore[override]
        """Validate the chain to a trusted root for digital signatures; return when its first certificate expires."""
        try:
            certs = [der for _, _, der in pem.unarmor(cert_chain, multiple=True)]
            if not certs:
                raise ValueError("no certificates")
            context = ValidationContext(trust_roots=self._trust_roots)
            validator = CertificateValidator(certs[0], certs[1:], validation_context=context)
            path = validator.validate_usage(key_usage={"digital_signature"})
        except (PathError, ValidationError) as error:
            raise VerificationException("Certificate chain is not valid", error) from error
        except (ValueError, TypeError) as error:
            raise VerificationException("Signing certificate chain could not be read") from error
        return min(cert["tbs_certificate"]["validity"]["not_after"].native for cert in path)

    def _validate_end_certificate(self, x509_cert: x509.Certificate) -> None:
        now = datetime.now(timezone.utc)
        if not x509_cert.not_valid_before_utc <= now <= x509_cert.not_valid_after_utc:
            raise VerificationException("Signing certificate is expired or not yet valid")
        try:
            names = x509_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound as error:
            raise VerificationException("Signing certificate has no subject alternative names") from error
        except ValueError as error:
            raise VerificationException("Signing certificate extensions could not be read") from error
        if CERT_CHAIN_DOMAIN not in names.get_values_for_type(x509.DNSName):
            raise VerificationException(f"Signing certificate is not issued for {CERT_CHAIN_DOMAIN}")

    def _valid_request_body(self, cert_chain: Any, signature: str, serialized_request_env: str) -> None:
        try:
            base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise VerificationException("Request signature is not valid base64") from error
        try:
            super()._valid_request_body(cert_chain, signature, serialized_request_env)
        except (TypeError, ValueError) as error:
            raise VerificationException("Request signature could not be checked") from error


class AlexaTimestampVerifier(TimestampVerifier):
    """The SDK's 150-second timestamp check, refusing (not crashing on) a timestamp without a time zone."""

    def verify(self, headers: Any, serialized_request_env: str, deserialized_request_env: Any) -> None:
        """Refuse a request whose timestamp is missing, zone-less or too far from now."""
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if isinstance(stamp, datetime) and stamp.utcoffset() is None:
            raise VerificationException("Timestamp verification failed: the timestamp has no time zone")
        if stamp is not None and not isinstance(stamp, datetime):
            raise VerificationException("Timestamp verification failed: the timestamp is not a date and time")
        super().verify(headers, serialized_request_env, deserialized_request_env)


def build_verifiers(
    settings: Settings,
    *,
    cert_fetcher: CertFetcher | None = None,
    trust_roots: Sequence[TrustRoot] | None = None,
) -> list[AbstractVerifier]:
    """Return the signature and timestamp verifiers for ``settings`` (none when verification is off).

    ``cert_fetcher`` and ``trust_roots`` exist for tests: production downloads from Amazon and
    trusts the operating system's roots.
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
