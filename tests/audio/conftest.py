"""Audio test fixtures: Google's TTS host faked at the HTTP layer, so the real gTTS code runs.

gTTS opens its own ``requests.Session`` for every piece of text; every session asks
``get_adapter`` how to send, so patching that one method routes gTTS's real, prepared request
into ``FakeGoogle``. It answers like Google's batchexecute endpoint (a ``)]}'`` guard, then
length-prefixed JSON lines with base64 MP3 inside), with MP3 encoded here by lameenc. Any other
host is refused, so no audio test can reach the network.
"""

from __future__ import annotations

import array
import base64
import io
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import urllib3

from audio import pcm
from skill.config import Settings

MS_PER_CHARACTER = 60
"""Fake speech lasts this long per character of text, like a brisk human voice."""


@dataclass(frozen=True)
class SentRequest:
    """One request gTTS sent: the text piece it asked for, and the timeout it passed."""

    url: str
    text: str
    lang: str
    timeout: object


def fake_speech_mp3(text: str) -> bytes:
    """A tone as long as ``text`` would take to say, as MP3 (24 kHz mono, like Google's)."""
    return _tone_mp3(max(200, len(text) * MS_PER_CHARACTER) // 100 * 100)


_MP3_BY_LENGTH: dict[int, bytes] = {}


def _tone_mp3(milliseconds: int) -> bytes:
    if milliseconds not in _MP3_BY_LENGTH:
        _MP3_BY_LENGTH[milliseconds] = pcm.encode_mp3(pcm.tone(milliseconds, frequency=220.0, volume=0.2))
    return _MP3_BY_LENGTH[milliseconds]


def batchexecute_answer(mp3: bytes) -> bytes:
    """Google's answer format: an anti-JSON guard, then length-prefixed JSON chunks, audio in base64."""
    audio = json.dumps([base64.b64encode(mp3).decode("ascii")])
    envelope = [["wrb.fr", "jQ1olc", audio, None, None, None, "generic"], ["di", 63],
                ["af.httprm", 62, "-6911338946341418745", 27]]
    first = json.dumps(envelope, separators=(",", ":"))
    second = json.dumps([["e", 4, None, None, len(first) + 24]], separators=(",", ":"))
    return f")]}}'\n\n{len(first) + 1}\n{first}\n{len(second) + 1}\n{second}\n".encode("ascii")


class FakeGoogle(requests.adapters.BaseAdapter):
    """Google's TTS endpoint, in process. ``outcomes`` are used one per request, then ``default``.

    An outcome is "ok", "dead" (connection refused), "timeout", "hang" (blocks, ignoring the
    timeout, as a stuck name lookup would), "no-audio" (200 without audio), "not-mp3" (audio
    that cannot be decoded), or an HTTP status code as an int.
    """

    def __init__(self) -> None:
        super().__init__()
        self.default: str | int = "ok"
        self.outcomes: list[str | int] = []
        self.delay = 0.0
        self.sent: list[SentRequest] = []
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._builder = requests.adapters.HTTPAdapter()

    @property
    def count(self) -> int:
        """How many requests reached Google."""
        return len(self.sent)

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: object = None,
             verify: object = True, cert: object = None, proxies: object = None) -> requests.Response:
        host = urllib.parse.urlsplit(request.url).hostname or ""
        if not host.startswith("translate.google."):
            raise requests.exceptions.ConnectionError(f"tests never reach the network (asked for {host})")
        text, lang = _spoken(request.body)
        with self._lock:
            self.sent.append(SentRequest(request.url, text, lang, timeout))
            outcome = self.outcomes.pop(0) if self.outcomes else self.default
        if self.delay:
            time.sleep(self.delay)
        if outcome == "dead":
            raise requests.exceptions.ConnectionError(
                "HTTPSConnectionPool(host='translate.google.com', port=443): Max retries exceeded "
                "(Caused by NewConnectionError: [Errno 101] Network is unreachable)")
        if outcome == "timeout":
            raise requests.exceptions.ConnectTimeout("Connection to translate.google.com timed out.")
        if outcome == "hang":
            self.released.wait(timeout=30)
            raise requests.exceptions.ConnectionError("released by the test")
        if isinstance(outcome, int):
            return self._answer(request, outcome, b"<html>Error</html>", "text/html")
        if outcome == "no-audio":
            return self._answer(request, 200, b")]}'\n\n[[\"e\",4,null,null,50]]\n", "application/json")
        mp3 = b"\xff\xf3not really mp3 at all" * 20 if outcome == "not-mp3" else fake_speech_mp3(text)
        return self._answer(request, 200, batchexecute_answer(mp3), "application/json; charset=utf-8")

    def _answer(self, request: requests.PreparedRequest, status: int, body: bytes,
                content_type: str) -> requests.Response:
        reasons = {200: "OK", 403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error",
                   503: "Service Unavailable"}
        raw = urllib3.HTTPResponse(body=io.BytesIO(body), headers={"Content-Type": content_type},
                                   status=status, reason=reasons.get(status, ""), preload_content=False)
        return self._builder.build_response(request, raw)

    def close(self) -> None:
        self.released.set()
        self._builder.close()


def _spoken(body: str | bytes | None) -> tuple[str, str]:
    """The text and language inside gTTS's form-encoded RPC body."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    form = urllib.parse.parse_qs(body or "")
    rpc = json.loads(form["f.req"][0])
    text, lang, *_ = json.loads(rpc[0][0][1])
    return text, lang


@pytest.fixture(autouse=True)
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """Every audio test talks to this fake instead of Google (and to nothing else)."""
    fake = FakeGoogle()
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: fake)
    yield fake
    fake.close()


@pytest.fixture
def audio_settings(tmp_path: Path) -> Settings:
    """Settings with their own data folder: gTTS first, espeak-ng as the fallback."""
    return Settings(data_dir=tmp_path / "data", verify_requests=False, tts_engine="auto")


@pytest.fixture
def offline_settings(audio_settings: Settings) -> Settings:
    return audio_settings.replace(tts_engine="offline")


def files_in(folder: Path) -> list[Path]:
    """Every file under ``folder`` except lock files."""
    if not folder.exists():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and ".locks" not in path.parts)


def longest_quiet_seconds(mp3: Path, threshold: int = 300) -> float:
    """The longest run of near-silent samples in an MP3."""
    samples = array.array("h", pcm.decode(mp3.read_bytes()))
    longest = run = 0
    for sample in samples:
        run = run + 1 if -threshold < sample < threshold else 0
        longest = max(longest, run)
    return longest / pcm.SAMPLE_RATE
