"""What an Echo Show displays for a turn: the ``Screen`` model, composed from the workout and the prompts.

Plain data; ``intents.screen`` renders it as APL. Screen text is short: it is read from across the room.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from skill.conversation.phrasing import Phrasing, sentence_case
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
        set_line=phrasing.say("screen.finished_sets", sets=entry.sets),
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
