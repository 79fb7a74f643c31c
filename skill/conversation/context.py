"""What every step works with (``Context``), and the moves several steps end on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.content import EQUIPMENT, Content
from skill.conversation.phrasing import Phrasing
from skill.conversation.reply import Reply
from skill.conversation.session import Pending, Turn
from skill.conversation.said import StartWorkout
from skill.services import Services
from skill.ssml import Speech
from skill.workout.plan import PlanOptions
from skill.workout.progress import UserRecord, Workout


@dataclass
class Context:
    """One turn as a step sees it: the turn (record, session, time), the words, and Alexa's services."""

    turn: Turn
    phrasing: Phrasing
    services: Services

    @property
    def record(self) -> UserRecord:
        return self.turn.record

    @property
    def workout(self) -> Workout | None:
        return self.turn.record.workout

    @property
    def content(self) -> Content:
        return self.phrasing.content

    @property
    def now(self) -> datetime:
        return self.turn.now

    def say(self, key: str, **values: Any) -> str:
        """One variant of the prompt ``key``, filled with ``values``."""
        return self.phrasing.fill(key, values)


def no_workout(ctx: Context, opening: str | None = None) -> Reply:
    """There is no workout for that: say so and offer to start one."""
    speech = Speech(opening or ctx.say("progress.none"))
    speech.say(ctx.say("welcome.ask_start"))
    return Reply.ask(speech, ctx.say("welcome.reprompt_start"), question=Pending.START)


def follow_up(ctx: Context, speech: Speech) -> Reply:
    """After answering a question, steer back: to the set in progress, or to starting one."""
    if ctx.workout:
        return Reply.ask(speech.say(ctx.say("set.back_to_it")), ctx.say("set.reprompt"))
    return Reply.ask(speech.say(ctx.say("welcome.ask_start")), ctx.say("welcome.reprompt_start"),
                     question=Pending.START)


def plan_options(ctx: Context, wanted: StartWorkout) -> PlanOptions:
    """The options said (or their nearest fit), the rest from the last workout or the defaults."""
    return choose_options(ctx, wanted)[0]


def choose_options(ctx: Context, wanted: StartWorkout) -> tuple[PlanOptions, list[str]]:
    """The options to plan with, and one sentence for each option asked for that the skill does not
    have ("I have 15, 30 or 45 minute workouts: here's 15."), naming the nearest fit it chose."""
    content = ctx.content
    base = ctx.record.last_options or PlanOptions(
        level=content.defaults["level"],
        length=int(content.defaults["length"]),
        equipment=content.defaults["equipment"],
    )
    notes: list[str] = []
    level, length, equipment = base.level, base.length, base.equipment
    if wanted.level in content.levels:
        level = wanted.level
    elif wanted.level is not None:
        notes.append(ctx.say("options.level", level=ctx.say(f"level_name.{level}")))
    if wanted.length in content.lengths:
        length = wanted.length
    elif wanted.length is not None:
        if wanted.length > 0:
            length = min(content.lengths, key=lambda offered: (abs(offered - wanted.length), offered))
        notes.append(ctx.say("options.length", length=length))
    if wanted.equipment in EQUIPMENT:
        equipment = wanted.equipment
    elif wanted.equipment is not None:
        equipment = content.nearest_equipment.get(wanted.equipment, "bodyweight")
        key = f"options.equipment_said.{wanted.equipment}"
        notes.append(ctx.say(key) if key in content.prompts.templates
                     else ctx.say("options.equipment", equipment_phrase=ctx.say(f"equipment_phrase.{equipment}")))
    return PlanOptions(level=level, length=length, equipment=equipment), notes
