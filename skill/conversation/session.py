"""The turn a step works on: the person's saved record, and the small cursor kept in Alexa's session.

The cursor holds the yes/no question the coach is waiting on (with what its answer needs) and
where the workout stands; ``to_dict``/``from_dict`` are its only translation to and from the
session attributes. Only ``SessionState.settle`` changes the question, from what a reply says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from skill.training.pages import NO_LOG, LogPages
from skill.workout.plan import PlanOptions
from skill.workout.progress import UserRecord

# Alexa timers last at most two hours.
MAX_TIMER_SECONDS = 2 * 60 * 60


class Pending(str, Enum):
    """The yes/no question the coach asked last, kept in the session so "yes" and "no" make sense."""

    RESUME = "resume"
    START = "start"
    RESTART = "restart"
    REPLACE = "replace"
    MORE_BENEFITS = "more_benefits"
    REST_TIMER = "rest_timer"
    MORE_INFO = "more_info"
    DELETE_DATA = "delete_data"
    CHECK_SET = "check_set"
    # "I took six as 6 pm. Want 6 am instead?" (the reminders just set, at the other half of the day)
    REMINDERS_OTHER_HALF = "reminders_other_half"


@dataclass(frozen=True)
class Question:
    """A question left waiting: which, the plan a new workout would have (REPLACE), the rest a timer
    was offered for (REST_TIMER), and the exercise whose form cues were offered (MORE_INFO)."""

    pending: Pending
    requested: PlanOptions | None = None
    rest_seconds: int | None = None
    exercise_id: str | None = None
    # The set heard, while "did you say 900 kilos?" waits (CHECK_SET): reps, load, unit, rpe.
    heard: dict[str, Any] | None = None


class Keep(Enum):
    """A reply that leaves whatever question was waiting as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass
class SessionState:
    """The small cursor kept in Alexa's session attributes: the pending question and where we are."""

    pending: Pending | None = None
    requested: PlanOptions | None = None
    # The rest a timer was offered for, while "shall I set a rest timer?" waits for an answer.
    rest_seconds: int | None = None
    # The exercise explained, while "want the form cues?" waits for an answer.
    exercise_id: str | None = None
    # The set heard, while "did you say 900 kilos?" waits for an answer.
    heard: dict[str, Any] | None = None

    @property
    def question(self) -> Question | None:
        return (Question(self.pending, self.requested, self.rest_seconds, self.exercise_id, self.heard)
                if self.pending else None)

    def settle(self, question: Question | None | Keep) -> None:
        """Leave ``question`` waiting (None: none), unless it is KEEP."""
        if question is KEEP:
            return
        self.pending = question.pending if question else None
        self.requested = question.requested if question else None
        self.rest_seconds = question.rest_seconds if question else None
        self.exercise_id = question.exercise_id if question else None
        self.heard = question.heard if question else None

    def to_dict(self, record: UserRecord) -> dict[str, Any]:
        cursor: dict[str, Any] = {}
        if self.pending:
            cursor["pending"] = self.pending.value
        if self.pending is Pending.REST_TIMER and self.rest_seconds:
            cursor["rest"] = self.rest_seconds
        if self.pending is Pending.MORE_INFO and self.exercise_id:
            cursor["exercise"] = self.exercise_id
        if self.pending is Pending.CHECK_SET and self.heard:
            cursor["heard"] = dict(self.heard)
        if self.requested:
            cursor["requested"] = {
                "level": self.requested.level,
                "length": self.requested.length,
                "equipment": self.requested.equipment,
            }
        if record.workout:
            cursor["position"] = [record.workout.position, record.workout.set_number]
        return cursor

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> SessionState:
        raw = raw or {}
        try:
            pending = Pending(raw["pending"]) if raw.get("pending") else None
        except ValueError:
            pending = None
        requested = None
        if pending is Pending.REPLACE and isinstance(raw.get("requested"), dict):
            try:
                wanted = raw["requested"]
                requested = PlanOptions(str(wanted["level"]), int(wanted["length"]), str(wanted["equipment"]))
            except (KeyError, TypeError, ValueError):
                requested = None
        rest = raw.get("rest")
        rest_seconds = rest if type(rest) is int and 0 < rest <= MAX_TIMER_SECONDS else None
        if pending is Pending.REST_TIMER and rest_seconds is None:
            # A timer offer without the rest it was for cannot be answered: it is no question.
            pending = None
        exercise = raw.get("exercise")
        exercise_id = exercise if isinstance(exercise, str) and exercise else None
        if pending is Pending.MORE_INFO and exercise_id is None:
            pending = None
        heard = _heard(raw.get("heard")) if pending is Pending.CHECK_SET else None
        if pending is Pending.CHECK_SET and heard is None:
            pending = None
        return cls(pending=pending, requested=requested,
                   rest_seconds=rest_seconds if pending is Pending.REST_TIMER else None,
                   exercise_id=exercise_id if pending is Pending.MORE_INFO else None, heard=heard)


def _heard(raw: Any) -> dict[str, Any] | None:
    """A set heard and kept for a check-back, if it is one (whole reps, a finite load, a known unit)."""
    if not isinstance(raw, dict):
        return None
    reps, load, unit, rpe = raw.get("reps"), raw.get("load"), raw.get("unit"), raw.get("rpe")
    if reps is not None and (type(reps) is not int or not 0 <= reps <= 10_000):
        return None
    if load is not None and (type(load) not in (int, float) or not 0 <= load < 10_000):
        return None
    if unit not in (None, "kg", "lb") or (rpe is not None and type(rpe) not in (int, float)):
        return None
    return {"reps": reps, "load": load, "unit": unit, "rpe": rpe}


@dataclass
class Turn:
    """One request's worth of state: the saved record, the session cursor, the time, and what the
    device and person allow (``timers_permitted``: the request says timer permission is granted)."""

    record: UserRecord
    session: SessionState = field(default_factory=SessionState)
    now: datetime = field(default_factory=datetime.now)
    timers_permitted: bool = False
    # The device shows screens (APL): only then is a reply's screen composed.
    shows_screen: bool = True
    # The person Alexa recognised by voice (their own record is the turn's), None for anyone else.
    person_id: str | None = None
    # The request's locale: a person's unit for loads until they choose one.
    locale: str = "en-US"
    # The owner's training log, read a page at a time by a history question (never on other turns).
    log: LogPages = NO_LOG
    # The content language the request is answered in ("en", "de"), from its locale.
    language: str = "en"
