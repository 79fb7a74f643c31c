"""Sentences from the content files: the one place prompts are filled in and speech is composed.

``Phrasing`` picks a prompt's variant and fills it (numbers, durations, lists, exercise names), and
composes the recurring pieces of speech: a set's announcement with its cues, the countdowns, where
the workout stands. The small functions at the bottom (plurals, sentences, lists) are shared with
the audio catalog, which pre-renders the same sentences.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from skill.content import Content, Exercise, Prompts
from skill.conversation.countdown import compose_countdown
from skill.ssml import NAME_PLACEHOLDER, Speech
from skill.workout.plan import PlanItem
from skill.workout.progress import UserRecord, Workout, parse_time

CUES_PER_INTRO = 2
HOLD_GET_READY_SECONDS = 3


class Phrasing:
    """The coach's words: prompts filled in, variants picked with ``rng``."""

    def __init__(self, content: Content, rng: random.Random | None = None) -> None:
        self.content = content
        self.rng = rng or random.Random()

    def say(self, key: str, **values: Any) -> str:
        """One variant of the prompt ``key``, filled with ``values``."""
        return self.content.prompts.say(key, self.rng, **values)

    def greeting(self, person_id: str) -> Speech:
        """"Hi Anna!": the recognised person greeted by the first name Alexa knows them by."""
        # {name} is filled with itself, so the SSML builder finds it and puts Alexa's name tag there.
        return Speech().say_naming(self.say("person.greeting", name=NAME_PLACEHOLDER), person_id)

    def current(self, workout: Workout) -> Exercise:
        """The exercise the workout is on."""
        return self.content.exercise(workout.current.exercise_id)

    def where(self, workout: Workout) -> str:
        """"squat, set 2 of 4"."""
        return self.say("phrase.where", name=self.current(workout).name, number=workout.set_number,
                        sets=workout.current.sets)

    def amount(self, item: PlanItem, exercise: Exercise) -> str:
        """"8 reps per leg", "hold 30 seconds"."""
        return amount(self.content.prompts, item, exercise)

    def duration(self, seconds: int) -> str:
        """A rest length as it sits before a noun: "2 minute", "90 second"."""
        if seconds % 60 == 0:
            return self.say("phrase.duration_minutes", minutes=seconds // 60)
        return self.say("phrase.duration_seconds", seconds=seconds)

    def when(self, moment: datetime, now: datetime) -> str:
        """"today", "yesterday", "3 days ago"."""
        days = (now.date() - moment.astimezone(now.tzinfo).date()).days if now.tzinfo else 0
        if days <= 0:
            return self.say("when.today")
        if days == 1:
            return self.say("when.yesterday")
        return self.say("when.days_ago", days=days)

    def last_workout(self, record: UserRecord, now: datetime) -> str:
        """The welcome back, with the last finished workout."""
        last = record.last_workout
        assert last is not None
        return self.say("welcome.returning", when=self.when(parse_time(last.date), now), sets=last.sets,
                        exercises=len(last.exercises))

    def announce(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """Say the current set: the exercise with cues at its first set (or when asked), then go."""
        item = workout.current
        speech = self.set_intro(workout, with_block=with_block, full=full)
        if item.is_hold:
            speech.say(self.say("set.hold_start")).pause(HOLD_GET_READY_SECONDS)
            hold, _ = compose_countdown(item.hold_seconds, self.say("set.hold_go"), self.say("set.hold_end"))
            speech.extend(hold)
            speech.say(self.say("set.hold_done"))
        else:
            speech.say(self.say("set.go_reps"))
        return speech

    def set_intro(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """The current set, without the go: the exercise with cues at its first set (or when asked)."""
        item = workout.current
        exercise = self.current(workout)
        speech = Speech()
        first_set = workout.set_number == 1
        if first_set or full:
            previous = workout.previous_item
            if with_block and first_set and (previous is None or previous.block != item.block):
                speech.say(self.say(f"block.{item.block}"))
            key, values = exercise_intro(self.content.prompts, item, exercise)
            speech.say(self.say(key, **values))
            for cue in cues_for(exercise, workout.set_number, CUES_PER_INTRO):
                speech.say(sentence(cue))
            if item.block == "main":
                speech.say(exercise.scaling[workout.options.equipment])
            if item.sets > 1:
                speech.say(self.say("set.number", number=workout.set_number, sets=item.sets))
        else:
            speech.say(self.say("set.next_set", number=workout.set_number, sets=item.sets, name=exercise.name,
                                amount=self.amount(item, exercise)))
            speech.say(sentence(cues_for(exercise, workout.set_number, 1)[0]))
        return speech

    def rest_countdown(self, seconds: int) -> Speech:
        """A rest counted out loud: "Rest 60 seconds", marks and silence, then "Time's up"."""
        countdown, _ = compose_countdown(seconds, self.say("rest.intro", seconds=seconds), self.say("rest.over"))
        return countdown

    def timer_announcement(self, workout: Workout) -> str:
        """What Alexa says when the rest timer goes off: the set to do now, and how to come back."""
        item = workout.current
        exercise = self.current(workout)
        key = "timer.announce_hold" if item.is_hold else "timer.announce_reps"
        return self.say(key, name=exercise.name.capitalize(), number=workout.set_number, sets=item.sets,
                        amount=self.amount(item, exercise))


def exercise_intro(prompts: Prompts, item: PlanItem, exercise: Exercise) -> tuple[str, dict[str, Any]]:
    """The prompt key and values introducing an exercise: "Squat: 4 sets of 8 reps." (any variant fits)."""
    name = exercise.name.capitalize()
    sets = {"sets": item.sets, "sets_word": plural(item.sets, "set")}
    if item.is_hold:
        side = prompts.say("set.per_side_hold") if exercise.per_side else ""
        return "set.hold_intro", {"name": name, "seconds": item.hold_seconds, "side": side, **sets}
    side = prompts.say("set.per_side_reps") if exercise.per_side else ""
    return "set.reps_intro", {"name": name, "reps": item.reps, "reps_word": plural(item.reps, "rep"), "side": side,
                              **sets}


def amount(prompts: Prompts, item: PlanItem, exercise: Exercise) -> str:
    """How much of one set: "8 reps per leg", "hold 30 seconds on each side"."""
    if item.is_hold:
        side = prompts.say("set.per_side_hold") if exercise.per_side else ""
        return prompts.say("phrase.amount_hold", seconds=item.hold_seconds, side=side)
    side = prompts.say("set.per_side_reps") if exercise.per_side else ""
    return prompts.say("phrase.amount_reps", reps=item.reps, reps_word=plural(item.reps, "rep"), side=side)


def cues_for(exercise: Exercise, set_number: int, count: int) -> list[str]:
    """Rotate through the cues set by set, so each set hears a fresh one."""
    cues = exercise.cues
    start = (set_number - 1) * count
    return [cues[(start + offset) % len(cues)] for offset in range(min(count, len(cues)))]


def plural(count: int, word: str) -> str:
    """``word`` as it goes with ``count``: "1 set", "2 sets"."""
    return word if count == 1 else f"{word}s"


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ("leg swing, done. Nice." keeps "Nice")."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """``text`` ending like a sentence."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def spoken_list(words: tuple[str, ...] | list[str]) -> str:
    """"quads, hamstrings and glutes"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
