"""The conversation: what the coach says and does for each thing a person can say.

Pure logic: no Flask, no ASK SDK. Each method takes a ``Turn`` (the person's saved record and the
session's small cursor), may change it, and returns a ``Reply``. Handlers turn replies into Alexa
responses; interceptors load and save the record.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from skill.content import Content, Exercise
from skill.ssml import Speech
from skill.workout.countdown import compose_countdown
from skill.workout.plan import PlanItem, PlanOptions, build_plan, estimate_seconds
from skill.workout.progress import UserRecord, Workout, clamp_rest, format_time, parse_time

CUES_PER_INTRO = 2
HOLD_GET_READY_SECONDS = 3


class Pending(str, Enum):
    """The yes/no question the coach asked last, kept in the session so "yes" and "no" make sense."""

    RESUME = "resume"
    START = "start"
    RESTART = "restart"
    REPLACE = "replace"
    MORE_BENEFITS = "more_benefits"


@dataclass
class SessionState:
    """The small cursor kept in Alexa's session attributes: the pending question and where we are."""

    pending: Pending | None = None
    requested: PlanOptions | None = None

    def to_dict(self, record: UserRecord) -> dict[str, Any]:
        cursor: dict[str, Any] = {}
        if self.pending:
            cursor["pending"] = self.pending.value
        if self.requested:
            cursor["requested"] = {
                "level": self.requested.level,
                "length": self.requested.length,
                "equipment": self.requested.equipment,
            }
        if record.workout:
            cursor["position"] = [record.workout.position, record.workout.set_number]
        return cursor

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> SessionState:
        raw = raw or {}
        try:
            pending = Pending(raw["pending"]) if raw.get("pending") else None
        except ValueError:
            pending = None
        requested = None
        if isinstance(raw.get("requested"), dict):
            try:
                wanted = raw["requested"]
                requested = PlanOptions(str(wanted["level"]), int(wanted["length"]), str(wanted["equipment"]))
            except (KeyError, TypeError, ValueError):
                requested = None
        return cls(pending=pending, requested=requested)


@dataclass
class Turn:
    """One request's worth of state: the saved record, the session cursor, and the time."""

    record: UserRecord
    session: SessionState = field(default_factory=SessionState)
    now: datetime = field(default_factory=datetime.now)


@dataclass
class Reply:
    """What to say, what to say if the person stays silent, and whether the session ends."""

    speech: Speech
    reprompt: Speech | None = None
    end_session: bool = False
    card_title: str = "Leg Day Coach"

    @classmethod
    def ask(cls, speech: Speech, reprompt: str | Speech) -> Reply:
        return cls(speech, reprompt if isinstance(reprompt, Speech) else Speech(reprompt), end_session=False)

    @classmethod
    def tell(cls, speech: Speech) -> Reply:
        return cls(speech, None, end_session=True)


@dataclass(frozen=True)
class StartRequest:
    """Options a person said when starting; ``None`` means not said."""

    level: str | None = None
    length: int | None = None
    equipment: str | None = None


