"""A person's live record: the workout in progress, with its explicit transitions, their preferences,
and the bounded summary of their training log.

``UserRecord.to_dict``/``from_dict`` are the only translation to and from what the store keeps.
Only ints, floats, strings, bools, lists and dicts are stored, so any store can hold it. The log
itself (every set of every finished workout) is not in the record: a finished workout leaves a
log entry, handed to the store with the same save (``take_log_items``), and a line in the summary.

The summary is not in the record either: the store keeps it apart, written only by the save that
finishes a workout (``take_summary``) and read only when a turn asks for ``UserRecord.summary``, so
a mid-workout turn neither reads nor writes it, however long the history. The sets of the workout
in progress are kept as saved (compact dicts) and turned into ``LoggedSet`` only when the workout
is logged, so a turn does not rebuild every set done so far.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from skill.content import EQUIPMENT, LENGTHS, LEVELS, Content
from skill.store.records import LogItem
from skill.training.calendar import local_day, zone_named
from skill.training.log import UNITS, BadEntry, LogEntry, LoggedSet, workout_id_for
from skill.training.migrate import entries_from_history
from skill.training.summary import Summary
from skill.memo import IdentityMemo
from skill.workout.plan import BLOCKS, PlanItem, PlanOptions, estimate_seconds

log = logging.getLogger(__name__)

# Schema 2: the training log moved out of the record (schema 1 kept a ``history`` of finished
# workouts in it, read and written on every turn). Fields added within a schema have defaults, so
# records saved before them still load; bump only for changes old records cannot be read through.
# The summary moved out of the record within schema 2: a record that still holds a "summary" was
# saved by an earlier release, and its next save moves it apart (a bump would have made the earlier
# release, still serving during an upgrade, read every new record as damaged and start it afresh).
SCHEMA_VERSION = 2
LOG_SCHEMA = 1
# Summaries kept decoded per worker, for as many workouts under way on it (about 13 KB each for a
# person with seventeen exercises logged, 36 KB at most: about 10 MB at most).
SUMMARIES_KEPT = 256
# Gaps between turns longer than this count as a break, not as training time.
MAX_COUNTED_GAP_SECONDS = 10 * 60


# Plans read back and checked, by the list they were read from: a worker's next turn reads the list
# its last save wrote (Workout.to_dict hands the same list on), so a plan is read once per workout.
_plans: IdentityMemo[list[PlanItem]] = IdentityMemo()
# Sets done read back, by the saved dict each was read from: the dicts of the sets done are handed
# on from save to save (never changed once made), so each set is decoded once, not on every turn.
_sets: IdentityMemo[LoggedSet] = IdentityMemo()
# Summaries decoded, by the stored dict each was decoded from: a worker keeps the dict it read at a
# workout's start and hands that very one back at its finish, so a workout decodes the summary once,
# not twice (about 30 microseconds per exercise the person has ever done).
_summaries: IdentityMemo[Summary] = IdentityMemo(SUMMARIES_KEPT)


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
    # Every set done so far as saved (LoggedSet.to_compact with the plan position "at"): what the log
    # entry is made of, decoded only then (``performed``), not on every turn.
    performed_sets: list[dict[str, Any]] = field(default_factory=list)
    # What the log's summary knew, when the workout started, of each loaded exercise in the plan (its
    # saved form, by exercise id): the turns in between suggest loads and spot bests from it without
    # reading the summary. None for a workout saved before it was kept (the summary is read then).
    known: dict[str, dict[str, Any]] | None = None
    # The plan as saved (items never change once a workout is made): written out once, then reused.
    _saved_items: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

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

    def complete_set(self, reps: int | None = None, seconds: int | None = None, load: float | None = None,
                     unit: str | None = None, rpe: float | None = None) -> SetOutcome:
        """Count the current set as done (the planned reps or hold unless told otherwise; load and effort
        when said) and move to the next set or exercise."""
        finished = self.current
        if reps is None and seconds is None:
            reps, seconds = (None, finished.hold_seconds) if finished.is_hold else (finished.reps or None, None)
        self.performed_sets.append({"at": self.position, **LoggedSet(
            exercise=finished.exercise_id, set_number=self.set_number, reps=reps, seconds=seconds, load=load,
            unit=unit, rpe=rpe, block=finished.block,
        ).to_compact()})
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
            self._forget_sets(self.position, from_set=self.set_number)
            return "set"
        if self.position == 0:
            return ""
        self.position -= 1
        self.set_number = 1
        # The exercise is done again from its first set: its earlier sets are not counted twice.
        self.sets_done[self.position] = 0
        self._forget_sets(self.position, from_set=1)
        if self.position in self.skipped:
            self.skipped.remove(self.position)
        return "exercise"

    def restart(self) -> None:
        self.position = 0
        self.set_number = 1
        self.sets_done = [0] * len(self.items)
        self.skipped = []
        self.performed_sets = []
        self.paused = False

    @property
    def performed(self) -> list[tuple[int, LoggedSet]]:
        """Every set done so far, with the plan position it was done at."""
        return [(int(raw["at"]), _logged(raw)) for raw in self.performed_sets]

    def performed_of(self, exercise_id: str, *, position: int | None = None) -> list[LoggedSet]:
        """The sets of one exercise done so far (at one plan position, if given), in order: only
        those are decoded, so a turn's cost does not grow with the sets done before it."""
        return [_logged(raw) for raw in self.performed_sets
                if raw.get("exercise") == exercise_id and (position is None or raw.get("at") == position)]

    def last_performed(self) -> LoggedSet | None:
        """The set done last, if any."""
        return _logged(self.performed_sets[-1]) if self.performed_sets else None

    def logged_sets(self) -> list[LoggedSet]:
        """Every set of the workout for the log: those done, then the rest of a skipped exercise, in plan order."""
        by_position: dict[int, list[LoggedSet]] = {}
        for position, logged in self.performed:
            by_position.setdefault(position, []).append(logged)
        sets: list[LoggedSet] = []
        for position, item in enumerate(self.items):
            done = by_position.get(position, [])
            sets.extend(done)
            if position in self.skipped:
                sets.extend(LoggedSet(exercise=item.exercise_id, set_number=number, skipped=True, block=item.block)
                            for number in range(len(done) + 1, item.sets + 1))
        return sets

    def _forget_sets(self, position: int, from_set: int) -> None:
        self.performed_sets = [raw for raw in self.performed_sets if raw["at"] != position or raw["set"] < from_set]

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
            "items": self._saved_plan(),
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
            # The same dicts every turn (never changed once made): a list of them, not a rebuild.
            "performed": list(self.performed_sets),
            "known": self.known,
        }

    def _saved_plan(self) -> list[dict[str, Any]]:
        if self._saved_items is None:
            self._saved_items = [item.to_dict() for item in self.items]
            _plans.put(self._saved_items, self.items)
        return self._saved_items

    @classmethod
    def from_dict(cls, raw: dict[str, Any], content: Content, *, trusted: bool = False) -> Workout:
        """A saved workout; ``trusted`` when it is this worker's own last save, whose sets and times
        were checked as they were made (they are then kept as they are, not checked again)."""
        saved_items = raw["items"]
        # Only a trusted record (the store's copy of this worker's own save, never changed) may
        # reuse a plan by identity; anything else is read and checked.
        items = _plans.get(saved_items) if trusted and type(saved_items) is list else None
        if items is None:
            items = _checked_plan(saved_items, content)
            if type(saved_items) is list:
                _plans.put(saved_items, items)
        # A trusted record's counts and snapshot are as this worker made them: copied, not converted.
        workout = cls(
            options=options_from_dict(raw["options"]),
            items=items,
            position=int(raw["position"]),
            set_number=int(raw["set_number"]),
            sets_done=list(raw["sets_done"]) if trusted else [int(count) for count in raw["sets_done"]],
            skipped=(list(raw.get("skipped", [])) if trusted
                     else [int(index) for index in raw.get("skipped", [])]),
            rest_override=None if raw.get("rest_override") is None else int(raw["rest_override"]),
            paused=bool(raw.get("paused", False)),
            started_at=(raw.get("started_at") or "" if trusted
                        else saved_time(raw.get("started_at"), "workout start")),
            last_turn_at=(raw.get("last_turn_at") or "" if trusted
                          else saved_time(raw.get("last_turn_at"), "last turn")),
            active_seconds=int(raw.get("active_seconds", 0)),
            rest_timers=raw["rest_timers"] if isinstance(raw.get("rest_timers"), bool) else None,
            known=raw.get("known") if trusted else _known(raw.get("known")),
            _saved_items=saved_items if type(saved_items) is list else None,
        )
        if not items or not 0 <= workout.position < len(items) or len(workout.sets_done) != len(items):
            raise CorruptRecord("saved workout position is out of range")
        if not 1 <= workout.set_number <= workout.current.sets:
            raise CorruptRecord("saved set number is out of range")
        if "performed" not in raw:
            workout.performed_sets = _planned_sets_done(workout)
        elif trusted:
            workout.performed_sets = list(raw["performed"])
        else:
            workout.performed_sets = _performed(raw["performed"], items)
        return workout


