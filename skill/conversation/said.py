"""What a person can say (or do) to the coach: one small type per thing, read off the request by a handler.

The coach answers each with one step (``skill.conversation.steps``); "yes", "no" and a few
others may instead answer the question the coach asked last (``skill.conversation.questions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from skill.services import WeeklySchedule


@dataclass(frozen=True)
class Launch:
    """"Alexa, open Leg Day Coach"."""


@dataclass(frozen=True)
class StartWorkout:
    """"start leg day", with the options said; ``None`` means not said.

    Each may name something the skill does not offer (a level or equipment id it lacks, or the
    words heard; a length in minutes, 0 when heard but not a number): it then gets the nearest fit.
    """

    level: str | None = None
    length: int | None = None
    equipment: str | None = None


@dataclass(frozen=True)
class TellMeMore:
    """"tell me more": the rest of what was being explained (an exercise's form cues)."""


@dataclass(frozen=True)
class Done:
    """"done", "next", or Done touched on the screen: the set is over; or the set said with it
    ("eight reps at sixty kilos", "same weight", "that was hard").

    ``reps`` and ``load`` as heard (``load`` may carry a fraction: "sixty two and a half"),
    ``unit`` "kg" or "lb" when said, ``effort`` an effort word's id ("easy", "hard", "too_heavy").
    Nothing said: the planned reps at the load suggested (or the load of the set before).
    """

    reps: int | None = None
    load: float | None = None
    unit: str | None = None
    effort: str | None = None

    @property
    def plain(self) -> bool:
        return self == Done()


@dataclass(frozen=True)
class SetUnit:
    """"use kilos", "switch to pounds": the unit loads are said and suggested in ("kg" or "lb";
    None when the words heard were no unit)."""

    unit: str | None = None


@dataclass(frozen=True)
class Skip:
    """"skip this exercise", or Skip touched on the screen."""


@dataclass(frozen=True)
class Previous:
    """"go back"."""


@dataclass(frozen=True)
class Repeat:
    """"repeat"."""


@dataclass(frozen=True)
class StartOver:
    """"start over"."""


@dataclass(frozen=True)
class Pause:
    """"pause"."""


@dataclass(frozen=True)
class Resume:
    """"resume"."""


@dataclass(frozen=True)
class Progress:
    """"how many sets left", "what's next"."""


@dataclass(frozen=True)
class SetRest:
    """"rest ninety seconds" (``seconds``) or "shorter rests" (``change``: "shorter" or "longer")."""

    seconds: int | None = None
    change: str | None = None


@dataclass(frozen=True)
class UseRestTimers:
    """"use rest timers"."""


@dataclass(frozen=True)
class ExerciseInfo:
    """"how do I do a lunge": the exercise id Alexa resolved, and the words it heard."""

    exercise_id: str | None = None
    heard: str | None = None


@dataclass(frozen=True)
class WhyTrainLegs:
    """"why should I train legs", about one topic (a benefit id), "all", or any."""

    topic: str | None = None


@dataclass(frozen=True)
class Help:
    """"help"."""


@dataclass(frozen=True)
class Stop:
    """"stop" or "cancel"."""


@dataclass(frozen=True)
class NavigateHome:
    """The device's home button, or "go home"."""


@dataclass(frozen=True)
class Fallback:
    """Anything the skill does not understand."""


@dataclass(frozen=True)
class DeleteMyData:
    """"delete my data", "forget me": the person's training log and progress, once they confirm."""


@dataclass(frozen=True)
class Yes:
    """"yes"."""


@dataclass(frozen=True)
class No:
    """"no"."""


class PermissionAnswer(str, Enum):
    """The person's answer to Alexa's own "may Leg Day Coach set timers?" question."""

    ACCEPTED = "ACCEPTED"
    DENIED = "DENIED"
    NOT_ANSWERED = "NOT_ANSWERED"


@dataclass(frozen=True)
class PermissionAnswered:
    """Alexa's permission question was answered; ``rest_seconds`` is the rest that waited for it (0: none)."""

    answer: PermissionAnswer
    rest_seconds: int = 0


Said = (Launch | StartWorkout | TellMeMore | Done | Skip | Previous | Repeat | StartOver | Pause | Resume | Progress | SetRest
        | UseRestTimers | ExerciseInfo | WhyTrainLegs | Help | Stop | NavigateHome | Fallback | Yes | No
        | PermissionAnswered | DeleteMyData | SetUnit)


# History questions (answered from the summary, or one page of the training log).


@dataclass(frozen=True)
class LastWorkout:
    """"what did I do last time"."""


@dataclass(frozen=True)
class LastExercise:
    """"what did I squat last time": the exercise id Alexa resolved, and the words it heard."""

    exercise_id: str | None = None
    heard: str | None = None


@dataclass(frozen=True)
class BestLift:
    """"what's my best deadlift": the exercise id Alexa resolved, and the words it heard."""

    exercise_id: str | None = None
    heard: str | None = None


@dataclass(frozen=True)
class LegDayCount:
    """"how many leg days have I done" (``period``: "week", "month", "year", "ever"; None: ever)."""

    period: str | None = None


@dataclass(frozen=True)
class Streak:
    """"what's my streak": consecutive weeks with a leg day."""


@dataclass(frozen=True)
class ShowProgress:
    """"show my progress": each main lift's load over the last weeks, drawn on a screen."""


HistoryQuestion = LastWorkout | LastExercise | BestLift | LegDayCount | Streak | ShowProgress
Said = Said | HistoryQuestion


# Reminders, and the rest timer that brings the person back.


@dataclass(frozen=True)
class SetReminders:
    """"remind me to train legs every Monday and Thursday at six": weekdays (RFC 5545 codes, as heard), the
    hour and minute as said (an hour of 1 to 12, or 0 to 23), and "am" or "pm" when said; None when not said."""

    days: tuple[str, ...] = ()
    hour: int | None = None
    minute: int | None = None
    period: str | None = None


@dataclass(frozen=True)
class ListReminders:
    """"what reminders do I have"."""


@dataclass(frozen=True)
class CancelReminders:
    """"cancel my leg day reminders"."""


@dataclass(frozen=True)
class RemindersPermissionAnswered:
    """Alexa's reminders permission question was answered (``prompted``: False when the device could not
    ask by voice); ``schedule`` is the one waiting for it."""

    answer: PermissionAnswer
    schedule: WeeklySchedule | None = None
    prompted: bool = True


@dataclass(frozen=True)
class RestOver:
    """The rest timer went off and the person said yes to carrying on: Alexa launched the skill's task."""


Said = Said | SetReminders | ListReminders | CancelReminders | RemindersPermissionAnswered | RestOver
