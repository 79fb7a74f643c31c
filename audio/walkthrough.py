"""A whole leg day through the real skill, in process, to collect every response it speaks.

The skill is built with a seeded random source, so a walk with the same options and seed says
exactly the same things every time (which is what lets a second render hit the cache). Progress
goes to a throwaway SQLite file, never to the person's own store.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.local.conversation import Conversation, Exchange, Transport
from skill.local.nlu import default_matcher

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

    from skill.config import Settings

OPENING = ("open leg day coach", "help", "how do i do a lunge", "tell me all the reasons to train legs")
"""Said before the workout, to cover the welcome, help, an exercise explanation and the benefits."""
MAX_TURNS = 300
LENGTH_WORDS = {15: "fifteen", 30: "thirty", 45: "forty five"}
EQUIPMENT_WORDS = {"bodyweight": "body weight", "dumbbells": "dumbbells", "barbell": "a barbell"}


@dataclass(frozen=True)
class SpokenResponse:
    """What the person said and the skill's speech and reprompt (SSML; empty when absent)."""

    said: str
    speech_ssml: str
    reprompt_ssml: str


@dataclass(frozen=True)
class WorkoutChoice:
    """Which leg day to walk; None means the skill's default."""

    level: str | None = None
    length: int | None = None
    equipment: str | None = None

    def utterance(self) -> str:
        """How a person would ask for this workout."""
        words = ["start"]
        if self.length is not None or self.level is not None:
            words.append("a")
        if self.length is not None:
            words.append(f"{LENGTH_WORDS[self.length]} minute")
        if self.level is not None:
            words.append(self.level)
        words.append("leg day")
        if self.equipment is not None:
            words.append(f"with {EQUIPMENT_WORDS[self.equipment]}")
        return " ".join(words)


def workout_responses(settings: Settings, choice: WorkoutChoice = WorkoutChoice(), seed: int = 0) -> list[SpokenResponse]:
    """Every response of one session: the opening questions, the start, then "done" until the end."""
    with tempfile.TemporaryDirectory(prefix="legday-walk-") as folder:
        walk_settings = settings.replace(data_dir=Path(folder), store="sqlite", verify_requests=False)
        skill = build_skill(walk_settings, rng=random.Random(seed))
        conversation = Conversation(invoking(skill), default_matcher())
        responses: list[SpokenResponse] = []

        def say(utterance: str) -> Exchange:
            _, exchange = conversation.say(utterance)
            responses.append(SpokenResponse(utterance, exchange.ssml, exchange.reprompt_ssml))
            return exchange

        for utterance in OPENING:
            say(utterance)
        exchange = say(choice.utterance())
        while not exchange.ends_session:
            if len(responses) >= MAX_TURNS:
                raise RuntimeError(f"the workout did not end within {MAX_TURNS} turns")
            exchange = say("done")
        return responses


def invoking(skill: CustomSkill) -> Transport:
    """A transport that hands envelopes straight to the skill, as Lambda would."""
    serializer = DefaultSerializer()

    def send(body: dict[str, Any]) -> dict[str, Any]:
        envelope = serializer.deserialize(json.dumps(body), RequestEnvelope)
        return serializer.serialize(skill.invoke(request_envelope=envelope, context=None))

    return send