def _logged(raw: dict[str, Any]) -> LoggedSet:
    """A set done, as saved, decoded (once per saved dict: see ``_sets``)."""
    return _sets.value_of(raw, LoggedSet.from_dict)


def _checked_plan(raw: Any, content: Content) -> list[PlanItem]:
    """A saved plan, every item of it one the content still has."""
    items = [PlanItem.from_dict(item) for item in raw]
    unknown = [item.exercise_id for item in items if item.exercise_id not in content.exercises]
    if unknown:
        raise CorruptRecord(f"saved workout names exercises that no longer exist: {', '.join(unknown)}")
    if any(item.sets < 1 for item in items):
        raise CorruptRecord("saved workout has an exercise with no sets")
    if any(item.block not in BLOCKS for item in items):
        raise CorruptRecord("saved workout has an exercise in no block of the plan")
    return items


def _performed(raw: Any, items: list[PlanItem]) -> list[dict[str, Any]]:
    """Saved sets checked against the plan, in the compact form they are kept in."""
    performed = []
    for entry in raw:
        position = int(entry["at"])
        if not 0 <= position < len(items) or entry.get("exercise") != items[position].exercise_id:
            raise CorruptRecord("saved set does not match the plan")
        try:
            performed.append({"at": position, **LoggedSet.from_dict(entry).to_compact()})
        except BadEntry as error:
            raise CorruptRecord(f"saved set is damaged: {error}") from error
    return performed



