"""Alexa's signing certificate chain: downloading it safely, validating it with ``cryptography``, caching it.

- The download has a hard deadline, a size cap and follows no redirect. It runs on a thread of
  its own; a request waits for it at most the deadline. Requests for one URL share one download,
  at most ``max_downloads`` URLs download at once, and at most ``max_waiting`` requests of a worker
  wait for downloads at any moment: any more are refused at once, so a slow certificate host can
  hold only that share of the serving threads, and a request whose chain is cached never waits.
- Validation builds the path to a trusted root with ``cryptography.x509.verification`` (the
  Web PKI server profile for the name ``echo-api.amazon.com``), at a given time, and checks that
  the signing certificate may make digital signatures.
- The trusted roots in production are Mozilla's, as shipped by ``certifi``: the same set on a
  laptop, a server and AWS Lambda, whatever the operating system holds.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

from skill.bounded_read import read_bounded

CERT_CHAIN_DOMAIN = "echo-api.amazon.com"
# Amazon's chain is a few kilobytes; anything near this is not a certificate chain.
MAX_CERT_CHAIN_BYTES = 64 * 1024
CERT_CACHE_ENTRIES = 32
# Distinct certificate URLs being downloaded at once.
MAX_CONCURRENT_DOWNLOADS = 4
# Serving threads of one worker that may wait for downloads at once (gunicorn runs 4 per worker).
MAX_WAITING_FOR_DOWNLOADS = 2
_READ_CHUNK = 16 * 1024

CertFetcher = Callable[[str, float], bytes]
Clock = Callable[[], float]
V = TypeVar("V")


class ChainError(ValueError):
    """The chain could not be had or did not validate; the message says why in a few words."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an error: the certificate is at the URL Alexa named, or nowhere."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def download_cert_chain(url: str, timeout: float) -> bytes:
    """Download ``url`` in about ``timeout`` seconds at most, refusing redirects and bodies over the size cap."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        response = opener.open(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        error.close()  # its connection stays open otherwise
        raise
    # The socket timeout bounds each network wait; the deadline bounds a host that trickles bytes.
    with response:
        chunks = iter(lambda: response.read1(_READ_CHUNK), b"")
        return read_bounded(chunks, limit=MAX_CERT_CHAIN_BYTES, deadline=deadline, what="certificate chain")


class CertChainCache(Generic[V]):
    """Thread-safe cache: at most ``max_entries``, each kept ``ttl`` seconds (or until its own expiry)."""

    def __init__(self, max_entries: int = CERT_CACHE_ENTRIES, ttl: float = 3600.0,
                 clock: Clock = time.monotonic) -> None:
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
    """Runs certificate downloads on daemon threads and lets a bounded number of requests wait for them."""

    def __init__(self, fetch: CertFetcher, timeout: float, max_downloads: int = MAX_CONCURRENT_DOWNLOADS,
                 max_waiting: int = MAX_WAITING_FOR_DOWNLOADS) -> None:
        self._fetch = fetch
        self._timeout = timeout
        self._max_downloads = max_downloads
        self._max_waiting = max_waiting
        self._waiting = 0
        self._in_flight: dict[str, Future[bytes]] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes:
        """The downloaded bytes; raises ``ChainError`` when busy, on failure or after the timeout."""
        with self._lock:
            if self._waiting >= self._max_waiting:
                raise ChainError("Could not download the signing certificate chain: too many requests waiting")
            future = self._in_flight.get(url)
            if future is None:
                if len(self._in_flight) >= self._max_downloads:
                    raise ChainError("Could not download the signing certificate chain: too many downloads")
                future = Future()
                self._in_flight[url] = future
                threading.Thread(target=self._run, args=(url, future), name="legday-cert-download",
                                 daemon=True).start()
            self._waiting += 1
        try:
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            raise ChainError("Could not download the signing certificate chain: timed out") from error
        except Exception as error:  # whatever the fetcher raised, the chain could not be had
            raise ChainError(f"Could not download the signing certificate chain: {_download_failure(error)}") from error
        finally:
            with self._lock:
                self._waiting -= 1

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
        """How many URLs are being downloaded now."""
        with self._lock:
            return len(self._in_flight)

    def waiting(self) -> int:
        """How many requests are waiting for a download now."""
        with self._lock:
            return self._waiting


def _download_failure(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}" + (" (redirects are not followed)" if 300 <= error.code < 400 else "")
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__


_roots_lock = threading.Lock()
_production_roots: list[x509.Certificate] = []


def production_roots() -> list[x509.Certificate]:
    """Mozilla's root certificates as ``certifi`` ships them, read once per process."""
    with _roots_lock:
        if not _production_roots:
            import certifi

            with open(certifi.where(), "rb") as bundle:
                data = bundle.read()
            # A few old roots carry serial numbers that newer cryptography warns about; they are
            # still roots Mozilla trusts, and the warning says nothing about this use.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                _production_roots.extend(x509.load_pem_x509_certificates(data))
        return list(_production_roots)


