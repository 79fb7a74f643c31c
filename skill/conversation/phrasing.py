"""Sentences from the content files: the one place prompts are filled in and speech is composed.

``Phrasing`` picks a prompt's variant and fills it (numbers, durations, lists, exercise names), and
composes the recurring pieces of speech: a set's announcement with its cues, the countdowns, where
the workout stands. The small functions at the bottom (plurals, sentences, lists) are shared with
the audio catalog, which pre-renders the same sentences.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from skill.content import Content, Exercise, Prompts
from skill.conversation.countdown import compose_countdown, spoken_duration
from skill.ssml import NAME_PLACEHOLDER, Speech
from skill.training.progression import PersonalBest, Suggestion
from skill.workout.plan import PlanItem
from skill.workout.progress import UserRecord, Workout, parse_time

# Cues are spread over an exercise's sets so every one is heard, at most this many at a time.
MAX_CUES_PER_SET = 2
HOLD_GET_READY_SECONDS = 3
# Time to change legs between the two sides of a per-side hold.
SWITCH_SIDES_SECONDS = 2


class Phrasing:
    """The coach's words: prompts filled in, variants picked with ``rng``."""

    def __init__(self, content: Content, rng: random.Random | None = None) -> None:
        self.content = content
        self.rng = rng or random.Random()
        # What the current exercise's working sets should try (the training log's suggestion), for
        # one turn's phrasing (``with_advice``); None: exercises open without a load.
        self.advice: Callable[[Workout], Suggestion | None] | None = None

    def with_advice(self, advice: Callable[[Workout], Suggestion | None]) -> Phrasing:
        """The same words and variants, with exercises opening with the load to try (``advice``)."""
        bound = Phrasing(self.content, self.rng)
        bound.advice = advice
        return bound

    def load(self, load: float, unit: str) -> str:
        """A load as said aloud: "60 kilos", "62 and a half kilos", "135 pounds", "1 kilo"."""
        return spoken_load(self.content.prompts, load, unit)

    def load_line(self, suggestion: Suggestion) -> str:
        """"Last time 60 kilos for 8, 8 and 8. Try 62 and a half today." (or how to choose, the first time)."""
        if suggestion.change == "first" or suggestion.load is None or suggestion.unit is None:
            return self.say("load.first")
        last = suggestion.last[-1]
        load = self.load(last.load or 0, last.unit or suggestion.unit)
        if len(suggestion.last) == 1 and last.reps == 1:
            said = self.say("load.last_time_one", load=load)
        else:
            said = self.say("load.last_time", load=load,
                            reps=self.list([str(logged.reps or 0) for logged in suggestion.last]))
        target = self.load(suggestion.load, suggestion.unit)
        return f"{said} {self.say(f'load.try_{suggestion.change}', load=target)}"

    def best(self, best: PersonalBest) -> str:
        """"Personal best! 10 reps at 60 kilos." or the new estimated one-rep max."""
        if best.kind == "reps":
            return self.say("load.best_reps", reps=best.reps, load=self.load(best.load, best.unit))
        return self.say("load.best_e1rm", load=self.load(round(best.e1rm), best.unit))

    def say(self, key: str, **values: Any) -> str:
        """One variant of the prompt ``key``, filled with ``values``."""
        return self.fill(key, values)

    def fill(self, key: str, values: Mapping[str, Any]) -> str:
        """``say`` with the values as one mapping (passed on as they are)."""
        return self.content.prompts.fill(key, values, self.rng)

    def greeting(self, person_id: str) -> Speech:
        """"Hi Anna!": the recognised person greeted by the first name Alexa knows them by."""
        # {name} is filled with itself, so the SSML builder finds it and puts Alexa's name tag there.
        return Speech().say_naming(self.say("person.greeting", name=NAME_PLACEHOLDER), person_id)

    def current(self, workout: Workout) -> Exercise:
        """The exercise the workout is on."""
        return self.content.exercise(workout.current.exercise_id)

    def where(self, workout: Workout) -> str:
        """"the squat, set 2 of 4" (just "the leg swing" for a single set)."""
        item = workout.current
        if item.sets == 1:
            return self.say("phrase.where_single", name=self.current(workout).name)
        return self.say("phrase.where", name=self.current(workout).name, number=workout.set_number, sets=item.sets)

    def amount(self, item: PlanItem, exercise: Exercise) -> str:
        """"8 to 12 reps per leg", "hold 30 seconds"."""
        return amount(self.content.prompts, item, exercise)

    def plural(self, count: int, word: str) -> str:
        """``word`` as it goes with ``count``, in the content's language: "1 set", "2 Sätze"."""
        return plural(count, word, self.content.prompts)

    def list(self, words: tuple[str, ...] | list[str]) -> str:
        """Words as a spoken list in the content's language: "quads, hamstrings and glutes"."""
        return spoken_list(words, self.content.prompts)

    def duration(self, seconds: int) -> str:
        """A length of time as said aloud: "45 seconds", "2 minutes", "a minute and a half"."""
        return spoken_duration(self.content.prompts, seconds)

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
        when = self.when(parse_time(last.date), now)
        if last.sets == 1:
            return self.say("welcome.returning_one", when=when)
        if len(last.exercises) == 1:
            return self.say("welcome.returning_one_exercise", when=when, sets=last.sets)
        return self.say("welcome.returning", when=when, sets=last.sets, exercises=len(last.exercises))

    def announce(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """Say the current set: the exercise with cues at its first set (or when asked), then go.

        A hold is timed in the same breath; a per-side hold is timed per side, left then right.
        """
        item = workout.current
        exercise = self.current(workout)
        speech = self.set_intro(workout, with_block=with_block, full=full)
        if not item.is_hold:
            # Which leg goes first is said at the first set; later sets just go.
            per_side_first = exercise.per_side and workout.set_number == 1
            return speech.say(self.say("set.go_per_side" if per_side_first else "set.go_reps"))
        speech.say(self.say("set.hold_start")).pause(HOLD_GET_READY_SECONDS)
        if exercise.per_side:
            prompts = self.content.prompts
            left, _ = compose_countdown(item.hold_seconds, self.say("set.hold_left"), self.say("set.hold_switch"),
                                        prompts)
            right, _ = compose_countdown(item.hold_seconds, self.say("set.hold_right"), self.say("set.hold_end"),
                                         prompts)
            speech.extend(left).pause(SWITCH_SIDES_SECONDS).extend(right)
        else:
            hold, _ = compose_countdown(item.hold_seconds, self.say("set.hold_go"), self.say("set.hold_end"),
                                        self.content.prompts)
            speech.extend(hold)
        return speech.say(self.say("set.hold_done"))

    def set_intro(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """The current set, without the go: the exercise with cues at its first set (or when asked)."""
        item = workout.current
        exercise = self.current(workout)
        speech = Speech()
        first_set = workout.set_number == 1
        cues = cue_sentences(exercise.cues, workout.set_number, item.sets)
        if first_set or full:
            previous = workout.previous_item
            if with_block and first_set and (previous is None or previous.block != item.block):
                speech.say(self.say(f"block.{item.block}"))
                if item.block == "main":
                    speech.say(self.say(f"effort.{workout.options.level}")).say(self.say("effort.pain"))
            after_ramp_up = (first_set and not full and previous is not None and previous.ramp_up
                             and previous.exercise_id == item.exercise_id)
            if after_ramp_up:
                # The exercise and its first cues were just said with the ramp-up set.
                speech.say(self.say("set.work_sets", **intro_values(self.content.prompts, item, exercise)))
            else:
                key, values = exercise_intro(self.content.prompts, item, exercise)
                speech.say(self.say(key, **values))
            # The cues first (every hinge leads with the brace), then the note for the equipment at hand.
            for cue in cues:
                speech.say(cue)
            if item.block == "main" and not after_ramp_up:
                speech.say(exercise.scaling[workout.options.equipment])
            advice = self.advice(workout) if self.advice is not None and first_set else None
            if advice is not None:
                speech.say(self.load_line(advice))
            if exercise.to_failure and item.block == "main":
                speech.say(self.say("effort.to_failure"))
            if item.sets > 1 and not first_set:
                speech.say(self.say("set.number", number=workout.set_number, sets=item.sets))
            return speech
        speech.say(self.say("set.number", number=workout.set_number, sets=item.sets))
        for cue in cues:
            speech.say(cue)
        return speech

    def rest_countdown(self, seconds: int) -> Speech:
        """A rest counted out loud: "Rest 2 minutes", marks and silence, then "Time's up"."""
        countdown, _ = compose_countdown(seconds, self.say("rest.intro", duration=self.duration(seconds)),
                                         self.say("rest.over"), self.content.prompts)
        return countdown

    def timer_announcement(self, workout: Workout) -> str:
        """What Alexa says when the rest timer goes off: the set to do now, and how to come back."""
        item = workout.current
        exercise = self.current(workout)
        key = "timer.announce_hold" if item.is_hold else "timer.announce_reps"
        return self.say(key, name=sentence_case(exercise.name), number=workout.set_number, sets=item.sets,
                        amount=self.amount(item, exercise))


def exercise_intro(prompts: Prompts, item: PlanItem, exercise: Exercise) -> tuple[str, dict[str, Any]]:
    """The prompt key and values introducing an exercise: "Squat: 3 sets of 6 to 10 reps." (any variant fits)."""
    values = {"name": sentence_case(exercise.name), **intro_values(prompts, item, exercise)}
    if item.ramp_up:
        return "set.ramp_up_intro", values
    key = "set.hold_intro" if item.is_hold else "set.reps_intro"
    return (f"{key}_single" if item.sets == 1 else key), values


def intro_values(prompts: Prompts, item: PlanItem, exercise: Exercise) -> dict[str, Any]:
    """Sets, reps (or hold) and side, as the set prompts take them."""
    return dict(_intro_values(prompts, item, exercise.per_side))


# Every set of a workout opens with one of its plan's few items: each is worded once per language.
# Safe to keep: the words come from first variants only (no random pick), Prompts are compared by
# identity (each language's loaded once) and items are frozen; callers get a dict of their own.
@lru_cache(maxsize=1024)
def _intro_values(prompts: Prompts, item: PlanItem, per_side: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"sets": item.sets, "sets_word": plural(item.sets, "set", prompts)}
    if item.is_hold:
        side = prompts.say("set.per_side_hold") if per_side else ""
        return {**values, "duration": spoken_duration(prompts, item.hold_seconds), "side": side}
    side = prompts.say("set.per_side_reps") if per_side else ""
    return {**values, "reps": reps(prompts, item), "side": side}


def reps(prompts: Prompts, item: PlanItem) -> str:
    """"8 to 12 reps", or "5 reps" for a single number."""
    if item.reps_max > item.reps:
        return prompts.say("phrase.reps_range", low=item.reps, high=item.reps_max)
    return prompts.say("phrase.reps", reps=item.reps, reps_word=plural(item.reps, "rep", prompts))


def amount(prompts: Prompts, item: PlanItem, exercise: Exercise) -> str:
    """How much of one set: "8 to 12 reps per leg", "hold 30 seconds on each side"."""
    values = intro_values(prompts, item, exercise)
    if item.is_hold:
        return prompts.say("phrase.amount_hold", duration=values["duration"], side=values["side"])
    return prompts.say("phrase.amount_reps", reps=values["reps"], side=values["side"])


# Each set of an exercise hears the same cues every workout: they are picked and punctuated once.
# Safe to keep: cues are a tuple of strings (immutable), and a plan has at most a few sets per exercise.
@lru_cache(maxsize=1024)
def cue_sentences(cues: tuple[str, ...], set_number: int, sets: int) -> tuple[str, ...]:
    """The cues for one set (``cues_for``), each as a sentence."""
    return tuple(sentence(cue) for cue in cues_for(cues, set_number, sets))


def cues_for(cues: tuple[str, ...], set_number: int, sets: int) -> list[str]:
    """The cues for one set: spread over the sets in order, so each set hears new ones and every cue is
    heard (at most ``MAX_CUES_PER_SET`` at a time); sets beyond the last cue start the list again."""
    start, left = 0, len(cues)
    for number in range(1, set_number + 1):
        sets_left = max(1, sets - number + 1)
        count = min(MAX_CUES_PER_SET, math.ceil(left / sets_left)) if left > 0 else 1
        if number == set_number:
            return [cues[(start + offset) % len(cues)] for offset in range(count)]
        start += count
        left -= count
    return []


def spoken_load(prompts: Prompts, load: float, unit: str) -> str:
    """"62 and a half kilos": the whole number as digits, halves and quarters in words (the history
    answers' words), any other fraction as it is ("61.3 kilos"), the unit in words."""
    whole = int(load)
    fraction = round(load - whole, 2)
    words = {0.25: "history.number.quarter", 0.5: "history.number.half", 0.75: "history.number.three_quarters"}
    if fraction == 0:
        number = str(whole)
    elif fraction in words and whole > 0:
        number = prompts.say(words[fraction], whole=whole)
    else:
        number = prompts.number(round(load, 2))
    return prompts.say(f"history.load.{unit}_one" if load == 1 else f"history.load.{unit}", number=number)


def plural(count: int, word: str, prompts: Prompts | None = None) -> str:
    """``word`` as it goes with ``count``: "1 set", "2 sets"; in ``prompts``' language when given
    (its ``plural.<word>`` entry), else English."""
    if prompts is not None:
        return prompts.plural(count, word)
    return word if count == 1 else f"{word}s"


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ("leg swing, done. Nice." keeps "Nice")."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """``text`` ending like a sentence."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def spoken_list(words: tuple[str, ...] | list[str], prompts: Prompts | None = None) -> str:
    """"quads, hamstrings and glutes"; the "and" from ``prompts``' language when given."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    conjunction = prompts.say("grammar.and") if prompts is not None else "and"
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