def _known(raw: Any) -> dict[str, dict[str, Any]] | None:
    """The summary's snapshot saved with a workout; None when absent or not of the saved shape."""
    if not isinstance(raw, dict):
        return None
    return {str(exercise): saved for exercise, saved in raw.items() if isinstance(saved, dict)}


def _planned_sets_done(workout: Workout) -> list[dict[str, Any]]:
    """A workout saved before sets were logged one by one: its counts, at the planned reps or hold."""
    return [
        {"at": position, **LoggedSet(exercise=item.exercise_id, set_number=number, block=item.block,
                                     reps=None if item.is_hold else (item.reps or None),
                                     seconds=item.hold_seconds if item.is_hold else None).to_compact()}
        for position, (item, count) in enumerate(zip(workout.items, workout.sets_done))
        for number in range(1, min(count, item.sets) + 1)
    ]


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
    def from_dict(cls, raw: dict[str, Any], *, trusted: bool = False) -> HistoryEntry:
        """A saved entry; ``trusted`` as for a workout (its date is then not checked again)."""
        date = str(raw["date"]) if trusted else saved_time(raw["date"], "workout date")
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


class _LogsWorkoutReplaced:
    """The record's ``workout``: one replaced while it has sets done (a new one started over it) is
    logged as ended early first, so no set done is ever lost. A descriptor of this one field rather
    than a ``__setattr__``, which would run for every field of every record read."""

    def __get__(self, record: UserRecord | None, owner: type | None = None) -> Workout | None:
        if record is None:
            return None  # the field's default, as dataclasses reads it
        return record.__dict__.get(_WORKOUT)

    def __set__(self, record: UserRecord, value: Workout | None) -> None:
        replaced = record.__dict__.get(_WORKOUT)
        if replaced is not None and value is not replaced and replaced.performed_sets:
            moment = replaced.last_turn_at or replaced.started_at
            record._log_workout(replaced, parse_time(moment) if moment else datetime.now(timezone.utc))
        record.__dict__[_WORKOUT] = value


