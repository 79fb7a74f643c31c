"""Spoken countdowns for rests and timed holds, composed as SSML breaks between spoken marks.

Alexa allows at most 10 s per ``<break>``; ``Speech.pause`` splits longer silences. Each spoken mark
takes time to say, so that time is taken out of the silence before the next mark: a 60-second rest
lasts about 60 seconds, not 60 seconds plus the words.
"""

from __future__ import annotations

from functools import lru_cache

from skill.ssml import Speech

SECONDS_PER_WORD = 0.4
# Marks said aloud, as seconds remaining; the last three are counted one second apart.
LONG_MARKS = (150, 120, 90, 60, 30, 20, 10)
FINAL_MARKS = (3, 2, 1)


def estimate_speech_seconds(text: str) -> float:
    """Rough time Alexa takes to say ``text`` (about 150 words a minute)."""
    return SECONDS_PER_WORD * max(1, len(text.split()))


def mark_text(seconds_left: int) -> str:
    if seconds_left in FINAL_MARKS:
        return str(seconds_left)
    if seconds_left % 60 == 0:
        minutes = seconds_left // 60
        return "one minute left" if minutes == 1 else f"{minutes} minutes left"
    return f"{seconds_left} seconds"


def countdown_marks(total_seconds: int) -> list[int]:
    marks = [mark for mark in LONG_MARKS if mark < total_seconds]
    if total_seconds > FINAL_MARKS[0] + 1:
        marks.extend(FINAL_MARKS)
    return marks


def compose_countdown(total_seconds: int, intro: str, outro: str) -> tuple[Speech, float]:
    """Say ``intro``, count ``total_seconds`` down with marks, then say ``outro``.

    Returns the speech and its planned length in seconds (silence plus estimated words, intro
    included, outro excluded), which should be close to ``total_seconds``.
    """
    speech, elapsed = _composed(total_seconds, intro, outro)
    return Speech().extend(speech), elapsed


# Rests repeat all workout long with the same few intros and outros: compose each once.
@lru_cache(maxsize=256)
def _composed(total_seconds: int, intro: str, outro: str) -> tuple[Speech, float]:
    speech = Speech(intro)
    elapsed = estimate_speech_seconds(intro)
    for seconds_left in countdown_marks(total_seconds):
        gap = (total_seconds - seconds_left) - elapsed
        if gap > 0:
            speech.pause(gap)
            elapsed += round(gap, 3)
        text = mark_text(seconds_left)
        speech.say(text + ".")
        elapsed += estimate_speech_seconds(text)
    remainder = total_seconds - elapsed
    if remainder > 0:
        speech.pause(remainder)
        elapsed += round(remainder, 3)
    speech.say(outro)
    return speech, elapsed
