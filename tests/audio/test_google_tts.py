"""gTTS through the fake Google host: timeouts, retries with backoff, cooldown, and what counts as audio."""

from __future__ import annotations

import time

import pytest

from audio import pcm
from audio.engines import EngineUnavailable
from audio.google import RETRY_DELAYS, GoogleTTS
from tests.audio.conftest import FakeGoogle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(clock: FakeClock) -> GoogleTTS:
    return GoogleTTS(timeout=2.5, sleep=clock.sleep, clock=clock, cooldown=60.0)


def test_speaks_through_the_real_gtts_request_with_a_timeout(engine: GoogleTTS, google: FakeGoogle) -> None:
    synthesis = engine.synthesize("Set one of three.")

    assert synthesis.requests == 1
    assert [(sent.text, sent.lang, sent.timeout) for sent in google.sent] == [("Set one of three.", "en", 2.5)]
    assert google.sent[0].url == "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
    assert pcm.duration_of_pcm(pcm.decode(synthesis.audio)) == pytest.approx(1.0, abs=0.15)


def test_text_over_100_characters_goes_in_pieces_one_request_each(engine: GoogleTTS, google: FakeGoogle) -> None:
    text = ("Stand sideways to a wall and rest one hand on it, then swing your outside leg forward and back "
            "like a pendulum, letting the swing grow as your hip loosens.")
    synthesis = engine.synthesize(text)

    assert synthesis.requests == google.count >= 2
    assert all(len(sent.text) <= 100 for sent in google.sent)
    assert all(sent.timeout == 2.5 for sent in google.sent)
    assert pcm.decode(synthesis.audio)


@pytest.mark.parametrize(("outcome", "reason"), [
    (429, "429 Too Many Requests"),
    (503, "503 Service Unavailable"),
    ("dead", "could not connect"),
])
def test_retriable_failures_are_retried_with_backoff_then_given_up(
    engine: GoogleTTS, google: FakeGoogle, clock: FakeClock, outcome: str | int, reason: str
) -> None:
    google.default = outcome

    with pytest.raises(EngineUnavailable, match=reason) as raised:
        engine.synthesize("Rest over.")

    assert google.count == len(RETRY_DELAYS) + 1
    assert raised.value.requests == google.count
    assert clock.slept == list(RETRY_DELAYS)
    assert RETRY_DELAYS == tuple(sorted(RETRY_DELAYS)), "backoff grows"


def test_a_rate_limit_that_clears_is_ridden_out(engine: GoogleTTS, google: FakeGoogle, clock: FakeClock) -> None:
    google.outcomes = [429]

    synthesis = engine.synthesize("Good set.")

    assert synthesis.requests == google.count == 2
    assert clock.slept == [RETRY_DELAYS[0]]


@pytest.mark.parametrize(("outcome", "reason"), [
    (403, "403 Forbidden"),
    ("timeout", "timed out"),
    ("no-audio", "without audio"),
])
def test_failures_that_retrying_cannot_fix_are_not_retried(
    engine: GoogleTTS, google: FakeGoogle, clock: FakeClock, outcome: str | int, reason: str
) -> None:
    google.default = outcome

    with pytest.raises(EngineUnavailable, match=reason):
        engine.synthesize("Rest over.")

    assert google.count == 1
    assert clock.slept == []


def test_after_giving_up_it_rests_without_requests_then_tries_again(
    engine: GoogleTTS, google: FakeGoogle, clock: FakeClock
) -> None:
    google.default = "dead"
    with pytest.raises(EngineUnavailable):
        engine.synthesize("One.")
    tried = google.count

    with pytest.raises(EngineUnavailable, match="could not connect") as resting:
        engine.synthesize("Two.")
    assert resting.value.skipped and resting.value.requests == 0
    assert google.count == tried

    clock.now += 61
    google.default = "ok"
    assert engine.synthesize("Three.").requests == 1


def test_a_host_that_never_answers_costs_a_bounded_wait(google: FakeGoogle) -> None:
    google.default = "hang"
    engine = GoogleTTS(timeout=0.2, sleep=lambda seconds: None)

    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match="no answer"):
        engine.synthesize("Go!")

    assert time.monotonic() - started < 2.0
    assert google.count == 1, "a host that swallows requests is not asked again"