_WORKOUT = "_workout_in_progress"


@dataclass
class UserRecord:
    """The live record of one owner (an account, or a person Alexa recognised in it), read every turn.

    Bounded whatever the history: the workout in progress, preferences, the last workout and the
    answers kept for repeated requests. The summary of the log is kept apart by the store and read
    only when ``summary`` is asked for. A workout replaced while it has
    sets done (a new one started over it) is logged as ended early, so no set done is ever lost.
    """

    workout: Workout | None = _LogsWorkoutReplaced()  # type: ignore[assignment]
    # The last finished workout, the one "last time you..." speaks of.
    last: HistoryEntry | None = None
    last_options: PlanOptions | None = None
    last_benefit: str | None = None
    recovered_from: str | None = None
    # One Alexa rest timer per user at a time: the one running now, if any.
    rest_timer: RestTimer | None = None
    # The person said no when Alexa asked for timer permission: never ask again unprompted.
    timers_denied: bool = False
    # "How to enable timers" has been said once; it is not repeated.
    timer_hint_given: bool = False
    # The owner's IANA time zone, None until known: until then days and weeks are counted in UTC.
    time_zone: str | None = None
    # The unit the person chose for loads ("kg" or "lb"), None until they choose (the locale's then).
    unit: str | None = None
    # The answers to the last few requests that changed this record (see intents/replay.py).
    answers: list[dict[str, Any]] = field(default_factory=list)
    _summary: Summary | None = field(default=None, init=False, repr=False, compare=False)
    # Reads the stored summary (set by the turn's loader); none means there is none yet.
    _summary_source: Callable[[], dict[str, Any] | None] | None = field(
        default=None, init=False, repr=False, compare=False)
    # A summary still inside a record saved by an earlier release: read from here, moved apart on save.
    _summary_inside: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)
    # Whether this turn changed the summary (or has one to move apart): the save then writes it.
    _summary_changed: bool = field(default=False, init=False, repr=False, compare=False)
    _pending: list[LogEntry] = field(default_factory=list, init=False, repr=False, compare=False)
    _content: Content | None = field(default=None, init=False, repr=False, compare=False)

    def read_summary_from(self, source: Callable[[], dict[str, Any] | None]) -> None:
        """Where ``summary`` reads the stored summary from, the first time a turn asks for it."""
        self._summary_source = source

    @property
    def summary(self) -> Summary:
        """The log's summary (counts, streak, per-exercise last sets and bests), read from the store
        the first time a turn asks for it: the turns that speak of history, and the one that ends a
        workout; an ordinary turn never does."""
        if self._summary is None:
            if self._summary_inside is not None:
                saved = self._summary_inside
            else:
                saved = self._summary_source() if self._summary_source is not None else None
            try:
                # Each reader gets a copy of its own: what one turn changes never reaches another.
                self._summary = _summaries.value_of(saved, Summary.from_dict).copy()
            except BadEntry as error:
                # Derived data: a damaged summary is started again rather than costing the workout.
                log.warning("starting a new training summary: %s", error)
                self._summary = Summary()
        return self._summary

    def finish_workout(self, now: datetime, content: Content) -> HistoryEntry:
        """End the workout: log it (every set), count it in the summary, and clear it."""
        workout = self.workout
        assert workout is not None
        self._content = content
        entry = self._log_workout(workout, now)
        self.__dict__[_WORKOUT] = None  # logged just now: not logged again as replaced
        return entry

    def _log_workout(self, workout: Workout, now: datetime) -> HistoryEntry:
        sets = workout.logged_sets()
        done = [logged for logged in sets if not logged.skipped]
        exercise_ids = tuple(dict.fromkeys(logged.exercise for logged in done))
        finished_at = format_time(now)
        entry = LogEntry(
            workout_id=workout_id_for(workout.started_at, finished_at),
            started_at=workout.started_at,
            finished_at=finished_at,
            date=local_day(now, zone_named(self.time_zone)).isoformat(),
            level=workout.options.level,
            length=workout.options.length,
            equipment=workout.options.equipment,
            minutes=max(1, round(workout.active_seconds / 60)),
            sets=tuple(sets),
            exercises=exercise_ids,
            set_count=len(done),
            ended_early=len(done) < sum(item.sets for item in workout.items),
        )
        self._pending.append(entry)
        self.summary.add(entry)
        self._summary_changed = True
        content = self._content
        self.last = HistoryEntry(
            date=finished_at, level=entry.level, length=entry.length,
            exercises=tuple(content.exercise(exercise).name if content and exercise in content.exercises
                            else exercise for exercise in exercise_ids),
            sets=entry.set_count, minutes=entry.minutes,
        )
        return self.last

    def take_log_items(self) -> list[LogItem]:
        """The log entries this turn made (finished or migrated workouts), for the store to append with
        the record's save; the record's saved form never holds them, so a refused save loses none."""
        items = [entry.log_item() for entry in self._pending]
        self._pending.clear()
        return items

    def take_summary(self) -> dict[str, Any] | None:
        """The summary for the store to write with this save (in the same transaction), if this turn
        changed it or moves it out of an earlier release's record; else None (nothing to write)."""
        if not self._summary_changed:
            return None
        self._summary_changed = False
        return self._summary.to_dict() if self._summary is not None else self._summary_inside

    @property
    def last_workout(self) -> HistoryEntry | None:
        return self.last

    @property
    def history(self) -> list[HistoryEntry]:
        """The last workout as a list (what schema 1 kept); the whole log is in the store."""
        return [self.last] if self.last else []

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "workout": self.workout.to_dict() if self.workout else None,
            "last": self.last.to_dict() if self.last else None,
            "last_options": (
                {"level": self.last_options.level, "length": self.last_options.length,
                 "equipment": self.last_options.equipment}
                if self.last_options else None
            ),
            "last_benefit": self.last_benefit,
            "rest_timer": self.rest_timer.to_dict() if self.rest_timer else None,
            "timers_denied": self.timers_denied,
            "timer_hint_given": self.timer_hint_given,
            "time_zone": self.time_zone,
            "unit": self.unit,
            "answers": list(self.answers),
        }

    @classmethod
    def from_dict(cls, raw: Any, content: Content, *, trusted: bool = False) -> UserRecord:
        """Read a saved record (schema 2, or schema 1 migrated); CorruptRecord for anything we cannot trust.

        ``trusted``: the record is this worker's own last save, checked as it was made (see Workout.from_dict).
        """
        if not raw:
            record = cls()
            record._content = content
            return record
        if not isinstance(raw, dict):
            raise CorruptRecord("saved state is not an object")
        schema = raw.get("schema")
        if schema not in (LOG_SCHEMA, SCHEMA_VERSION) or type(schema) is not int:
            raise CorruptRecord(f"saved state has an unknown format: {schema!r}")
        try:
            record = cls(
                workout=Workout.from_dict(raw["workout"], content, trusted=trusted) if raw.get("workout") else None,
                last_options=options_from_dict(raw["last_options"]) if raw.get("last_options") else None,
                last_benefit=str(raw["last_benefit"]) if raw.get("last_benefit") else None,
                rest_timer=RestTimer.from_dict(raw.get("rest_timer")),
                timers_denied=raw.get("timers_denied") is True,
                timer_hint_given=raw.get("timer_hint_given") is True,
                time_zone=raw["time_zone"] if isinstance(raw.get("time_zone"), str) else None,
                unit=raw["unit"] if raw.get("unit") in UNITS else None,
            )
            record._content = content
            if schema == LOG_SCHEMA:
                record._migrate(raw.get("history") or [], content)
            else:
                record.last = HistoryEntry.from_dict(raw["last"], trusted=trusted) if raw.get("last") else None
                summary = raw.get("summary")
                # Saved by an earlier release, the summary inside: it moves apart with the next save.
                if isinstance(summary, dict):
                    record._summary_inside, record._summary_changed = summary, True
                record.answers = (list(raw.get("answers") or []) if trusted
                                  else [answer for answer in raw.get("answers") or [] if _kept_answer(answer)])
            return record
        except CorruptRecord:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise CorruptRecord(f"saved state is damaged: {error!r}") from error

    def _migrate(self, history: Any, content: Content) -> None:
        """A schema 1 record's finished workouts become log entries (appended with the next save)
        and the summary's first counts; the newest stays the one spoken of."""
        checked = [HistoryEntry.from_dict(entry) for entry in history]
        ids_by_name = {exercise.name: exercise.id for exercise in content.exercises.values()}
        equipment = self.last_options.equipment if self.last_options else str(content.defaults["equipment"])
        entries = entries_from_history([entry.to_dict() for entry in checked], ids_by_name,
                                       zone_named(self.time_zone), equipment)
        summary = Summary()
        for entry in entries:
            summary.add(entry)
        self._summary, self._summary_changed = summary, True
        self._pending.extend(entries)
        self.last = max(checked, key=lambda entry: parse_time(entry.date)) if checked else None


