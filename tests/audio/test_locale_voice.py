"""Local audio speaks each locale's language: gTTS in German for de-DE, espeak-ng's German voice offline."""

from __future__ import annotations

import urllib.parse

import pytest

from audio.render import engines_for, render_ssml, voiced
from skill.config import Settings
from tests.audio.conftest import FakeGoogle

GERMAN = "<speak>Willkommen beim Beintag Trainer! Wollen wir anfangen?</speak>"


def test_german_is_sent_to_google_as_german(audio_settings: Settings, google: FakeGoogle) -> None:
    rendering = render_ssml(GERMAN, audio_settings, locale="de-DE")

    assert [(sent.text, sent.lang) for sent in google.sent] == [
        ("Willkommen beim Beintag Trainer!", "de"), ("Wollen wir anfangen?", "de")]
    assert {urllib.parse.urlsplit(sent.url).hostname for sent in google.sent} == {"translate.google.de"}
    assert rendering.engines == ("gtts",)


def test_the_same_words_in_another_locale_are_another_clip(audio_settings: Settings, google: FakeGoogle) -> None:
    german = render_ssml(GERMAN, audio_settings, locale="de-DE")
    british = render_ssml(GERMAN, audio_settings, locale="en-GB")

    assert german.clip_id != british.clip_id
    assert [sent.lang for sent in google.sent] == ["de", "de", "en", "en"]
    assert {urllib.parse.urlsplit(sent.url).hostname for sent in google.sent[2:]} == {"translate.google.co.uk"}


@pytest.mark.parametrize(("locale", "voice"), [("de-DE", "de"), ("en-GB", "en-gb"), ("en-US", "en-us"),
                                               ("en-IN", "en-gb"), (None, "en-us")])
def test_the_offline_engine_takes_the_locales_voice(offline_settings: Settings, locale: str | None,
                                                     voice: str) -> None:
    (engine,) = engines_for(voiced(offline_settings, locale))
    assert engine.voice()["voice"] == voice


def test_german_renders_offline_with_the_german_voice(offline_settings: Settings, google: FakeGoogle) -> None:
    rendering = render_ssml(GERMAN, offline_settings, locale="de-DE")

    assert rendering.engines == ("espeak-ng",)
    assert rendering.seconds > 1.5
    assert google.count == 0
