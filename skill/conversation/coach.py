"""The coach: what the skill says and does for each thing a person says, turn by turn.

``Coach.answer`` takes a turn (the saved record and the session cursor), what was said, and
Alexa's services for this request; it finds the step (an answer to the question waiting, or the
ordinary step), runs it, settles the waiting question, and returns the ``Reply``. The steps may
change the record; the glue saves it.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from skill.content import ENGLISH, Content, load_content
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

    def __init__(self, content: Content, rng: random.Random | None = None,
                 translations: Callable[[str], Content] = load_content) -> None:
        self.content = content
        self.phrasing = Phrasing(content, rng)
        # ``content`` speaks the base language; others are loaded on their first request.
        self._translations = translations
        self._phrasings = {content.language: self.phrasing}

    def phrasing_for(self, language: str) -> Phrasing:
        """The coach's words in ``language`` (same variant picker for all)."""
        if language not in self._phrasings:
            self._phrasings[language] = Phrasing(self._translations(language), self.phrasing.rng)
        return self._phrasings[language]

    def answer(self, turn: Turn, said: Said, services: Services = OFFLINE) -> Reply:
        """The reply to ``said``; ``turn`` changes with it (record and session)."""
        # This turn's words open each loaded exercise with the load to try, from the person's log.
        phrasing = self.phrasing_for(turn.language).with_advice(
            lambda workout: loads.suggestion(self.content, turn.record, workout))
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
        return screens.where_it_stands(self.phrasing_for(turn.language), workout) if workout else None

    def explain_recovery(self, turn: Turn, reply: Reply) -> Reply:
        """Say first that damaged saved state was cleared, whatever the person asked for."""
        if turn.record.recovered_from:
            reply.speech = Speech(self.phrasing_for(turn.language).say("welcome.recovered")).extend(reply.speech)
        return reply

    def error(self, language: str = ENGLISH) -> Reply:
        """Something failed on our side; the turn was not applied."""
        return self._apology("error.apology", language)

    def store_unavailable(self, language: str = ENGLISH) -> Reply:
        """The saved progress could not be read or written; the turn was not applied."""
        return self._apology("error.store_unavailable", language)

    def save_unknown(self, language: str = ENGLISH) -> Reply:
        """A save was sent and never answered: it may or may not have been applied."""
        return self._apology("error.save_unknown", language)

    def changed_elsewhere(self, language: str = ENGLISH) -> Reply:
        """The turn was not applied: the workout changed on another device at the same moment."""
        return self._apology("error.changed_elsewhere", language)

    def _apology(self, key: str, language: str) -> Reply:
        phrasing = self.phrasing_for(language)
        return Reply.ask(Speech(phrasing.say(key)), phrasing.say("error.reprompt"))
