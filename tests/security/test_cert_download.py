"""The certificate download: a hard timeout, no redirects, one download per canonical URL, few at once,
few requests waiting, a bounded expiring cache.

A slow or dead certificate host must refuse the request quickly and must not hold server
threads. The tests prove "quickly" without timing anything: the hung fetcher is released only
after the refusal has arrived. (``test_attack.py`` measures it under gunicorn.)
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import pytest

from skill.cert_chain import (
    MAX_CERT_CHAIN_BYTES,
    CertChainCache,
    CertDownloads,
    ChainError,
    ChainValidator,
    download_cert_chain,
)
from skill.verification import AlexaSignatureVerifier
from tests.conftest import read_request
from tests.security.conftest import FakeCertHost, MakeSigned, refusal
from tests.security.pki import CERT_URL, Pki

OTHER_URL = "https://s3.amazonaws.com/echo.api/another-cert.pem"


class HungHost:
    """A certificate host that answers only when the test lets it."""

    def __init__(self, chain: bytes = b"") -> None:
        self.chain = chain
        self.release = threading.Event()
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, url: str, timeout: float) -> bytes:
        with self._lock:
            self.calls.append(url)
        self.release.wait(timeout=30)
        return self.chain


@pytest.fixture
def hung(pki: Pki) -> Iterator[HungHost]:
    host = HungHost(pki.chain())
    yield host
    host.release.set()


def test_a_hung_certificate_host_is_refused_at_the_timeout_not_when_it_answers(
    make_signed: MakeSigned, hung: HungHost
) -> None:
    signed = make_signed(fetcher=hung, cert_timeout=0.2)
    reason = refusal(signed.post(read_request("launch")))
    assert reason == "request verification failed: Could not download the signing certificate chain: timed out"
    assert not hung.release.is_set()  # the refusal did not wait for the host


def test_concurrent_requests_share_one_download_and_only_two_of_them_wait(
    make_signed: MakeSigned, hung: HungHost
) -> None:
    signed = make_signed(fetcher=hung, cert_timeout=0.5)

    def post(_: int) -> str:
        return refusal(signed.post(read_request("launch")))

    with ThreadPoolExecutor(max_workers=6) as pool:
        reasons = list(pool.map(post, range(6)))
    assert sum(reason.endswith("timed out") for reason in reasons) <= 2
    assert sum(reason.endswith("too many requests waiting") for reason in reasons) >= 4
    assert hung.calls == [CERT_URL]


def test_a_request_whose_chain_is_cached_never_waits_behind_downloads(make_signed: MakeSigned, pki: Pki) -> None:
    """Requests naming slow URLs hold at most two threads; one whose chain is cached is answered meanwhile."""
    release = threading.Event()

    def slow_for_others(url: str, timeout: float) -> bytes:
        if url != CERT_URL:
            release.wait(timeout=30)
        return pki.chain()

    signed = make_signed(fetcher=slow_for_others, cert_timeout=30)
    assert signed.post(read_request("launch")).status_code == 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        slow = [pool.submit(signed.post, read_request("launch"), cert_url=f"{OTHER_URL[:-4]}-{n}.pem")
                for n in range(8)]
        deadline = time.monotonic() + 10
        while sum(future.done() for future in slow) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        refused = [future.result() for future in slow if future.done()]  # all but two are refused at once
        assert len(refused) == 6
        assert all("too many requests waiting" in refusal(answer) for answer in refused)
        for _ in range(5):
            assert signed.post(read_request("help")).status_code == 200
        waiting = [future for future in slow if not future.done()]
        release.set()
        assert [future.result(timeout=5).status_code for future in waiting] == [200, 200]


def test_once_the_host_answers_the_next_request_is_accepted(make_signed: MakeSigned, hung: HungHost) -> None:
    signed = make_signed(fetcher=hung, cert_timeout=0.2)
    refusal(signed.post(read_request("launch")))
    hung.release.set()
    assert signed.post(read_request("launch")).status_code == 200


def test_only_a_few_urls_are_downloaded_at_once_and_the_rest_refused_at_once(hung: HungHost) -> None:
    downloads = CertDownloads(hung, timeout=0.1, max_downloads=1)
    with pytest.raises(ChainError, match="timed out"):
        downloads.get(CERT_URL)
    with pytest.raises(ChainError, match="too many downloads"):
        downloads.get(OTHER_URL)
    with pytest.raises(ChainError, match="timed out"):
        downloads.get(CERT_URL)
    assert hung.calls == [CERT_URL]
    hung.release.set()
    assert downloads.get(CERT_URL) == hung.chain


def test_a_finished_download_frees_its_slot(pki: Pki) -> None:
    host = FakeCertHost(pki.chain())
    downloads = CertDownloads(host, timeout=5, max_downloads=1, max_waiting=1)
    assert downloads.get(CERT_URL) == pki.chain()
    assert downloads.get(OTHER_URL) == pki.chain()
    assert (downloads.in_flight(), downloads.waiting()) == (0, 0)


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), "Connection refused"),
        (urllib.error.HTTPError(CERT_URL, 403, "Forbidden", {}, None), "HTTP 403"),  # type: ignore[arg-type]
        (TimeoutError("timed out"), "timed out"),
        (socket.gaierror(-2, "Name or service not known"), "Name or service not known"),
        (ValueError("certificate chain is larger than 65536 bytes"), "larger than"),
        (RuntimeError("a bug in the fetcher"), "a bug in the fetcher"),
    ],
)
def test_a_dead_or_failing_certificate_host_is_a_refusal(
    make_signed: MakeSigned, failure: Exception, reason: str
) -> None:
    def fail(url: str, timeout: float) -> bytes:
        raise failure

    answer = make_signed(fetcher=fail).post(read_request("launch"))
    message = refusal(answer)
    assert message.startswith("request verification failed: Could not download the signing certificate chain")
    assert reason in message


# --- the cache ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_entries_expire_after_their_ttl() -> None:
    clock = FakeClock()
    cache: CertChainCache[str] = CertChainCache(ttl=60, clock=clock)
    cache.put("a", "chain")
    clock.now += 59
    assert cache.get("a") == "chain"
    clock.now += 1
    assert cache.get("a") is None
    assert len(cache) == 0


def test_cache_entries_never_outlive_their_own_max_age() -> None:
    clock = FakeClock()
    cache: CertChainCache[str] = CertChainCache(ttl=3600, clock=clock)
    cache.put("a", "chain", max_age=10)
    clock.now += 10
    assert cache.get("a") is None
    cache.put("b", "chain", max_age=-5)  # already expired: not kept at all
    assert len(cache) == 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache: CertChainCache[int] = CertChainCache(max_entries=3, ttl=60)
    for number in range(3):
        cache.put(f"url-{number}", number)
    assert cache.get("url-0") == 0  # now the most recently used
    for number in range(3, 10):
        cache.put(f"url-{number}", number)
        assert len(cache) == 3
    assert [cache.get(f"url-{n}") for n in (0, 7, 8, 9)] == [None, 7, 8, 9]


def test_a_zero_ttl_disables_the_cache() -> None:
    cache: CertChainCache[str] = CertChainCache(ttl=0)
    cache.put("a", "chain")
    assert cache.get("a") is None


def test_the_verifier_downloads_again_once_the_cached_chain_expires(make_signed: MakeSigned, pki: Pki) -> None:
    clock = FakeClock()
    host = FakeCertHost(pki.chain())
    verifier = AlexaSignatureVerifier(
        cert_fetcher=host, cache=CertChainCache(ttl=60, clock=clock), trust_roots=[pki.root.cert]
    )
    verifier.signing_certificate(CERT_URL)
    clock.now += 30
    verifier.signing_certificate(CERT_URL)
    assert host.calls == [CERT_URL]
    clock.now += 30
    verifier.signing_certificate(CERT_URL)
    assert host.calls == [CERT_URL, CERT_URL]


def test_a_chain_is_cached_no_longer_than_its_first_certificate_to_expire(pki: Pki) -> None:
    validated = ChainValidator([pki.root.cert]).validate(pki.chain(), datetime.now(timezone.utc))
    earliest = min(pki.signer.cert.not_valid_after_utc, pki.intermediate.cert.not_valid_after_utc)
    assert validated.valid_until == earliest


def test_many_distinct_urls_do_not_grow_the_cache_past_its_bound(pki: Pki) -> None:
    host = FakeCertHost(pki.chain())
    cache: CertChainCache[Any] = CertChainCache(max_entries=4, ttl=60)
    verifier = AlexaSignatureVerifier(cert_fetcher=host, cache=cache, trust_roots=[pki.root.cert])
    for number in range(20):
        verifier.signing_certificate(f"https://s3.amazonaws.com/echo.api/cert-{number}.pem")
    assert len(cache) == 4


# --- cache churn: one canonical URL, one cache entry, one download ---------------------------------

SAME_CHAIN_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
    "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com/echo.api/./echo-api-cert-12.pem",
    "https://s3.amazonaws.com/other/../echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com/echo.api//echo-api-cert-12.pem",
]


def test_spellings_of_one_certificate_url_share_one_download_and_one_cache_entry(make_signed: MakeSigned) -> None:
    signed = make_signed()
    for url in SAME_CHAIN_URLS:
        assert signed.post(read_request("launch"), cert_url=url).status_code == 200
    assert signed.host.calls == [CERT_URL]


@pytest.mark.parametrize("suffix", ["#1", "#", "?x=1", "?", "?versionId=2#frag"])
def test_a_url_with_a_fragment_or_query_is_refused_and_never_downloaded(make_signed: MakeSigned, suffix: str) -> None:
    signed = make_signed()
    assert "query or a fragment" in refusal(signed.post(read_request("launch"), cert_url=CERT_URL + suffix))
    assert signed.host.calls == []


def test_unique_fragments_cannot_push_the_real_chain_out_of_the_cache(make_signed: MakeSigned) -> None:
    signed = make_signed()
    assert signed.post(read_request("launch")).status_code == 200
    for number in range(40):  # more than the cache holds
        refusal(signed.post(read_request("launch"), cert_url=f"{CERT_URL}#{number}"))
    assert signed.post(read_request("help")).status_code == 200
    assert signed.host.calls == [CERT_URL]


# --- the real downloader, against servers on 127.0.0.1 -------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b""
    trickle = False
    redirect_to = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.redirect_to and self.path != "/moved.pem":
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-pem-file")
        if not self.trickle:
            self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        if self.trickle:
            stop = self.server.stop  # type: ignore[attr-defined]
            while not stop.is_set():
                try:
                    self.wfile.write(b"A")
                    self.wfile.flush()
                except OSError:
                    return
                stop.wait(0.02)
        else:
            self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[Any]:
    """Start a one-off HTTP server on 127.0.0.1 with the given behaviour; yields its URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(body: bytes = b"", trickle: bool = False, redirect_to: str = "") -> str:
        handler = type("Handler", (_Handler,), {"body": body, "trickle": trickle, "redirect_to": redirect_to})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.stop = threading.Event()  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/echo.api/cert.pem"

    yield start
    for server in servers:
        server.stop.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


