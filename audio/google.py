"""The one module that talks to gTTS (Google Translate's text-to-speech host).

gTTS waits forever unless given a timeout, and sends one HTTP request per piece of at most
100 characters. Here every request has a timeout and every attempt a hard deadline (a socket
timeout does not cover name resolution); rate limits, server errors and refused connections
are retried with a short backoff; and after a sentence fails for good the engine rests for a
while, so a dead network costs one failed sentence, not one per sentence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests
from gtts import gTTS, gTTSError

from audio.deadline import DeadlineExceeded, call_with_deadline
from audio.engines import EngineUnavailable, Synthesis

if TYPE_CHECKING:
    from skill.config import Settings

RETRY_DELAYS = (0.3, 0.9)
"""Seconds slept before the second and third attempts: a rate limit gets a bounded retry."""
COOLDOWN_SECONDS = 60.0
"""After a sentence fails for good, gTTS is not asked again for this long."""
_RETRIABLE_STATUS = {429, 500, 502, 503, 504}


class GoogleTTS:
    """gTTS with a timeout, a deadline, bounded retries and a cooldown after failure."""

    name = "gtts"
    suffix = ".mp3"

    def __init__(
        self,
        *,
        lang: str = "en",
        tld: str = "com",
        timeout: float = 5.0,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        cooldown: float = COOLDOWN_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lang = lang
        self.tld = tld
        self.timeout = timeout
        self._retry_delays = retry_delays
        self._cooldown = cooldown
        self._sleep = sleep
        self._clock = clock
        self._resting_until = 0.0
        self._last_failure = ""
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> GoogleTTS:
        """An engine with the language, accent and timeout from Settings."""
        return cls(lang=settings.tts_lang, tld=settings.tts_tld, timeout=settings.tts_timeout)

    def voice(self) -> dict[str, str]:
        """Language and accent: both change the audio Google returns."""
        return {"lang": self.lang, "tld": self.tld}

    def synthesize(self, text: str) -> Synthesis:
        """MP3 of ``text`` from Google, or ``EngineUnavailable`` after bounded retries."""
        with self._lock:
            if self._clock() < self._resting_until:
                raise EngineUnavailable(self._last_failure, skipped=True)
        requests_made = 0
        for attempt in range(len(self._retry_delays) + 1):
            try:
                audio, sent = self._fetch(text)
                return Synthesis(audio, requests_made + sent)
            except _Failure as failure:
                requests_made += failure.requests
                if not failure.retriable or attempt == len(self._retry_delays):
                    self._rest(failure.reason)
                    raise EngineUnavailable(failure.reason, requests_made) from failure.__cause__
                self._sleep(self._retry_delays[attempt])
        raise AssertionError("unreachable")

    def _rest(self, reason: str) -> None:
        with self._lock:
            self._resting_until = self._clock() + self._cooldown
            self._last_failure = reason

    def _fetch(self, text: str) -> tuple[bytes, int]:
        try:
            speech = gTTS(text, lang=self.lang, tld=self.tld, timeout=self.timeout)
            pieces = len(speech.get_bodies())
        except (ValueError, AssertionError) as error:
            raise _Failure(f"gTTS refused the text or language: {error}", retriable=False, requests=0) from error
        chunks: list[bytes] = []
        # Each piece may take the timeout to connect and again to answer; one more covers slow DNS.
        deadline = self.timeout * (2 * pieces + 1)
        try:
            call_with_deadline(lambda: chunks.extend(speech.stream()), deadline, name="gtts")
        except gTTSError as error:
            raise _classify(error, sent=len(chunks) + 1) from error
        except DeadlineExceeded as error:
            reason = f"no answer from Google's TTS host within {deadline:g} s"
            raise _Failure(reason, retriable=False, requests=len(chunks) + 1) from error
        audio = b"".join(chunks)
        if not audio:
            raise _Failure("Google's TTS host answered without audio", retriable=False, requests=pieces)
        return audio, pieces


class _Failure(Exception):
    def __init__(self, reason: str, *, retriable: bool, requests: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retriable = retriable
        self.requests = requests


def _classify(error: gTTSError, *, sent: int) -> _Failure:
    response = error.rsp
    if response is None:
        # A timeout means the network swallows packets: waiting again would only double the wait.
        timed_out = isinstance(error.__context__, requests.exceptions.Timeout)
        reason = "timed out talking" if timed_out else "could not connect"
        return _Failure(f"{reason} to Google's TTS host", retriable=not timed_out, requests=sent)
    status = response.status_code
    if status == 200:
        return _Failure("Google's TTS host answered without audio", retriable=False, requests=sent)
    reason = f"Google's TTS host answered {status} {response.reason or ''}".rstrip()
    return _Failure(reason, retriable=status in _RETRIABLE_STATUS, requests=sent)
