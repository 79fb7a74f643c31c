"""The facts behind the history questions, from the summary or one page of the log: pure, no words.

"How many leg days", "what's my streak", "what did I squat last time" and "what's my best" are
answered from the summary the live record carries; "what did I do last time" and "how many this
week" from one page of the log (the summary keeps neither a workout's sets nor weekly counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from skill.training.calendar import utc_text, week_of
from skill.training.log import KG_PER_LB, LogEntry, LoggedSet
from skill.training.summary import Summary

WEEK, MONTH, YEAR, EVER = "week", "month", "year", "ever"
PERIODS = (WEEK, MONTH, YEAR, EVER)
# One page holds every workout of a week, however keen the person (several a day would still fit).
WEEK_PAGE = 50


@dataclass(frozen=True)
class SetGroup:
    """Sets done alike, one after another: "3 sets of 8 at 60 kilos"."""

    count: int
    reps: int | None
    seconds: int | None
    load: float | None
    unit: str | None


def grouped(sets: list[LoggedSet] | tuple[LoggedSet, ...]) -> list[SetGroup]:
    """Consecutive sets with the same reps (or hold), load and unit, counted together; skipped ones left out."""
    groups: list[SetGroup] = []
    for logged in sets:
        if logged.skipped:
            continue
        shape = (logged.reps, logged.seconds, logged.load, logged.unit if logged.load is not None else None)
        last = groups[-1] if groups else None
        if last is not None and (last.reps, last.seconds, last.load, last.unit) == shape:
            groups[-1] = SetGroup(last.count + 1, *shape)
        else:
            groups.append(SetGroup(1, *shape))
    return groups


def in_unit(load: float, unit: str, wanted: str) -> float:
    """A load said in ``unit``, in ``wanted`` ("kg" or "lb")."""
    if unit == wanted:
        return load
    return load * KG_PER_LB if wanted == "kg" else load / KG_PER_LB


def volume(sets: list[LoggedSet] | tuple[LoggedSet, ...]) -> tuple[float, str] | None:
    """Sets x reps x load, summed, in the unit of the last loaded set; None when nothing carried a load."""
    loaded = [logged for logged in sets if not logged.skipped and logged.load is not None and logged.unit
              and logged.reps]
    if not loaded:
        return None
    unit = str(loaded[-1].unit)
    total = sum(in_unit(float(logged.load or 0), str(logged.unit), unit) * (logged.reps or 0) for logged in loaded)
    return total, unit


def main_exercises(entry: LogEntry) -> list[str]:
    """The main-block exercises of a workout, in the order done."""
    return list(dict.fromkeys(logged.exercise for logged in entry.done_sets() if logged.block == "main"))


def week_start(today: date, zone: tzinfo) -> str:
    """When ``today``'s calendar week began in the person's zone, as the log's UTC text (for ``since``)."""
    return utc_text(datetime.combine(week_of(today), time.min, tzinfo=zone))


def count(summary: Summary, period: str, today: date, week: list[LogEntry] | None = None) -> int:
    """Leg days in ``period``: this week (from a page of the week's entries), month, year, or ever."""
    if period == WEEK:
        monday = week_of(today).isoformat()
        return sum(1 for entry in week or [] if entry.date >= monday)
    if period == MONTH:
        return summary.in_month(today)
    if period == YEAR:
        return summary.in_year(today)
    return summary.workouts
