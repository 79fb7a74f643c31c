"""How much the coach says after each "done": the median words per "done" turn, over whole workouts.

    python -m bench.words

Walks a whole workout, in process through the real endpoint, for every level, length and
equipment, saying "done" until the workout ends, and counts the words of each "done" turn's
speech. The rest countdown's marks ("one minute left", "30 seconds", "3", "2", "1") are not
counted: they are the clock, not talk.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
from pathlib import Path

from skill.app import create_app
from skill.config import Settings
from skill.content import EQUIPMENT, LENGTHS, LEVELS
from skill.conversation.countdown import FINAL_MARKS, LONG_MARKS, mark_text
from skill.local.conversation import Conversation, in_process
from skill.local.nlu import default_matcher

MAX_TURNS = 300
SPOKEN_LENGTHS = {15: "fifteen minute", 30: "thirty minute", 45: "forty five minute"}
SPOKEN_EQUIPMENT = {"bodyweight": "no equipment", "dumbbells": "dumbbells", "barbell": "a barbell"}


def _marks() -> re.Pattern[str]:
    """The countdown's spoken marks, each as a whole sentence."""
    marks = sorted({mark_text(seconds) for seconds in (*LONG_MARKS, *FINAL_MARKS)}, key=len, reverse=True)
    return re.compile(r"(?:(?<=^)|(?<=[.!?] ))(?:" + "|".join(re.escape(mark) for mark in marks) + r")\.")


def words(speech: str, marks: re.Pattern[str]) -> int:
    """Words in ``speech``, countdown marks left out."""
    return len(marks.sub(" ", speech).split())


def done_turn_words(conversation: Conversation, level: str, length: int, equipment: str) -> list[int]:
    """Start a workout and say "done" to its end; the words of each "done" turn."""
    marks = _marks()
    _, exchange = conversation.say(
        f"start a {SPOKEN_LENGTHS[length]} {level} leg day with {SPOKEN_EQUIPMENT[equipment]}")
    counts = []
    for _ in range(MAX_TURNS):
        if exchange.ends_session:
            return counts
        _, exchange = conversation.say("done")
        counts.append(words(exchange.speech, marks))
    raise RuntimeError(f"the {level} {length} {equipment} workout never ended")


def measure(data_dir: Path) -> list[int]:
    """Words of every "done" turn of every workout (a fresh user for each)."""
    app = create_app(Settings(data_dir=data_dir, verify_requests=False))
    counts: list[int] = []
    for index, (level, length, equipment) in enumerate(
            (level, length, equipment) for level in LEVELS for length in LENGTHS for equipment in EQUIPMENT):
        conversation = Conversation(in_process(app), default_matcher())
        conversation.caller.user_id = f"amzn1.ask.account.WORDS-{index}"
        conversation.say("open leg day coach")
        counts.extend(done_turn_words(conversation, level, length, equipment))
    return counts


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        counts = measure(Path(folder))
    print(f"done turns: {len(counts)}; words per done turn: median {statistics.median(counts)}, "
          f"mean {statistics.mean(counts):.1f}, max {max(counts)}")


if __name__ == "__main__":
    main()
