"""Each main lift's load over the last weeks, from one page of the log, and the chart's geometry.

``lift_series`` picks the points (per lift, per day: the heaviest load done, in the unit the lift
was last logged in); ``plot`` lays a series out in a fixed drawing box as path data, the same
text an APL vector graphic (AVG ``pathData``) and an SVG ``<path d>`` both draw. Pure: no APL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from skill.training.history_answers import in_unit
from skill.training.log import LogEntry

# The drawing box every chart is laid out in; the screen scales it to fit its viewport.
WIDTH = 600
HEIGHT = 200
# Room left around the line, so dots and the line's width are not cut at the edges.
MARGIN = 12
DOT_RADIUS = 6
WEEKS = 12
# More lifts than this would not be readable on a screen at once (and keep the document small).
MAX_LIFTS = 4
# A page of the log deep enough for WEEKS weeks of two or three leg days.
PAGE = 40


@dataclass(frozen=True)
class Point:
    """One day's heaviest load of a lift."""

    day: date
    value: float


@dataclass(frozen=True)
class Series:
    """One lift's points, oldest first, in one unit."""

    exercise: str
    unit: str
    points: tuple[Point, ...]

    @property
    def latest(self) -> float | None:
        return self.points[-1].value if self.points else None


@dataclass(frozen=True)
class Plot:
    """A series drawn in the WIDTH x HEIGHT box: the line, a dot per point, and the range shown."""

    line: str
    dots: str
    low: float
    high: float


def window_start(today: date, weeks: int = WEEKS) -> date:
    """The first day the chart shows."""
    return today - timedelta(weeks=weeks)


def lift_series(entries: list[LogEntry], start: date, max_lifts: int = MAX_LIFTS) -> list[Series]:
    """The main lifts with a load logged since ``start``, most recently done first (at most ``max_lifts``)."""
    days: dict[str, dict[date, tuple[float, str]]] = {}
    last_unit: dict[str, tuple[date, str]] = {}
    order: dict[str, date] = {}
    for entry in entries:
        day = date.fromisoformat(entry.date)
        if day < start:
            continue
        for logged in entry.done_sets():
            if logged.block != "main" or logged.load is None or logged.unit is None or logged.load_kg is None:
                continue
            known = days.setdefault(logged.exercise, {})
            heaviest = known.get(day)
            if heaviest is None or logged.load_kg > in_unit(heaviest[0], heaviest[1], "kg"):
                known[day] = (float(logged.load), logged.unit)
            if logged.exercise not in last_unit or day >= last_unit[logged.exercise][0]:
                last_unit[logged.exercise] = (day, logged.unit)
            order[logged.exercise] = max(order.get(logged.exercise, day), day)
    chosen = sorted(order, key=lambda exercise: (order[exercise], exercise), reverse=True)[:max_lifts]
    series = []
    for exercise in chosen:
        unit = last_unit[exercise][1]
        points = tuple(Point(day, round(in_unit(load, said_in, unit), 2))
                       for day, (load, said_in) in sorted(days[exercise].items()))
        series.append(Series(exercise, unit, points))
    return series


def plot(series: Series, start: date, end: date) -> Plot:
    """The series in the drawing box: time left to right from ``start`` to ``end``, load bottom to top.

    A flat series (or a single point) sits in the middle; an empty one draws nothing.
    """
    if not series.points:
        return Plot("", "", 0.0, 0.0)
    values = [point.value for point in series.points]
    low, high = min(values), max(values)
    span_days = max(1, (end - start).days)
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def x(day: date) -> float:
        return MARGIN + inner_w * min(max((day - start).days, 0), span_days) / span_days

    def y(value: float) -> float:
        if high == low:
            return HEIGHT / 2
        return MARGIN + inner_h * (high - value) / (high - low)

    coordinates = [(round(x(point.day), 1), round(y(point.value), 1)) for point in series.points]
    line = "M" + " L".join(f"{px:g},{py:g}" for px, py in coordinates) if len(coordinates) > 1 else ""
    dots = " ".join(_circle(px, py, DOT_RADIUS) for px, py in coordinates)
    return Plot(line, dots, low, high)


def _circle(cx: float, cy: float, radius: float) -> str:
    """A filled dot as path data (two arcs), since AVG has paths and no circle."""
    return f"M{cx - radius:g},{cy:g} a{radius:g},{radius:g} 0 1,0 {2 * radius:g},0 a{radius:g},{radius:g} 0 1,0 {-2 * radius:g},0"
