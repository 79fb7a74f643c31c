"""Rendering SSML to one MP3: real silences, sound stand-ins, caching, and the offline fallback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from audio import pcm
from audio.engines import EngineUnavailable
from audio.render import render_ssml, renderer_for
from audio.responses import response_path
from skill.config import Settings
from skill.conversation.countdown import compose_countdown
from tests.audio.conftest import FakeGoogle, files_in, longest_quiet_seconds

GREETING = "<speak>Welcome to Leg Day Coach! Shall we start?</speak>"


def countdown_ssml() -> str:
    speech, _ = compose_countdown(60, "Rest 60 seconds.", "Time's up.")
    return speech.ssml()


def spoken_seconds(settings: Settings, sentences: tuple[str, ...]) -> float:
    """How long the sentence clips last, measured from their decoded audio (all cached by now)."""
    clips = renderer_for(settings).clips
    return sum(pcm.duration_of_pcm(pcm.decode(clips.clip_for(text).path.read_bytes())) for text in sentences)


@pytest.mark.parametrize("engine", ["gtts", "offline"])
def test_a_countdown_lasts_its_spoken_text_plus_its_breaks(
    audio_settings: Settings, google: FakeGoogle, engine: str
) -> None:
    settings = audio_settings.replace(tts_engine=engine)

    rendering = render_ssml(countdown_ssml(), settings)

    script = rendering.script
    expected = spoken_seconds(settings, script.says) + script.pause_ms / 1000
    assert rendering.seconds == pytest.approx(pcm.mp3_duration(rendering.path))
    assert rendering.seconds == pytest.approx(expected, rel=0.10)
    assert 60 * 0.9 <= rendering.seconds <= 60 * 1.1 + 2, "a 60-second rest plays for about 60 seconds"
    assert longest_quiet_seconds(rendering.path) >= 28.8 * 0.95, "the first 28.8 s of breaks is real silence"
    assert rendering.engines == (("gtts",) if engine == "gtts" else ("espeak-ng",))


def test_google_speaks_every_sentence_once(audio_settings: Settings, google: FakeGoogle) -> None:
    rendering = render_ssml(GREETING, audio_settings)

    assert [sent.text for sent in google.sent] == ["Welcome to Leg Day Coach!", "Shall we start?"]
    assert rendering.requests == 2
    assert rendering.engines == ("gtts",)
    assert rendering.notes == ()
    assert response_path(audio_settings, rendering.clip_id) == rendering.path


def test_a_second_render_makes_no_request_and_reuses_the_file(audio_settings: Settings, google: FakeGoogle) -> None:
    first = render_ssml(countdown_ssml(), audio_settings)
    made = google.count
    modified = first.path.stat().st_mtime_ns

    second = render_ssml(countdown_ssml(), audio_settings)

    assert made > 0
    assert google.count == made
    assert second.requests == 0
    assert (second.clip_id, second.path) == (first.clip_id, first.path)
    assert second.path.stat().st_mtime_ns == modified


def test_a_fresh_renderer_finds_the_cache_on_disk(audio_settings: Settings, google: FakeGoogle) -> None:
    render_ssml(GREETING, audio_settings)
    renderer_for.cache_clear()

    again = render_ssml(GREETING, audio_settings)

    assert google.count == 2 and again.requests == 0


@pytest.mark.parametrize(("outcome", "reason"), [(429, "429 Too Many Requests"), ("dead", "could not connect")])
def test_when_google_fails_espeak_ng_speaks_and_says_so(
    audio_settings: Settings, google: FakeGoogle, outcome: int | str, reason: str
) -> None:
    google.default = outcome

    rendering = render_ssml(GREETING, audio_settings)

    assert rendering.engines == ("espeak-ng",)
    assert google.count == rendering.requests == 3, "three tries for the first sentence, none while resting"
    assert len(rendering.notes) == 1
    assert reason in rendering.notes[0] and "espeak-ng spoke instead" in rendering.notes[0]
    assert rendering.seconds > 1.5


def test_with_google_back_the_next_render_gets_google_s_voice(audio_settings: Settings, google: FakeGoogle) -> None:
    google.default = "dead"
    offline = render_ssml(GREETING, audio_settings)
    renderer_for.cache_clear()
    google.default = "ok"

    online = render_ssml(GREETING, audio_settings)

    assert online.engines == ("gtts",)
    assert online.clip_id != offline.clip_id


def test_gtts_only_without_network_raises_and_keeps_no_empty_file(audio_settings: Settings, google: FakeGoogle) -> None:
    google.default = "dead"

    with pytest.raises(EngineUnavailable, match="could not connect"):
        render_ssml(GREETING, audio_settings.replace(tts_engine="gtts"))

    assert files_in(audio_settings.audio_cache_dir) == []


def test_audio_that_does_not_decode_is_never_cached(audio_settings: Settings, google: FakeGoogle) -> None:
    google.default = "not-mp3"

    with pytest.raises(EngineUnavailable, match="cannot be decoded"):
        render_ssml(GREETING, audio_settings.replace(tts_engine="gtts"))

    assert files_in(audio_settings.audio_cache_dir) == []


def test_no_engine_at_all_is_a_clear_error(
    audio_settings: Settings, google: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    google.default = "dead"
    monkeypatch.setitem(sys.modules, "espeakng_loader", None)  # the audio extra's espeak-ng missing
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # and no espeak-ng program either

    with pytest.raises(EngineUnavailable, match=r"pip install 'leg-day-coach\[audio\]'") as raised:
        render_ssml(GREETING, audio_settings)

    assert "could not connect" in str(raised.value)


def test_sound_effects_become_tones_and_are_named(offline_settings: Settings) -> None:
    ssml = ('<speak>Ready. <audio src="soundbank://soundlibrary/clocks/ticks/ticks_01"/> Go! '
            '<audio src="https://example.com/whistle.mp3"/></speak>')

    rendering = render_ssml(ssml, offline_settings)

    assert rendering.notes == (
        "sound effect soundbank://soundlibrary/clocks/ticks/ticks_01 from Alexa's sound library played as ticks",
        "audio clip https://example.com/whistle.mp3 not fetched; played as a tone",
    )
    spoken = spoken_seconds(offline_settings, rendering.script.says)
    assert rendering.seconds == pytest.approx(spoken + 1.0 + 0.3, abs=0.15)


def test_markup_is_read_not_spoken(offline_settings: Settings, google: FakeGoogle) -> None:
    ssml = ('<speak><prosody rate="slow">Squat <emphasis level="strong">deep</emphasis>.</prosody> '
            '<amazon:effect name="whispered">Set <say-as interpret-as="ordinal">2</say-as>.</amazon:effect></speak>')

    rendering = render_ssml(ssml, offline_settings.replace(tts_engine="gtts"))

    assert [sent.text for sent in google.sent] == ["Squat deep.", "Set 2nd."]
    assert rendering.notes == ()


def test_out_gets_a_copy_and_the_cache_keeps_the_original(offline_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "replies" / "reply.mp3"

    rendering = render_ssml(GREETING, offline_settings, out)

    assert rendering.path == out
    cached = response_path(offline_settings, rendering.clip_id)
    assert cached is not None and cached.read_bytes() == out.read_bytes()


def test_a_response_without_speech_renders_a_short_silence(offline_settings: Settings) -> None:
    rendering = render_ssml("", offline_settings)

    assert rendering.seconds == pytest.approx(0.5, abs=0.1)
    assert rendering.engines == ()
    assert "says nothing" in rendering.notes[0]


def test_nothing_is_left_half_written(audio_settings: Settings) -> None:
    render_ssml(countdown_ssml(), audio_settings)

    names = [path.name for path in files_in(audio_settings.audio_cache_dir)]
    assert names and not [name for name in names if name.endswith(".part") or name.startswith(".")]
    assert all(os.path.getsize(path) > 0 for path in files_in(audio_settings.audio_cache_dir))
