"""Building turns for the conversation's own tests: plain Python, no endpoint."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone

from skill.content import load_content
from skill.conversation.coach import Coach
from skill.conversation.reply import Reply
from skill.conversation.said import Done, Said, StartWorkout
from skill.conversation.session import Pending, SessionState, Turn
from skill.services import ServiceAccess
from skill.ssml import plain_text
from skill.workout.plan import PlanOptions
from skill.workout.progress import UserRecord
from tests.timers.fake import FakeTimers

CONTENT = load_content()
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc)
ADVANCED = StartWorkout("advanced", 45, "barbell")
REQUESTED = PlanOptions("intermediate", 15, "bodyweight")
OFFERED_REST = 120
EXPLAINED = "lunge"
HEARD = {"reps": 8, "load": 900, "unit": "kg", "rpe": None}
ACCESS = ServiceAccess("https://api.fake-alexa.test", "token", "en-US")


class Talk:
    """A coach, a fake Timers service, and one person's turns, one after another."""

    def __init__(self, *, permitted: bool = True, seed: int = 3) -> None:
        self.coach = Coach(CONTENT, random.Random(seed))
        self.timers = FakeTimers()
        self.record = UserRecord()
        self.session = SessionState()
        self.now = NOW
        self.permitted = permitted
        self.person_id: str | None = None

    def turn(self) -> Turn:
        return Turn(record=self.record, session=self.session, now=self.now, timers_permitted=self.permitted,
                    shows_screen=False, person_id=self.person_id)

    def say(self, said: Said, *, seconds_later: int = 30) -> Reply:
        self.now += timedelta(seconds=seconds_later)
        return self.coach.answer(self.turn(), said, self.timers.services(ACCESS))

    def until(self, found: str, said: Said = Done()) -> Reply:
        """Say ``said`` until the coach says ``found``."""
        for _ in range(60):
            reply = self.say(said)
            if found in text(reply):
                return reply
        raise AssertionError(f"never said {found!r}")


def text(reply: Reply) -> str:
    return plain_text(reply.speech.ssml())


def says(key: str, reply: Reply) -> bool:
    """The reply says one of the variants of prompt ``key`` (placeholders match any words)."""
    spoken = text(reply)
    return any(re.search(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(variant)), spoken)
               for variant in CONTENT.prompts.variants(key))


def started(talk: Talk) -> Talk:
    """``talk`` in an advanced barbell workout, one set in (so a new start asks first)."""
    talk.say(ADVANCED)
    talk.say(Done())
    return talk


def waiting(talk: Talk, pending: Pending | None) -> Talk:
    """``talk`` with ``pending`` the question waiting (and what its answer needs)."""
    talk.session = SessionState(pending=pending,
                                requested=REQUESTED if pending is Pending.REPLACE else None,
                                rest_seconds=OFFERED_REST if pending is Pending.REST_TIMER else None,
                                exercise_id=EXPLAINED if pending is Pending.MORE_INFO else None,
                                heard=HEARD if pending is Pending.CHECK_SET else None)
    return talk

