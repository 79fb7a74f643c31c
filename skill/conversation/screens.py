"""What an Echo Show displays for a turn: the ``Screen`` model, composed from the workout and the prompts.

Plain data; ``intents.screen`` renders it as APL. Screen text is short: it is read from across the room.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from skill.conversation.phrasing import Phrasing, plural, sentence_case
from skill.training import chart
from skill.workout.progress import HistoryEntry, Workout


@dataclass(frozen=True)
class Screen:
    """What a screen device shows for a turn: plain data, rendered by the glue (APL on an Echo Show).

    ``rest_seconds`` > 0 shows a rest countdown first, then the set; ``buttons`` shows Done and Skip.
    """

    heading: str
    title: str
    set_line: str
    amount: str
    cues: tuple[str, ...]
    icon: str
    progress: str
    rest_seconds: int = 0
    rest_note: str = ""
    buttons: bool = True
    rest_label: str = "Rest"
    done_label: str = "Done"
    skip_label: str = "Skip"


def set_screen(phrasing: Phrasing, workout: Workout, rest: int = 0, note: str = "") -> Screen:
    """The current set (after a rest of ``rest`` seconds, with ``note`` under its countdown)."""
    item = workout.current
    exercise = phrasing.current(workout)
    sets_left = workout.sets_left()
    amount = phrasing.amount(item, exercise)
    return Screen(
        heading=phrasing.say(f"screen.block.{item.block}"),
        title=sentence_case(exercise.name),
        set_line=phrasing.say("screen.set", number=workout.set_number, sets=item.sets),
        amount=amount[:1].upper() + amount[1:],
        cues=exercise.cues,
        icon=item.block,
        progress=phrasing.say("screen.sets_left", sets_left=sets_left, sets_word=phrasing.plural(sets_left, "set")),
        rest_seconds=rest,
        rest_note=note,
        **_labels(phrasing),
    )


def where_it_stands(phrasing: Phrasing, workout: Workout) -> Screen:
    """The screen for where the workout stands now, marked when it is paused."""
    screen = set_screen(phrasing, workout)
    return replace(screen, heading=phrasing.say("screen.paused")) if workout.paused else screen


def rest_note(phrasing: Phrasing, workout: Workout) -> str:
    """What the rest countdown says comes next."""
    return phrasing.say("screen.rest_next", name=sentence_case(phrasing.current(workout).name),
                        number=workout.set_number, sets=workout.current.sets)


def finished_screen(phrasing: Phrasing, entry: HistoryEntry) -> Screen:
    """The end of the workout: sets, minutes and the exercises done; no buttons."""
    return Screen(
        heading=phrasing.say("screen.finished"),
        title=phrasing.say("screen.finished_title"),
        set_line=phrasing.say("screen.finished_sets", sets=entry.sets, sets_word=phrasing.plural(entry.sets, "set")),
        amount=phrasing.say("screen.finished_minutes", minutes=entry.minutes,
                            minutes_word=phrasing.plural(entry.minutes, "minute")),
        cues=tuple(sentence_case(name) for name in entry.exercises),
        icon="finished",
        progress="",
        buttons=False,
        **_labels(phrasing),
    )


def _labels(phrasing: Phrasing) -> dict[str, str]:
    return {"rest_label": phrasing.say("screen.rest"), "done_label": phrasing.say("screen.done_button"),
            "skip_label": phrasing.say("screen.skip_button")}


@dataclass(frozen=True)
class LiftChart:
    """One lift on the progress screen: its name, latest load, the range drawn, and the drawing (path data)."""

    name: str
    latest: str
    range: str
    line: str
    dots: str


@dataclass(frozen=True)
class ProgressScreen:
    """A chart screen: each main lift's load over the last weeks, with a few facts above (volume, bests).

    ``width`` x ``height`` is the box the path data is drawn in; the device scales it to its viewport.
    """

    heading: str
    title: str
    facts: tuple[str, ...]
    lifts: tuple[LiftChart, ...]
    width: int = chart.WIDTH
    height: int = chart.HEIGHT


AnyScreen = Screen | ProgressScreen


def progress_screen(phrasing: Phrasing, series: list[chart.Series], start: date, end: date,
                    names: Mapping[str, str], *, title: str | None = None,
                    facts: tuple[str, ...] = ()) -> ProgressScreen:
    """Each lift of ``series`` drawn from ``start`` to ``end`` (the chart of "show my progress")."""
    lifts = []
    for one in series:
        drawn = chart.plot(one, start, end)
        name = names.get(one.exercise, one.exercise).capitalize()
        latest = short_load(phrasing, one.latest or 0.0, one.unit)
        lifts.append(LiftChart(
            name=name, latest=phrasing.say("history.screen.latest", name=name, load=latest),
            range=phrasing.say("history.screen.range", low=short_load(phrasing, drawn.low, one.unit),
                               high=short_load(phrasing, drawn.high, one.unit)),
            line=drawn.line, dots=drawn.dots))
    weeks = max(1, round((end - start).days / 7))
    return ProgressScreen(heading=phrasing.say("history.screen.weeks", weeks=weeks),
                          title=title or phrasing.say("history.screen.progress_title"), facts=facts,
                          lifts=tuple(lifts))


def short_load(phrasing: Phrasing, load: float, unit: str) -> str:
    """"62.5 kg", "62,5 kg": a load as a screen shows it (to the nearest quarter), in the content's language."""
    return phrasing.say(f"history.load.{unit}_short", number=phrasing.content.prompts.number(round(load * 4) / 4))
