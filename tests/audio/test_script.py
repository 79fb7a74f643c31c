"""SSML read the way Alexa reads it: tags never spoken, breaks as silence, clips kept in place."""

from __future__ import annotations

import pytest

from audio.script import Pause, Say, Sound, parse, parse_break_time, say_as
from skill.ssml import Speech


@pytest.mark.parametrize(("ssml", "segments"), [
    ("<speak>Hello there.</speak>", [Say("Hello there.")]),
    ("Plain text, no tags.", [Say("Plain text, no tags.")]),
    ("<speak>One. Two! Three?</speak>", [Say("One."), Say("Two!"), Say("Three?")]),
    ('<speak>Rest. <break time="1500ms"/> Go.</speak>', [Say("Rest."), Pause(1500), Say("Go.")]),
    ('<speak>Rest. <break time="2.5s"/> Go.</speak>', [Say("Rest."), Pause(2500), Say("Go.")]),
    ('<speak>A <break strength="strong"/> B <break/> C</speak>', [Say("A"), Pause(700), Say("B"), Pause(400), Say("C")]),
    ('<speak>A <break time="10000ms"/><break time="5000ms"/> B</speak>', [Say("A"), Pause(15000), Say("B")]),
    ('<speak><emphasis level="strong">Deep</emphasis> squat.</speak>', [Say("Deep squat.")]),
    ('<speak><prosody rate="slow" pitch="low">Slow down.</prosody></speak>', [Say("Slow down.")]),
    ('<speak><amazon:effect name="whispered">Quiet.</amazon:effect></speak>', [Say("Quiet.")]),
    ('<speak><say-as interpret-as="cardinal">12</say-as> reps.</speak>', [Say("12 reps.")]),
    ('<speak>Your <say-as interpret-as="ordinal">3</say-as> set.</speak>', [Say("Your 3rd set.")]),
    ('<speak><say-as interpret-as="spell-out">RDL</say-as>.</speak>', [Say("R D L.")]),
    ('<speak><sub alias="Romanian deadlift">RDL</sub> next.</speak>', [Say("Romanian deadlift next.")]),
    ('<speak>Knees &amp; toes.</speak>', [Say("Knees & toes.")]),
    ('<speak><p>First.</p><p>Second.</p></speak>', [Say("First."), Pause(1000), Say("Second.")]),
    ('<speak><s>One</s><s>Two</s></speak>', [Say("One"), Pause(700), Say("Two")]),
    ('<speak>Tick <audio src="soundbank://soundlibrary/clocks/ticks/ticks_01"/> tock.</speak>',
     [Say("Tick"), Sound("soundbank://soundlibrary/clocks/ticks/ticks_01"), Say("tock.")]),
])
def test_markup_becomes_sentences_pauses_and_sounds(ssml: str, segments: list) -> None:
    assert list(parse(ssml).segments) == segments


def test_broken_markup_is_read_tag_by_tag_without_speaking_tags() -> None:
    script = parse('<speak>Knees & toes <break time="1s"/> <emphasis>now</speak>')

    assert not script.well_formed
    assert script.segments == (Say("Knees & toes"), Pause(1000), Say("now"))


def test_longest_break_is_per_tag_while_silences_merge() -> None:
    script = parse(Speech("Rest.").pause(25).say("Go.").ssml())

    assert script.segments == (Say("Rest."), Pause(25000), Say("Go."))
    assert script.breaks == (10000, 10000, 5000)
    assert script.longest_break_ms == 10000
    assert script.pause_ms == 25000


@pytest.mark.parametrize(("value", "milliseconds"), [
    ("500ms", 500), ("1.5s", 1500), (" 2 S ", 2000), ("fast", None), (None, None), ("-1s", None),
])
def test_break_times(value: str | None, milliseconds: int | None) -> None:
    assert parse_break_time(value) == milliseconds


@pytest.mark.parametrize(("text", "kind", "spoken"), [
    ("21", "ordinal", "21st"), ("12", "ordinal", "12th"), ("555 1234", "telephone", "5 5 5 1 2 3 4"),
    ("abc", "characters", "a b c"), ("darn", "expletive", "bleep"), ("wow", "interjection", "wow!"),
    ("42", "cardinal", "42"),
])
def test_say_as_is_written_out_for_a_plain_engine(text: str, kind: str, spoken: str) -> None:
    assert say_as(text, kind) == spoken