def _kept_answer(answer: Any) -> bool:
    return (isinstance(answer, dict) and isinstance(answer.get("id"), str) and isinstance(answer.get("at"), str)
            and isinstance(answer.get("text"), str))


def options_from_dict(raw: dict[str, Any]) -> PlanOptions:
    """Saved workout options; CorruptRecord for ones we do not offer."""
    return _saved_options(raw["level"], raw["length"], raw["equipment"])


@lru_cache(maxsize=256)
def _saved_options(level: Any, length: Any, equipment: Any) -> PlanOptions:
    """Saved options, read once per process: every turn reads one of a few dozen back (they are immutable)."""
    options = PlanOptions(level=str(level), length=int(length), equipment=str(equipment))
    if options.level not in LEVELS or options.length not in LENGTHS or options.equipment not in EQUIPMENT:
        raise CorruptRecord(f"saved workout options are not ones we offer: {options}")
    return options


def clamp_rest(seconds: int, content: Content) -> int:
    timing = content.timing
    return max(timing["min_rest_seconds"], min(timing["max_rest_seconds"], int(seconds)))


# The last moment written and its text: a turn writes its own moment more than once (the workout's
# last turn, the kept answer), and each write costs a time zone conversion.
_written: tuple[datetime, str] | None = None


def format_time(moment: datetime) -> str:
    """A moment as saved: ISO 8601 in UTC, to the second."""
    global _written
    written = _written
    if written is not None and written[0] is moment:
        return written[1]
    text = moment.astimezone(timezone.utc).isoformat(timespec="seconds")
    _written = (moment, text)
    return text


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
