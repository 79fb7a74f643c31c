"""Spoken countdowns for rests and timed holds, composed as SSML breaks between spoken marks, and
durations as said aloud ("2 minutes", "a minute and a half").

Alexa allows at most 10 s per ``<break>``; ``Speech.pause`` splits longer silences. Each spoken mark
takes time to say, so that time is taken out of the silence before the next mark: a 60-second rest
lasts about 60 seconds, not 60 seconds plus the words. The words come from the prompts file.
"""

from __future__ import annotations

from functools import lru_cache

from skill.content import Prompts, load_content
from skill.ssml import Speech

SECONDS_PER_WORD = 0.4
# Marks said aloud, as seconds remaining; the last three are counted one second apart.
LONG_MARKS = (150, 120, 90, 60, 30, 20, 10)
FINAL_MARKS = (3, 2, 1)


def estimate_speech_seconds(text: str) -> float:
    """Rough time Alexa takes to say ``text`` (about 150 words a minute)."""
    return SECONDS_PER_WORD * max(1, len(text.split()))


# Rests and holds come in a few lengths, said over and over. Safe to keep: the words come from first
# variants only (no random pick) and Prompts are compared by identity (each language's loaded once).
@lru_cache(maxsize=1024)
def spoken_duration(prompts: Prompts, seconds: int) -> str:
    """A length of time as said aloud: under a minute in seconds, else in minutes ("a minute and a half")."""
    minutes, rest = divmod(int(seconds), 60)
    if minutes == 0:
        return prompts.say("duration.seconds", seconds=rest)
    if rest == 0:
        return prompts.say("duration.one_minute") if minutes == 1 else prompts.say("duration.minutes", minutes=minutes)
    if rest == 30:
        return (prompts.say("duration.minute_and_half") if minutes == 1
                else prompts.say("duration.minutes_and_half", minutes=minutes))
    if minutes == 1:
        return prompts.say("duration.minute_and_seconds", seconds=rest, seconds_word=prompts.plural(rest, "second"))
    return prompts.say("duration.minutes_and_seconds", minutes=minutes, seconds=rest,
                       seconds_word=prompts.plural(rest, "second"))


def mark_text(seconds_left: int, prompts: Prompts | None = None) -> str:
    """What the countdown says with ``seconds_left`` to go: "2 minutes left", "30 seconds", "3"
    (in ``prompts``' language; English by default)."""
    if seconds_left in FINAL_MARKS:
        return str(seconds_left)
    prompts = prompts or load_content().prompts
    if seconds_left == 60:
        text = prompts.say("countdown.one_minute_left")
    elif seconds_left > 60 and seconds_left % 30 == 0:
        text = prompts.say("countdown.minutes_left", duration=spoken_duration(prompts, seconds_left))
    else:
        text = prompts.say("countdown.seconds_left", seconds=seconds_left)
    # Each mark is a sentence of its own.
    return text[:1].upper() + text[1:]


def countdown_marks(total_seconds: int) -> list[int]:
    marks = [mark for mark in LONG_MARKS if mark < total_seconds]
    if total_seconds > FINAL_MARKS[0] + 1:
        marks.extend(FINAL_MARKS)
    return marks


def compose_countdown(total_seconds: int, intro: str, outro: str,
                      prompts: Prompts | None = None) -> tuple[Speech, float]:
    """Say ``intro``, count ``total_seconds`` down with marks, then say ``outro``.

    The marks are in ``prompts``' language (English by default). Returns the speech and its
    planned length in seconds (silence plus estimated words, intro
    included, outro excluded), which should be close to ``total_seconds``.
    """
    speech, elapsed = _composed(total_seconds, intro, outro, prompts or load_content().prompts)
    return Speech().extend(speech), elapsed


# Rests repeat all workout long with the same few intros and outros: compose each once.
@lru_cache(maxsize=256)
def _composed(total_seconds: int, intro: str, outro: str, prompts: Prompts) -> tuple[Speech, float]:
    speech = Speech(intro)
    elapsed = estimate_speech_seconds(intro)
    for seconds_left in countdown_marks(total_seconds):
        gap = (total_seconds - seconds_left) - elapsed
        if gap > 0:
            speech.pause(gap)
            elapsed += round(gap, 3)
        text = mark_text(seconds_left, prompts)
        speech.say(text + ".")
        elapsed += estimate_speech_seconds(text)
    remainder = total_seconds - elapsed
    if remainder > 0:
        speech.pause(remainder)
        elapsed += round(remainder, 3)
    speech.say(outro)
    return speech, elapsed
