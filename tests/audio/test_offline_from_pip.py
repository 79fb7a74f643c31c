"""``legday say --out`` on a machine with pip's install alone: no network, no espeak-ng program."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audio import pcm
from audio.render import renderer_for
from audio.script import Pause, Script, parse
from skill.cli import main
from tests.audio.conftest import FakeGoogle, longest_quiet_seconds

SECONDS_PER_CHARACTER = (0.03, 0.12)
"""espeak-ng at 165 words a minute says about 14 characters a second; a wide margin either side."""


@pytest.fixture
def fresh_machine(tmp_path: Path, google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No espeak-ng on the PATH, Google unreachable, default settings, an empty data folder."""
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEGDAY_TTS_ENGINE", raising=False)
    monkeypatch.chdir(tmp_path)
    google.default = "dead"
    renderer_for.cache_clear()
    assert shutil.which("espeak-ng") is None
    return tmp_path


def say(*words: str) -> tuple[dict[str, Any], str]:
    """One ``legday say --json`` turn: the response envelope, and what was printed after it (audio lines)."""
    result = CliRunner().invoke(main, ["say", "--json", *words], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed, _, after = result.output.partition("\n[audio:")
    return json.loads(printed)["response"], after


def ssml_of(response: dict[str, Any]) -> str:
    return str(response["response"]["outputSpeech"]["ssml"])


def longest_pause_run_seconds(script: Script) -> float:
    """The longest stretch of breaks with nothing said between them."""
    longest = run = 0
    for segment in script.segments:
        run = run + segment.milliseconds if isinstance(segment, Pause) else 0
        longest = max(longest, run)
    return longest / 1000


def test_say_out_speaks_a_rest_countdown_with_real_silences(fresh_machine: Path, google: FakeGoogle) -> None:
    say("--new", "open", "leg", "day", "coach")
    say("start", "a", "fifteen", "minute", "beginner", "leg", "day", "with", "no", "equipment")
    for _ in range(8):  # the warm-up has no rests; the first main set ends in one
        response, printed = say("done", "--out", "reply.mp3")
        if "<break" in ssml_of(response):
            break
    else:
        pytest.fail("no rest countdown within eight sets")

    script = parse(ssml_of(response))
    reply = fresh_machine / "reply.mp3"
    seconds = pcm.mp3_duration(reply)
    spoken = seconds - script.pause_ms / 1000
    characters = sum(len(text) for text in script.says)
    assert "spoken by espeak-ng;" in printed
    assert "gtts unavailable (could not connect to Google's TTS host); espeak-ng spoke instead" in printed
    assert google.count > 0, "Google was asked first"
    assert script.pause_ms >= 30_000, "a rest of at least 30 seconds"
    assert SECONDS_PER_CHARACTER[0] * characters < spoken < SECONDS_PER_CHARACTER[1] * characters, \
        f"{spoken:.1f} s of speech for {characters} characters"
    quiet = longest_pause_run_seconds(script)
    assert quiet * 0.95 <= longest_quiet_seconds(reply) <= quiet + 2, "the breaks are real silence of their length"
