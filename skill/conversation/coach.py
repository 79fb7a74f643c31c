"""The coach: what the skill says and does for each thing a person says, turn by turn.

``Coach.answer`` takes a turn (the saved record and the session cursor), what was said, and
Alexa's services for this request; it finds the step (an answer to the question waiting, or the
ordinary step), runs it, settles the waiting question, and returns the ``Reply``. The steps may
change the record; the glue saves it.
"""

from __future__ import annotations

import random

from skill.content import Content
from skill.conversation import loads, questions, screens
from skill.conversation.context import Context
from skill.conversation.phrasing import Phrasing
from skill.conversation.reply import Reply
from skill.conversation.said import Said
from skill.conversation.screens import Screen
from skill.conversation.session import KEEP, Turn
from skill.conversation.steps import STEPS
from skill.services import OFFLINE, Services
from skill.ssml import Speech


class Coach:
    """Leg day, turn by turn."""

    def __init__(self, content: Content, rng: random.Random | None = None) -> None:
        self.content = content
        self.phrasing = Phrasing(content, rng)

    def answer(self, turn: Turn, said: Said, services: Services = OFFLINE) -> Reply:
        """The reply to ``said``; ``turn`` changes with it (record and session)."""
        # This turn's words open each loaded exercise with the load to try, from the person's log.
        phrasing = self.phrasing.with_advice(lambda workout: loads.suggestion(self.content, turn.record, workout))
        ctx = Context(turn, phrasing, services)
        answering = questions.answer_for(turn.session.pending, said)
        if answering is not None:
            reply = answering(ctx, said)
            # The question is answered: gone, unless the answer asks another.
            turn.session.settle(None if reply.question is KEEP else reply.question)
        else:
            reply = STEPS[type(said)](ctx, said)
            turn.session.settle(reply.question)
        return reply

    def screen(self, turn: Turn) -> Screen | None:
        """The screen for where the workout stands now (None without a workout)."""
        workout = turn.record.workout
        return screens.where_it_stands(self.phrasing, workout) if workout else None

    def explain_recovery(self, turn: Turn, reply: Reply) -> Reply:
        """Say first that damaged saved state was cleared, whatever the person asked for."""
        if turn.record.recovered_from:
            reply.speech = Speech(self.phrasing.say("welcome.recovered")).extend(reply.speech)
        return reply

    def error(self) -> Reply:
        """Something failed on our side; the turn was not applied."""
        return self._apology("error.apology")

    def store_unavailable(self) -> Reply:
        """The saved progress could not be read or written; the turn was not applied."""
        return self._apology("error.store_unavailable")

    def changed_elsewhere(self) -> Reply:
        """The turn was not applied: the workout changed on another device at the same moment."""
        return self._apology("error.changed_elsewhere")

    def _apology(self, key: str) -> Reply:
        return Reply.ask(Speech(self.phrasing.say(key)), self.phrasing.say("error.reprompt"))
