"""The chart's data and geometry: pure, no screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from skill.training import chart
from skill.training.chart import Point, Series
from tests.history.conftest import lift, workout

START = date(2026, 9, 1)
END = START + timedelta(weeks=12)


def numbers(path: str) -> list[tuple[float, float]]:
    """The points of a line's path data ("M x,y Lx,y...")."""
    return [tuple(float(part) for part in pair.split(",")) for pair in path.replace("M", "").split(" L")]


def test_a_series_spans_the_box_left_to_right_and_bottom_to_top() -> None:
    series = Series("squat", "kg", (Point(START, 50), Point(START + timedelta(weeks=6), 55), Point(END, 60)))
    drawn = chart.plot(series, START, END)
    first, middle, last = numbers(drawn.line)
    assert first == (chart.MARGIN, chart.HEIGHT - chart.MARGIN), "lowest load at the bottom, first day at the left"
    assert last == (chart.WIDTH - chart.MARGIN, chart.MARGIN), "highest at the top, last day at the right"
    assert middle == (chart.WIDTH / 2, chart.HEIGHT / 2)
    assert (drawn.low, drawn.high) == (50, 60)
    assert drawn.dots.count("M") == 3 and drawn.dots.count("a") == 6, "two arcs per dot"


def test_every_coordinate_stays_inside_the_box() -> None:
    points = tuple(Point(START + timedelta(days=day), 40 + (day * 7) % 13) for day in range(0, 90, 4))
    drawn = chart.plot(Series("deadlift", "lb", points), START, END)
    for x, y in numbers(drawn.line):
        assert chart.MARGIN <= x <= chart.WIDTH - chart.MARGIN and chart.MARGIN <= y <= chart.HEIGHT - chart.MARGIN


@pytest.mark.parametrize("points", [(), (Point(START + timedelta(days=3), 60),)], ids=["empty", "one point"])
def test_an_empty_series_draws_nothing_and_one_point_is_a_dot_in_the_middle(points: tuple[Point, ...]) -> None:
    drawn = chart.plot(Series("squat", "kg", points), START, END)
    assert drawn.line == "", "no line without two points"
    if not points:
        assert drawn.dots == "" and (drawn.low, drawn.high) == (0, 0)
    else:
        # Day 3 of 84 across the 576 wide inner box: x = 12 + 576 * 3 / 84 = 32.6; the dot's path starts a radius left.
        assert drawn.dots == "M26.6,100 a6,6 0 1,0 12,0 a6,6 0 1,0 -12,0"


def test_a_flat_series_sits_in_the_middle() -> None:
    drawn = chart.plot(Series("squat", "kg", (Point(START, 60), Point(END, 60))), START, END)
    assert {y for _, y in numbers(drawn.line)} == {chart.HEIGHT / 2}


def test_series_take_the_heaviest_load_per_day_in_the_lift_s_latest_unit() -> None:
    entries = [
        workout(START + timedelta(days=14), lift("squat", 8, 100, unit="lb") + lift("squat", 5, 50, unit="kg", sets=1),
                lift("glute_bridge", 12), lift("leg_swing", 10, 20, block="warmup")),
        workout(START + timedelta(days=7), lift("squat", 8, 90, unit="lb"), lift("deadlift", 5, 80)),
        workout(START - timedelta(days=1), lift("squat", 8, 300, unit="lb")),
    ]
    series = chart.lift_series(entries, START)
    assert [one.exercise for one in series] == ["squat", "deadlift"], "latest done first; no bodyweight, no warm-up"
    squat = series[0]
    assert squat.unit == "kg"
    assert squat.points == (Point(START + timedelta(days=7), round(90 * 0.45359237, 2)),
                            Point(START + timedelta(days=14), 50.0)), "50 kg beats 100 lb; before the start left out"


def test_at_most_four_lifts() -> None:
    lifts = ["squat", "deadlift", "romanian_deadlift", "goblet_squat", "step_up"]
    entries = [workout(START + timedelta(days=index), lift(name, 8, 40)) for index, name in enumerate(lifts)]
    assert [one.exercise for one in chart.lift_series(entries, START)] == list(reversed(lifts))[:chart.MAX_LIFTS]
