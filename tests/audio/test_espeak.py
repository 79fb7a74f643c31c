"""The offline engine, run for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio import pcm
from audio.engines import EngineUnavailable
from audio.render import engines_for
from audio.espeak import Espeak, espeak_voice
from skill.config import Settings


def test_espeak_ng_speaks_offline() -> None:
    synthesis = Espeak().synthesize("Rest sixty seconds.")

    assert synthesis.requests == 0
    assert synthesis.audio[:4] == b"RIFF"
    assert 0.8 < pcm.duration_of_pcm(pcm.decode(synthesis.audio)) < 3.0


def test_text_that_looks_like_an_option_is_spoken_not_obeyed() -> None:
    synthesis = Espeak().synthesize("--version")

    assert pcm.duration_of_pcm(pcm.decode(synthesis.audio)) > 0.3


def test_a_missing_program_is_named_with_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(EngineUnavailable, match="apt-get install espeak-ng"):
        Espeak().synthesize("Hello.")


def test_an_unknown_voice_is_reported() -> None:
    with pytest.raises(EngineUnavailable, match="voice does not exist"):
        Espeak(voice="xx-nowhere").synthesize("Hello.")


@pytest.mark.parametrize(("lang", "tld", "voice"), [
    ("en", "com", "en-us"), ("en", "co.uk", "en-gb"), ("en", "com.au", "en-gb"), ("fr", "fr", "fr"),
])
def test_voice_follows_gtts_language_and_accent(lang: str, tld: str, voice: str) -> None:
    assert espeak_voice(lang, tld) == voice


@pytest.mark.parametrize(("choice", "names"), [
    ("auto", ["gtts", "espeak-ng"]), ("gtts", ["gtts"]), ("offline", ["espeak-ng"]),
])
def test_settings_choose_the_engines(choice: str, names: list[str]) -> None:
    assert [engine.name for engine in engines_for(Settings(tts_engine=choice))] == names