class Coach:
    """Leg day, turn by turn."""

    def __init__(self, content: Content, rng: random.Random | None = None) -> None:
        self.content = content
        self.rng = rng or random.Random()

    def _say(self, key: str, **values: Any) -> str:
        return self.content.prompts.say(key, self.rng, **values)

    # Opening a session

    def launch(self, turn: Turn) -> Reply:
        record = turn.record
        speech = Speech()
        if record.recovered_from:
            speech.say(self._say("welcome.recovered"))
        workout = record.workout
        if workout:
            turn.session.pending = Pending.RESUME
            speech.say(self._say("welcome.returning", **self._last_values(turn)) if record.last_workout else "")
            speech.say(self._say("resume.offer", where=self._where(workout)))
            return Reply.ask(speech, self._say("resume.reprompt"))
        if record.last_workout:
            speech.say(self._say("welcome.returning", **self._last_values(turn)))
        else:
            speech.say(self._say("welcome.first"))
        turn.session.pending = Pending.START
        speech.say(self._say("welcome.ask_start"))
        return Reply.ask(speech, self._say("welcome.reprompt_start"))

    # The workout itself

    def start(self, turn: Turn, wanted: StartRequest) -> Reply:
        options = self._options(turn.record, wanted)
        workout = turn.record.workout
        if workout and workout.has_started and turn.session.pending is not Pending.REPLACE:
            turn.session.pending = Pending.REPLACE
            turn.session.requested = options
            speech = Speech(self._say("start.replace_offer", where=self._where(workout)))
            return Reply.ask(speech, self._say("start.replace_reprompt"))
        return self._begin(turn, options, explained=wanted != StartRequest())

    def _begin(self, turn: Turn, options: PlanOptions, explained: bool = True) -> Reply:
        turn.session.pending = None
        turn.session.requested = None
        items = build_plan(options, self.content)
        now = format_time(turn.now)
        workout = Workout(options=options, items=items, started_at=now, last_turn_at=now)
        turn.record.workout = workout
        turn.record.last_options = options
        speech = Speech(
            self._say(
                "start.intro",
                length=options.length,
                level=options.level,
                equipment_phrase=self._say(f"equipment_phrase.{options.equipment}"),
                main_count=sum(1 for item in items if item.block == "main"),
                minutes=round(estimate_seconds(items, self.content) / 60),
            )
        )
        if not explained and not turn.record.history:
            speech.say(self._say("start.defaults_hint"))
        speech.extend(self._announce(workout, with_block=False))
        return Reply.ask(speech, self._say("set.reprompt"))

    def done(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn)
        if workout.paused:
            workout.paused = False
            speech = Speech(self._say("resume.back"))
            return Reply.ask(speech.extend(self._announce(workout)), self._say("set.reprompt"))
        outcome = workout.complete_set()
        if outcome.workout_finished:
            return self._finish(turn, Speech())
        rest = workout.rest_for(outcome.finished_item, self.content)
        finished = self.content.exercise(outcome.finished_item.exercise_id)
        speech = Speech()
        if outcome.exercise_finished:
            speech.say(self._say("rest.exercise_done", name=finished.name).capitalize())
        else:
            speech.say(self._say("rest.good_set"))
        if rest > 0:
            countdown, _ = compose_countdown(rest, self._say("rest.intro", seconds=rest), self._say("rest.over"))
            speech.extend(countdown)
        speech.extend(self._announce(workout))
        return Reply.ask(speech, self._say("set.reprompt"))

    def skip(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("skip.nothing"))
        skipped = self.content.exercise(workout.current.exercise_id)
        workout.paused = False
        outcome = workout.skip_exercise()
        speech = Speech(self._say("skip.skipping", name=skipped.name))
        if outcome.workout_finished:
            return self._finish(turn, speech.say(self._say("finish.early")))
        return Reply.ask(speech.extend(self._announce(workout)), self._say("set.reprompt"))

    def previous(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn)
        workout.paused = False
        moved = workout.go_back()
        if moved == "set":
            speech = Speech(self._say("previous.set"))
        elif moved == "exercise":
            speech = Speech(self._say("previous.exercise", name=self._current(workout).name))
        else:
            speech = Speech(self._say("previous.at_start"))
        return Reply.ask(speech.extend(self._announce(workout, full=True)), self._say("set.reprompt"))

    def repeat(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self.help(turn)
        return Reply.ask(self._announce(workout, full=True), self._say("set.reprompt"))

    def start_over(self, turn: Turn) -> Reply:
        if turn.record.workout is None:
            return self.start(turn, StartRequest())
        turn.session.pending = Pending.RESTART
        return Reply.ask(Speech(self._say("restart.confirm")), self._say("restart.reprompt"))

    def pause(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("pause.nothing"))
        workout.paused = True
        return Reply.tell(Speech(self._say("pause.paused", where=self._where(workout))))

    def resume(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("resume.nothing"))
        workout.paused = False
        turn.session.pending = None
        speech = Speech(self._say("resume.back"))
        return Reply.ask(speech.extend(self._announce(workout, full=True)), self._say("set.reprompt"))

    def progress(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("progress.none"))
        current = workout.current
        speech = Speech(
            self._say("progress.where", name=self._current(workout).name, number=workout.set_number, sets=current.sets)
        )
        sets_left = workout.sets_left()
        minutes = max(1, round(workout.seconds_left(self.content) / 60))
        speech.say(
            self._say(
                "progress.left",
                sets_left=sets_left,
                sets_word=plural(sets_left, "set"),
                minutes=minutes,
                minutes_word=plural(minutes, "minute"),
            )
        )
        upcoming = workout.next_item
        if upcoming is None:
            speech.say(self._say("progress.last"))
        else:
            speech.say(self._say("progress.next", name=self.content.exercise(upcoming.exercise_id).name))
        if workout.paused:
            speech.say(self._say("pause.while_paused"))
        return Reply.ask(speech.say(self._say("set.reprompt")), self._say("set.reprompt"))

    def set_rest(self, turn: Turn, seconds: int | None, change: str | None) -> Reply:
        """Change rest length: to ``seconds`` if given, else ``change`` is "shorter" or "longer"."""
        workout = turn.record.workout
        if workout is None:
            return Reply.ask(Speech(self._say("rest_change.no_workout")), self._say("help.reprompt"))
        timing = self.content.timing
        if seconds is not None and seconds > 0:
            wanted = seconds
            workout.rest_override = clamp_rest(wanted, self.content)
        elif change in {"shorter", "longer"}:
            step = timing["rest_step_seconds"] * (-1 if change == "shorter" else 1)
            current_main = next((item for item in workout.items[workout.position :] if item.block == "main"), None)
            base = workout.rest_for(current_main, self.content) if current_main else self.content.levels[
                workout.options.level
            ].rest_seconds
            wanted = base + step
            workout.rest_override = clamp_rest(wanted, self.content)
        else:
            return Reply.ask(Speech(self._say("rest_change.ask")), self._say("rest_change.ask"))
        applied = workout.rest_override
        if wanted > applied:
            speech = Speech(self._say("rest_change.capped_high", seconds=applied))
        elif wanted < applied:
            speech = Speech(self._say("rest_change.capped_low", seconds=applied))
        else:
            speech = Speech(self._say("rest_change.set", seconds=applied))
        return Reply.ask(speech.say(self._say("set.reprompt")), self._say("set.reprompt"))

    # Knowledge

    def exercise_info(self, turn: Turn, exercise_id: str | None, heard: str | None) -> Reply:
        workout = turn.record.workout
        if exercise_id is None and heard:
            speech = Speech(self._say("info.unknown", heard=heard))
            return Reply.ask(speech.say(self._say("info.which")), self._say("info.reprompt"))
        if exercise_id is None:
            if workout is None:
                return Reply.ask(Speech(self._say("info.which")), self._say("info.reprompt"))
            exercise_id = workout.current.exercise_id
        exercise = self.content.exercise(exercise_id)
        equipment = workout.options.equipment if workout else self._options(turn.record, StartRequest()).equipment
        speech = Speech(
            self._say("info.about", name=exercise.name.capitalize(), muscles=spoken_list(exercise.muscles),
                      how_to=exercise.how_to)
        )
        speech.say(self._say("info.cues", cues=" ".join(sentence(cue) for cue in exercise.cues)))
        speech.say(exercise.scaling[equipment])
        return self._follow_up(turn, speech)

    def why_train_legs(self, turn: Turn, topic: str | None) -> Reply:
        benefits = self.content.benefits
        if topic == "all":
            speech = Speech(self._say("why.all_intro"))
            for benefit in benefits:
                speech.say(benefit.text).pause(0.4)
            speech.say(self.content.benefits_closing)
            turn.record.last_benefit = benefits[-1].id
            return self._follow_up(turn, speech)
        known = {benefit.id for benefit in benefits}
        if topic in known:
            chosen = self.content.benefit(topic)
        else:
            choices = [benefit for benefit in benefits if benefit.id != turn.record.last_benefit]
            chosen = self.rng.choice(choices)
        turn.record.last_benefit = chosen.id
        speech = Speech(chosen.text)
        if turn.record.workout is None:
            turn.session.pending = Pending.MORE_BENEFITS
            speech.say(self._say("why.more_offer"))
            return Reply.ask(speech, self._say("why.more_reprompt"))
        return self._follow_up(turn, speech)

    # Conversation

    def help(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        turn.session.pending = None
        if workout:
            speech = Speech(
                self._say("help.in_workout", name=self._current(workout).name, number=workout.set_number,
                          sets=workout.current.sets)
            )
            return Reply.ask(speech, self._say("set.reprompt"))
        options = self._options(turn.record, StartRequest())
        return Reply.ask(Speech(self._say("help.idle", length=options.length)), self._say("help.reprompt"))

    def stop(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        turn.session.pending = None
        if workout:
            return Reply.tell(Speech(self._say("stop.saved", where=self._where(workout))))
        return Reply.tell(Speech(self._say("stop.bye")))

    def navigate_home(self, turn: Turn) -> Reply:
        """Leaving for the device's home screen: end quietly, progress is saved by the caller."""
        turn.session.pending = None
        return Reply.tell(Speech())

    def fallback(self, turn: Turn) -> Reply:
        if turn.record.workout:
            return Reply.ask(Speech(self._say("fallback.in_workout")), self._say("set.reprompt"))
        return Reply.ask(Speech(self._say("fallback.idle")), self._say("fallback.reprompt"))

    def yes(self, turn: Turn) -> Reply:
        pending = turn.session.pending
        turn.session.pending = None
        workout = turn.record.workout
        if pending is Pending.RESUME and workout:
            return self.resume(turn)
        if pending is Pending.RESTART and workout:
            workout.restart()
            speech = Speech(self._say("restart.done"))
            return Reply.ask(speech.extend(self._announce(workout, with_block=False)), self._say("set.reprompt"))
        if pending is Pending.REPLACE:
            return self._begin(turn, turn.session.requested or self._options(turn.record, StartRequest()))
        if pending is Pending.MORE_BENEFITS:
            return self.why_train_legs(turn, None)
        if workout:
            return self.repeat(turn)
        return self.start(turn, StartRequest())

    def no(self, turn: Turn) -> Reply:
        pending = turn.session.pending
        turn.session.pending = None
        workout = turn.record.workout
        if pending is Pending.RESUME:
            turn.session.pending = Pending.REPLACE
            return Reply.ask(Speech(self._say("resume.declined")), self._say("start.replace_reprompt"))
        if pending in {Pending.RESTART, Pending.REPLACE} and workout:
            speech = Speech(self._say("start.kept"))
            workout.paused = False
            return Reply.ask(speech.extend(self._announce(workout, full=True)), self._say("set.reprompt"))
        if workout:
            return Reply.ask(Speech(self._say("fallback.in_workout")), self._say("set.reprompt"))
        if pending in {Pending.START, Pending.MORE_BENEFITS, Pending.REPLACE}:
            return Reply.tell(Speech(self._say("yes_no.no_idle")))
        return Reply.ask(Speech(self._say("yes_no.unclear")), self._say("help.reprompt"))

    def error(self) -> Reply:
        return Reply.ask(Speech(self._say("error.apology")), self._say("error.reprompt"))

    # Speech pieces

    def _announce(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """Say the current set: the exercise with cues at its first set (or when asked), then go."""
        item = workout.current
        exercise = self._current(workout)
        speech = Speech()
        first_set = workout.set_number == 1
        if first_set or full:
            previous = workout.previous_item
            if with_block and first_set and (previous is None or previous.block != item.block):
                speech.say(self._say(f"block.{item.block}"))
            speech.say(self._exercise_intro(item, exercise))
            for cue in self._cues_for(exercise, workout.set_number, CUES_PER_INTRO):
                speech.say(sentence(cue))
            if item.block == "main":
                speech.say(exercise.scaling[workout.options.equipment])
            if item.sets > 1:
                speech.say(self._say("set.number", number=workout.set_number, sets=item.sets))
        else:
            speech.say(
                self._say("set.next_set", number=workout.set_number, sets=item.sets, name=exercise.name,
                          amount=self._amount(item, exercise))
            )
            speech.say(sentence(self._cues_for(exercise, workout.set_number, 1)[0]))
        if item.is_hold:
            speech.say(self._say("set.hold_start")).pause(HOLD_GET_READY_SECONDS)
            hold, _ = compose_countdown(item.hold_seconds, self._say("set.hold_go"), self._say("set.hold_end"))
            speech.extend(hold)
            speech.say(self._say("set.hold_done"))
        else:
            speech.say(self._say("set.go_reps"))
        return speech

    def _exercise_intro(self, item: PlanItem, exercise: Exercise) -> str:
        name = exercise.name.capitalize()
        if item.is_hold:
            side = self._say("set.per_side_hold") if exercise.per_side else ""
            return self._say("set.hold_intro", name=name, sets=item.sets, sets_word=plural(item.sets, "set"),
                             seconds=item.hold_seconds, side=side)
        side = self._say("set.per_side_reps") if exercise.per_side else ""
        return self._say("set.reps_intro", name=name, sets=item.sets, sets_word=plural(item.sets, "set"),
                         reps=item.reps, reps_word=plural(item.reps, "rep"), side=side)

    def _amount(self, item: PlanItem, exercise: Exercise) -> str:
        if item.is_hold:
            side = self._say("set.per_side_hold") if exercise.per_side else ""
            return f"hold {item.hold_seconds} seconds{side}"
        side = self._say("set.per_side_reps") if exercise.per_side else ""
        return f"{item.reps} {plural(item.reps, 'rep')}{side}"

    @staticmethod
    def _cues_for(exercise: Exercise, set_number: int, count: int) -> list[str]:
        """Rotate through the cues set by set, so each set hears a fresh one."""
        cues = exercise.cues
        start = (set_number - 1) * count
        return [cues[(start + offset) % len(cues)] for offset in range(min(count, len(cues)))]

    def _current(self, workout: Workout) -> Exercise:
        return self.content.exercise(workout.current.exercise_id)

    def _where(self, workout: Workout) -> str:
        return f"{self._current(workout).name}, set {workout.set_number} of {workout.current.sets}"

    def _finish(self, turn: Turn, speech: Speech) -> Reply:
        entry = turn.record.finish_workout(turn.now, self.content)
        speech.say(
            self._say("finish.summary", exercises=len(entry.exercises), sets=entry.sets, minutes=entry.minutes)
        )
        speech.say(self._say("finish.encouragement"))
        return Reply.tell(speech)

    def _no_workout(self, turn: Turn, opening: str | None = None) -> Reply:
        turn.session.pending = Pending.START
        speech = Speech(opening or self._say("progress.none"))
        speech.say(self._say("welcome.ask_start"))
        return Reply.ask(speech, self._say("welcome.reprompt_start"))

    def _follow_up(self, turn: Turn, speech: Speech) -> Reply:
        """After answering a question, steer back: to the set in progress, or to starting one."""
        if turn.record.workout:
            return Reply.ask(speech.say(self._say("set.reprompt")), self._say("set.reprompt"))
        turn.session.pending = Pending.START
        return Reply.ask(speech.say(self._say("welcome.ask_start")), self._say("welcome.reprompt_start"))

    def _options(self, record: UserRecord, wanted: StartRequest) -> PlanOptions:
        base = record.last_options or PlanOptions(
            level=self.content.defaults["level"],
            length=int(self.content.defaults["length"]),
            equipment=self.content.defaults["equipment"],
        )
        return PlanOptions(
            level=wanted.level or base.level,
            length=wanted.length or base.length,
            equipment=wanted.equipment or base.equipment,
        )

    def _last_values(self, turn: Turn) -> dict[str, Any]:
        last = turn.record.last_workout
        assert last is not None
        return {"when": self._when(parse_time(last.date), turn.now), "sets": last.sets,
                "exercises": len(last.exercises)}

    def _when(self, moment: datetime, now: datetime) -> str:
        days = (now.date() - moment.astimezone(now.tzinfo).date()).days if now.tzinfo else 0
        if days <= 0:
            return self._say("when.today")
        if days == 1:
            return self._say("when.yesterday")
        return self._say("when.days_ago", days=days)


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def spoken_list(words: tuple[str, ...] | list[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