@dataclass(frozen=True)
class ValidatedChain:
    """A certificate chain that passed path validation: its signing certificate, and when its path expires."""

    signing_cert: x509.Certificate
    valid_until: datetime


class ChainValidator:
    """Validates a PEM chain as Alexa's signing chain against ``roots`` at a given time."""

    def __init__(self, roots: Sequence[x509.Certificate]) -> None:
        self._store = Store(list(roots))

    def validate(self, pem_chain: bytes, at: datetime) -> ValidatedChain:
        """The validated chain; raises ``ChainError`` naming the first rule the chain breaks."""
        if len(pem_chain) > MAX_CERT_CHAIN_BYTES:
            raise ChainError(f"Signing certificate chain is larger than {MAX_CERT_CHAIN_BYTES} bytes")
        if not pem_chain.lstrip().startswith(b"-----BEGIN CERTIFICATE-----"):
            raise ChainError("Signing certificate chain is not PEM")
        try:
            certs = x509.load_pem_x509_certificates(pem_chain)
        except ValueError as error:
            raise ChainError("Signing certificate chain could not be read") from error
        signer, intermediates = certs[0], certs[1:]
        # The signing certificate's own rules first: their reasons are clearer than the path's.
        check_signing_certificate(signer, at)
        verifier = PolicyBuilder().store(self._store).time(at).build_server_verifier(DNSName(CERT_CHAIN_DOMAIN))
        try:
            path = verifier.verify(signer, intermediates)
        except VerificationError as error:
            raise ChainError(f"Certificate chain is not valid: {_first_clause(error)}") from error
        try:
            usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound as error:
            raise ChainError("Signing certificate has no key usage") from error
        if not usage.digital_signature:
            raise ChainError("Signing certificate may not make digital signatures")
        return ValidatedChain(signer, min(cert.not_valid_after_utc for cert in path))


def check_signing_certificate(cert: x509.Certificate, at: datetime) -> None:
    """Refuse a signing certificate outside its dates or not issued for ``echo-api.amazon.com``."""
    if at < cert.not_valid_before_utc:
        raise ChainError(f"Signing certificate is not valid until {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
    if at > cert.not_valid_after_utc:
        raise ChainError(f"Signing certificate expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC")
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound as error:
        raise ChainError("Signing certificate has no subject alternative names") from error
    except ValueError as error:
        raise ChainError("Signing certificate extensions could not be read") from error
    if CERT_CHAIN_DOMAIN not in names.get_values_for_type(x509.DNSName):
        raise ChainError(f"Signing certificate is not issued for {CERT_CHAIN_DOMAIN}")


def _first_clause(error: VerificationError) -> str:
    # cryptography's messages end with "(encountered processing <Certificate(...)>)": keep the reason.
    text = str(error).removeprefix("validation failed: ")
    return text.split(" (encountered processing", 1)[0]
