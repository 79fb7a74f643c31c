"""A person's saved state: the workout in progress, with its explicit transitions, and their history.

``UserRecord.to_dict``/``from_dict`` are the only translation to and from what the store keeps.
Only ints, strings, bools, lists and dicts are stored, so any store (SQLite JSON, DynamoDB) can hold it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from skill.content import EQUIPMENT, LENGTHS, LEVELS, Content
from skill.workout.plan import PlanItem, PlanOptions, estimate_seconds

# Fields added since schema 1 was first saved (rest timers, timer permission) have defaults, so
# records saved before them still load; bump only for changes old records cannot be read through.
SCHEMA_VERSION = 1
# Only the last finished workout is ever used ("last time you did..."). The record is parsed and
# written on every turn, so it carries no longer log than that: twenty entries were three
# quarters of every turn's record and about a quarter of a turn's CPU. Older records are trimmed
# to this when next saved.
HISTORY_LIMIT = 1
# Gaps between turns longer than this count as a break, not as training time.
MAX_COUNTED_GAP_SECONDS = 10 * 60


class CorruptRecord(ValueError):
    """Saved state that cannot be read back (bad shape, old format, unknown exercise)."""


@dataclass(frozen=True)
class SetOutcome:
    """What finishing a set led to."""

    finished_item: PlanItem
    next_item: PlanItem | None
    exercise_finished: bool

    @property
    def workout_finished(self) -> bool:
        return self.next_item is None


@dataclass
class Workout:
    """A leg day in progress: the plan and where the person is in it."""

    options: PlanOptions
    items: list[PlanItem]
    position: int = 0
    set_number: int = 1
    sets_done: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    rest_override: int | None = None
    paused: bool = False
    started_at: str = ""
    last_turn_at: str = ""
    active_seconds: int = 0
    # The answer to "shall I set a rest timer?" for this workout: None until asked.
    rest_timers: bool | None = None

    def __post_init__(self) -> None:
        if not self.sets_done:
            self.sets_done = [0] * len(self.items)

    @property
    def current(self) -> PlanItem:
        return self.items[self.position]

    @property
    def next_item(self) -> PlanItem | None:
        return self.items[self.position + 1] if self.position + 1 < len(self.items) else None

    @property
    def previous_item(self) -> PlanItem | None:
        return self.items[self.position - 1] if self.position > 0 else None

    @property
    def total_sets_done(self) -> int:
        return sum(self.sets_done)

    @property
    def has_started(self) -> bool:
        return self.total_sets_done > 0 or self.position > 0

    def sets_left(self) -> int:
        """Sets still to do, the current one included."""
        remaining = self.current.sets - self.set_number + 1
        return remaining + sum(item.sets for item in self.items[self.position + 1 :])

    def seconds_left(self, content: Content) -> int:
        current = self.current
        remaining_now = PlanItem(
            current.exercise_id, current.block, current.sets - self.set_number + 1,
            current.reps, current.hold_seconds, self.rest_for(current, content),
        )
        later = [
            PlanItem(item.exercise_id, item.block, item.sets, item.reps, item.hold_seconds, self.rest_for(item, content))
            for item in self.items[self.position + 1 :]
        ]
        return estimate_seconds([remaining_now, *later], content)

    def rest_for(self, item: PlanItem, content: Content) -> int:
        """Rest after a set of ``item``: the plan's, or what the person asked for (main block only)."""
        if item.block != "main":
            return item.rest_seconds
        wanted = self.rest_override if self.rest_override is not None else item.rest_seconds
        return clamp_rest(wanted, content)

    def complete_set(self) -> SetOutcome:
        """Count the current set as done and move to the next set or exercise."""
        finished = self.current
        self.sets_done[self.position] += 1
        if self.set_number < finished.sets:
            self.set_number += 1
            return SetOutcome(finished, finished, exercise_finished=False)
        return self._advance(finished)

    def skip_exercise(self) -> SetOutcome:
        """Leave the current exercise, however many sets are done, and move to the next one."""
        finished = self.current
        if self.position not in self.skipped:
            self.skipped.append(self.position)
        return self._advance(finished)

    def go_back(self) -> str:
        """Undo: back one set within an exercise, else to the start of the previous exercise.

        Returns "set" or "exercise" (what moved back), or "" at the very start.
        """
        if self.set_number > 1:
            self.set_number -= 1
            self.sets_done[self.position] = max(0, self.sets_done[self.position] - 1)
            return "set"
        if self.position == 0:
            return ""
        self.position -= 1
        self.set_number = 1
        if self.position in self.skipped:
            self.skipped.remove(self.position)
        return "exercise"

    def restart(self) -> None:
        self.position = 0
        self.set_number = 1
        self.sets_done = [0] * len(self.items)
        self.skipped = []
        self.paused = False

    def _advance(self, finished: PlanItem) -> SetOutcome:
        if self.position + 1 >= len(self.items):
            return SetOutcome(finished, None, exercise_finished=True)
        self.position += 1
        self.set_number = 1
        return SetOutcome(finished, self.current, exercise_finished=True)

    def note_turn(self, now: datetime) -> None:
        """Add the time since the last turn to the training time (long gaps count as breaks)."""
        if self.last_turn_at:
            gap = (now - parse_time(self.last_turn_at)).total_seconds()
            if 0 < gap <= MAX_COUNTED_GAP_SECONDS:
                self.active_seconds += int(gap)
        self.last_turn_at = format_time(now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "options": {"level": self.options.level, "length": self.options.length, "equipment": self.options.equipment},
            "items": [item.to_dict() for item in self.items],
            "position": self.position,
            "set_number": self.set_number,
            "sets_done": list(self.sets_done),
            "skipped": list(self.skipped),
            "rest_override": self.rest_override,
            "paused": self.paused,
            "started_at": self.started_at,
            "last_turn_at": self.last_turn_at,
            "active_seconds": self.active_seconds,
            "rest_timers": self.rest_timers,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any], content: Content) -> Workout:
        items = [PlanItem.from_dict(item) for item in raw["items"]]
        unknown = [item.exercise_id for item in items if item.exercise_id not in content.exercises]
        if unknown:
            raise CorruptRecord(f"saved workout names exercises that no longer exist: {', '.join(unknown)}")
        if any(item.sets < 1 for item in items):
            raise CorruptRecord("saved workout has an exercise with no sets")
        workout = cls(
            options=options_from_dict(raw["options"]),
            items=items,
            position=int(raw["position"]),
            set_number=int(raw["set_number"]),
            sets_done=[int(count) for count in raw["sets_done"]],
            skipped=[int(index) for index in raw.get("skipped", [])],
            rest_override=None if raw.get("rest_override") is None else int(raw["rest_override"]),
            paused=bool(raw.get("paused", False)),
            started_at=saved_time(raw.get("started_at"), "workout start"),
            last_turn_at=saved_time(raw.get("last_turn_at"), "last turn"),
            active_seconds=int(raw.get("active_seconds", 0)),
            rest_timers=raw["rest_timers"] if isinstance(raw.get("rest_timers"), bool) else None,
        )
        if not items or not 0 <= workout.position < len(items) or len(workout.sets_done) != len(items):
            raise CorruptRecord("saved workout position is out of range")
        if not 1 <= workout.set_number <= workout.current.sets:
            raise CorruptRecord("saved set number is out of range")
        return workout