def test_the_downloader_returns_the_chain(local_server: Any, pki: Pki) -> None:
    assert download_cert_chain(local_server(pki.chain()), timeout=5) == pki.chain()


def test_the_downloader_refuses_a_body_over_the_size_cap(local_server: Any) -> None:
    with pytest.raises(ValueError, match="larger than"):
        download_cert_chain(local_server(b"A" * (MAX_CERT_CHAIN_BYTES + 1)), timeout=5)


def test_the_downloader_gives_up_on_a_host_that_trickles(local_server: Any) -> None:
    with pytest.raises(TimeoutError):
        download_cert_chain(local_server(trickle=True), timeout=0.3)


def test_the_downloader_gives_up_on_a_host_that_never_answers() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/echo.api/cert.pem"
        with pytest.raises(OSError):  # socket.timeout is TimeoutError, an OSError
            download_cert_chain(url, timeout=0.3)


def test_the_downloader_reports_a_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(urllib.error.URLError):
        download_cert_chain(f"http://127.0.0.1:{port}/echo.api/cert.pem", timeout=1)


@pytest.mark.parametrize("same_host", [True, False], ids=["same-host", "other-host"])
def test_the_downloader_follows_no_redirect(local_server: Any, pki: Pki, same_host: bool) -> None:
    elsewhere = local_server(pki.chain()).replace("/echo.api/cert.pem", "/moved.pem")
    url = local_server(pki.chain(), redirect_to="/moved.pem" if same_host else elsewhere)
    with pytest.raises(urllib.error.HTTPError) as refused:
        download_cert_chain(url, timeout=5)
    assert refused.value.code == 302


def test_a_redirecting_certificate_host_is_a_refusal_that_says_so(make_signed: MakeSigned) -> None:
    def redirect(url: str, timeout: float) -> bytes:
        raise urllib.error.HTTPError(url, 301, "Moved Permanently", {}, None)  # type: ignore[arg-type]

    reason = refusal(make_signed(fetcher=redirect).post(read_request("launch")))
    assert reason.endswith("HTTP 301 (redirects are not followed)")