@dataclass(frozen=True)
class HistoryEntry:
    """A finished (or ended early) workout."""

    date: str
    level: str
    length: int
    exercises: tuple[str, ...]
    sets: int
    minutes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "level": self.level,
            "length": self.length,
            "exercises": list(self.exercises),
            "sets": self.sets,
            "minutes": self.minutes,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> HistoryEntry:
        date = saved_time(raw["date"], "workout date")
        if not date:
            raise CorruptRecord("saved workout history has an entry without a date")
        return cls(
            date=date,
            level=str(raw["level"]),
            length=int(raw["length"]),
            exercises=tuple(map(str, raw["exercises"])),
            sets=int(raw["sets"]),
            minutes=int(raw["minutes"]),
        )


@dataclass
class RestTimer:
    """The Alexa timer counting the current rest: its id, when it goes off, and the time left while paused."""

    id: str
    ends_at: str
    paused_seconds: int | None = None

    @property
    def paused(self) -> bool:
        return self.paused_seconds is not None

    def seconds_left(self, now: datetime) -> int:
        if self.paused_seconds is not None:
            return self.paused_seconds
        return max(0, round((parse_time(self.ends_at) - now.astimezone(timezone.utc)).total_seconds()))

    def running(self, now: datetime) -> bool:
        """Still to go off (a paused timer counts): only then is there anything to pause or cancel."""
        return self.seconds_left(now) > 0

    def pause(self, now: datetime) -> None:
        self.paused_seconds = self.seconds_left(now)

    def resume(self, now: datetime) -> None:
        self.ends_at = format_time(now + timedelta(seconds=self.seconds_left(now)))
        self.paused_seconds = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ends_at": self.ends_at, "paused_seconds": self.paused_seconds}

    @classmethod
    def from_dict(cls, raw: Any) -> RestTimer | None:
        """A saved timer, or None when there is none or it cannot be read (it then simply goes off)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            return None
        try:
            timer = cls(id=raw["id"], ends_at=str(raw["ends_at"]),
                        paused_seconds=None if raw.get("paused_seconds") is None else int(raw["paused_seconds"]))
            parse_time(timer.ends_at)
        except (KeyError, TypeError, ValueError, OverflowError):
            return None
        return timer


@dataclass
class UserRecord:
    """Everything kept for one Alexa user between sessions."""

    workout: Workout | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    last_options: PlanOptions | None = None
    last_benefit: str | None = None
    recovered_from: str | None = None
    # One Alexa rest timer per user at a time: the one running now, if any.
    rest_timer: RestTimer | None = None
    # The person said no when Alexa asked for timer permission: never ask again unprompted.
    timers_denied: bool = False
    # "How to enable timers" has been said once; it is not repeated.
    timer_hint_given: bool = False

    def finish_workout(self, now: datetime, content: Content) -> HistoryEntry:
        """Move the workout into history and clear it."""
        workout = self.workout
        assert workout is not None
        done_ids = [item.exercise_id for item, count in zip(workout.items, workout.sets_done) if count > 0]
        entry = HistoryEntry(
            date=format_time(now),
            level=workout.options.level,
            length=workout.options.length,
            exercises=tuple(content.exercise(exercise_id).name for exercise_id in dict.fromkeys(done_ids)),
            sets=workout.total_sets_done,
            minutes=max(1, round(workout.active_seconds / 60)),
        )
        self.history = [*self.history, entry][-HISTORY_LIMIT:]
        self.workout = None
        return entry

    @property
    def last_workout(self) -> HistoryEntry | None:
        return self.history[-1] if self.history else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "workout": self.workout.to_dict() if self.workout else None,
            "history": [entry.to_dict() for entry in self.history],
            "last_options": (
                {"level": self.last_options.level, "length": self.last_options.length,
                 "equipment": self.last_options.equipment}
                if self.last_options else None
            ),
            "last_benefit": self.last_benefit,
            "rest_timer": self.rest_timer.to_dict() if self.rest_timer else None,
            "timers_denied": self.timers_denied,
            "timer_hint_given": self.timer_hint_given,
        }

    @classmethod
    def from_dict(cls, raw: Any, content: Content) -> UserRecord:
        """Read a saved record; raises CorruptRecord for anything that is not a record we can trust."""
        if not raw:
            return cls()
        if not isinstance(raw, dict):
            raise CorruptRecord("saved state is not an object")
        if raw.get("schema") != SCHEMA_VERSION:
            raise CorruptRecord(f"saved state has an unknown format: {raw.get('schema')!r}")
        try:
            return cls(
                workout=Workout.from_dict(raw["workout"], content) if raw.get("workout") else None,
                history=[HistoryEntry.from_dict(entry) for entry in raw.get("history") or []][-HISTORY_LIMIT:],
                last_options=options_from_dict(raw["last_options"]) if raw.get("last_options") else None,
                last_benefit=str(raw["last_benefit"]) if raw.get("last_benefit") else None,
                rest_timer=RestTimer.from_dict(raw.get("rest_timer")),
                timers_denied=raw.get("timers_denied") is True,
                timer_hint_given=raw.get("timer_hint_given") is True,
            )
        except CorruptRecord:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise CorruptRecord(f"saved state is damaged: {error!r}") from error


def options_from_dict(raw: dict[str, Any]) -> PlanOptions:
    options = PlanOptions(level=str(raw["level"]), length=int(raw["length"]), equipment=str(raw["equipment"]))
    if options.level not in LEVELS or options.length not in LENGTHS or options.equipment not in EQUIPMENT:
        raise CorruptRecord(f"saved workout options are not ones we offer: {options}")
    return options


def clamp_rest(seconds: int, content: Content) -> int:
    timing = content.timing
    return max(timing["min_rest_seconds"], min(timing["max_rest_seconds"], int(seconds)))


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def saved_time(value: Any, what: str) -> str:
    """A time read back from the store: "" when there is none, else one that parses and converts
    to UTC (CorruptRecord if not), so no later turn trips over it."""
    if value is None or value == "":
        return ""
    text = str(value)
    try:
        parse_time(text).astimezone(timezone.utc)
    except (ValueError, OverflowError) as error:
        raise CorruptRecord(f"saved {what} is not a time: {text[:40]!r}") from error
    return text


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
