"""The conversation: what the coach says and does for each thing a person can say.

Pure logic: no Flask, no ASK SDK. Each method takes a ``Turn`` (the person's saved record and the
session's small cursor), may change it, and returns a ``Reply``. Handlers turn replies into Alexa
responses; interceptors load and save the record.

A reply may also ask for something only Alexa can do: a rest timer to start, pause, resume or
cancel (``reply.timer``), Alexa's permission prompt for timers, or a screen to show
(``reply.screen``). The glue carries those out and, for timers, hands the result back to
``Coach.timer_settled``, which decides what to say when the timer could not be set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from skill.content import EQUIPMENT, Content, Exercise
from skill.ssml import Speech
from skill.workout.countdown import compose_countdown
from skill.workout.plan import PlanItem, PlanOptions, build_plan, estimate_seconds
from skill.workout.progress import RestTimer, UserRecord, Workout, clamp_rest, format_time, parse_time

CUES_PER_INTRO = 2
# What Alexa heard is repeated back ("I don't know an exercise called ..."), never at length.
MAX_ECHOED_CHARACTERS = 80
HOLD_GET_READY_SECONDS = 3


class Pending(str, Enum):
    """The yes/no question the coach asked last, kept in the session so "yes" and "no" make sense."""

    RESUME = "resume"
    START = "start"
    RESTART = "restart"
    REPLACE = "replace"
    MORE_BENEFITS = "more_benefits"
    REST_TIMER = "rest_timer"


@dataclass
class SessionState:
    """The small cursor kept in Alexa's session attributes: the pending question and where we are."""

    pending: Pending | None = None
    requested: PlanOptions | None = None
    # The rest a timer was offered for, while "shall I set a rest timer?" waits for an answer.
    rest_seconds: int | None = None

    def to_dict(self, record: UserRecord) -> dict[str, Any]:
        cursor: dict[str, Any] = {}
        if self.pending:
            cursor["pending"] = self.pending.value
        if self.pending is Pending.REST_TIMER and self.rest_seconds:
            cursor["rest"] = self.rest_seconds
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
        rest = raw.get("rest")
        rest_seconds = rest if type(rest) is int and 0 < rest <= MAX_TIMER_SECONDS else None
        return cls(pending=pending, requested=requested, rest_seconds=rest_seconds)


@dataclass
class Turn:
    """One request's worth of state: the saved record, the session cursor, the time, and what the
    person allows (``timers_permitted``: the request says timer permission is granted)."""

    record: UserRecord
    session: SessionState = field(default_factory=SessionState)
    now: datetime = field(default_factory=datetime.now)
    timers_permitted: bool = False
    # The device shows screens (APL): only then is a reply's screen composed.
    shows_screen: bool = True


# Alexa timers last at most two hours.
MAX_TIMER_SECONDS = 2 * 60 * 60


@dataclass(frozen=True)
class StartTimer:
    """Start an Alexa timer for a rest; when it goes off, Alexa says ``announcement``.

    ``replaces`` is a timer of ours still running, to cancel first: one timer per person at a time.
    """

    seconds: int
    label: str
    announcement: str
    replaces: str | None = None


@dataclass(frozen=True)
class PauseTimer:
    """Pause the running rest timer."""

    timer_id: str


@dataclass(frozen=True)
class ResumeTimer:
    """Resume the paused rest timer."""

    timer_id: str


@dataclass(frozen=True)
class CancelTimer:
    """Cancel the rest timer: the rest is over early, skipped, or the workout stopped."""

    timer_id: str


TimerAction = StartTimer | PauseTimer | ResumeTimer | CancelTimer


class TimerOutcome(str, Enum):
    """How a timer action went, in the coach's terms (the glue translates HTTP status codes)."""

    DONE = "done"
    PERMISSION_MISSING = "permission_missing"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class TimerResult:
    """The outcome of a timer action, and the new timer's id when one was created."""

    outcome: TimerOutcome
    timer_id: str | None = None


class PermissionAnswer(str, Enum):
    """The person's answer to Alexa's own "may Leg Day Coach set timers?" question."""

    ACCEPTED = "ACCEPTED"
    DENIED = "DENIED"
    NOT_ANSWERED = "NOT_ANSWERED"


@dataclass(frozen=True)
class PermissionRequest:
    """Hand over to Alexa to ask for timer permission; ``rest_seconds`` is the rest waiting for a timer (0: none)."""

    rest_seconds: int = 0


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


@dataclass
class Reply:
    """What to say, what to say if the person stays silent, and whether the session ends.

    ``end_session`` None leaves it to Alexa (a permission prompt takes over the conversation).
    """

    speech: Speech
    reprompt: Speech | None = None
    end_session: bool | None = False
    timer: TimerAction | None = None
    screen: Screen | None = None
    permission_request: PermissionRequest | None = None
    consent_card: bool = False

    @classmethod
    def ask(cls, speech: Speech, reprompt: str | Speech) -> Reply:
        return cls(speech, reprompt if isinstance(reprompt, Speech) else Speech(reprompt), end_session=False)

    @classmethod
    def tell(cls, speech: Speech) -> Reply:
        return cls(speech, None, end_session=True)

    @classmethod
    def hand_over(cls, speech: Speech, request: PermissionRequest) -> Reply:
        """Say ``speech``, then let Alexa ask for timer permission; the answer comes back as its own request."""
        return cls(speech, None, end_session=None, permission_request=request)

    def with_timer(self, action: TimerAction | None) -> Reply:
        """This reply, also doing ``action`` (if any)."""
        if action is None:
            return self
        assert self.timer is None, "one timer action per reply"
        return replace(self, timer=action)


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
        cancel = self._drop_timer(turn)
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
        return Reply.ask(speech, self._say("set.reprompt")).with_timer(cancel)

    def done(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn)
        if turn.session.pending is Pending.REST_TIMER and turn.session.rest_seconds:
            # "done" to "shall I set a rest timer?": get on with it, and count the rest out loud.
            return self._decline_timer(turn)
        # A set is done, so any rest before it is over: its timer goes.
        cancel = self._drop_timer(turn)
        if workout.paused:
            workout.paused = False
            speech = Speech(self._say("resume.back"))
            return Reply.ask(speech.extend(self._announce(workout)), self._say("set.reprompt")).with_timer(cancel)
        outcome = workout.complete_set()
        if outcome.workout_finished:
            return self._finish(turn, Speech()).with_timer(cancel)
        rest = workout.rest_for(outcome.finished_item, self.content)
        finished = self.content.exercise(outcome.finished_item.exercise_id)
        speech = Speech()
        if outcome.exercise_finished:
            speech.say(sentence_case(self._say("rest.exercise_done", name=finished.name)))
        else:
            speech.say(self._say("rest.good_set"))
        if rest >= self.content.timing["timer_min_rest_seconds"]:
            return self._long_rest(turn, speech, rest, cancel)
        return self._counted_rest(turn, rest, speech).with_timer(cancel)

    def skip(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("skip.nothing"))
        if turn.session.pending is Pending.REST_TIMER:
            turn.session.pending = None
        cancel = self._drop_timer(turn)
        skipped = self.content.exercise(workout.current.exercise_id)
        workout.paused = False
        outcome = workout.skip_exercise()
        speech = Speech(self._say("skip.skipping", name=skipped.name))
        if outcome.workout_finished:
            return self._finish(turn, speech.say(self._say("finish.early"))).with_timer(cancel)
        reply = Reply.ask(speech.extend(self._announce(workout)), self._say("set.reprompt"))
        return reply.with_timer(cancel)

    def previous(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn)
        cancel = self._drop_timer(turn)
        workout.paused = False
        moved = workout.go_back()
        if moved == "set":
            speech = Speech(self._say("previous.set"))
        elif moved == "exercise":
            speech = Speech(self._say("previous.exercise", name=self._current(workout).name))
        else:
            speech = Speech(self._say("previous.at_start"))
        reply = Reply.ask(speech.extend(self._announce(workout, full=True)), self._say("set.reprompt"))
        return reply.with_timer(cancel)

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
        speech = Speech(self._say("pause.paused", where=self._where(workout)))
        timer = turn.record.rest_timer
        if timer and timer.running(turn.now) and not timer.paused:
            return Reply.tell(speech.say(self._say("timer.paused"))).with_timer(PauseTimer(timer.id))
        return Reply.tell(speech)

    def resume(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        if workout is None:
            return self._no_workout(turn, self._say("resume.nothing"))
        workout.paused = False
        turn.session.pending = None
        timer = turn.record.rest_timer
        if timer and timer.paused and timer.running(turn.now):
            # Back to the rest that was paused: the timer carries on and calls them back.
            seconds = timer.seconds_left(turn.now)
            speech = Speech(self._say("resume.back")).say(self._say("timer.resumed", seconds=seconds))
            reply = Reply.tell(speech).with_timer(ResumeTimer(timer.id))
            if turn.shows_screen:
                reply.screen = self._screen(workout, rest=seconds, note=self._say("screen.timer_set"))
            return reply
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
        if exercise_id not in self.content.exercises:
            exercise_id = None
        heard = heard[:MAX_ECHOED_CHARACTERS] if heard else heard
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
        cancel = self._drop_timer(turn)
        if workout:
            speech = Speech(self._say("stop.saved", where=self._where(workout)))
            if cancel:
                speech.say(self._say("timer.cancelled"))
            return Reply.tell(speech).with_timer(cancel)
        return Reply.tell(Speech(self._say("stop.bye"))).with_timer(cancel)

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
        if pending is Pending.REST_TIMER and workout and turn.session.rest_seconds:
            return self._start_rest_timer(turn, Speech(), turn.session.rest_seconds, replacing=None)
        if pending is Pending.RESUME and workout:
            return self.resume(turn)
        if pending is Pending.RESTART and workout:
            cancel = self._drop_timer(turn)
            workout.restart()
            speech = Speech(self._say("restart.done"))
            reply = Reply.ask(speech.extend(self._announce(workout, with_block=False)), self._say("set.reprompt"))
            return reply.with_timer(cancel)
        if pending is Pending.REPLACE:
            return self._begin(turn, turn.session.requested or self._options(turn.record, StartRequest()))
        if pending is Pending.MORE_BENEFITS:
            return self.why_train_legs(turn, None)
        if workout:
            return self.repeat(turn)
        return self.start(turn, StartRequest())

    def no(self, turn: Turn) -> Reply:
        pending = turn.session.pending
        if pending is Pending.REST_TIMER and turn.record.workout and turn.session.rest_seconds:
            return self._decline_timer(turn)
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

    def explain_recovery(self, turn: Turn, reply: Reply) -> Reply:
        """Say first that damaged saved state was cleared, whatever the person asked for."""
        if turn.record.recovered_from:
            reply.speech = Speech(self._say("welcome.recovered")).extend(reply.speech)
        return reply

    def error(self) -> Reply:
        return Reply.ask(Speech(self._say("error.apology")), self._say("error.reprompt"))

    def changed_elsewhere(self) -> Reply:
        """The turn was not applied: the workout changed on another device at the same moment."""
        return Reply.ask(Speech(self._say("error.changed_elsewhere")), self._say("error.reprompt"))

    # Rest timers

    def use_rest_timers(self, turn: Turn) -> Reply:
        """"use rest timers": switch them on, asking Alexa for permission first when it is missing."""
        workout = turn.record.workout
        if not turn.timers_permitted:
            # Asked for by the person, so ask even after an earlier no: they have changed their mind.
            turn.session.pending = None
            return Reply.hand_over(Speech(self._say("timer.asking")), PermissionRequest())
        turn.record.timers_denied = False
        rest = turn.session.rest_seconds if turn.session.pending is Pending.REST_TIMER else None
        if workout and rest:
            return self._start_rest_timer(turn, Speech(), rest, replacing=None)
        return self._follow_up(turn, self._timers_on(turn, Speech()))

    def timer_permission(self, turn: Turn, answer: PermissionAnswer, rest_seconds: int = 0) -> Reply:
        """Alexa's permission question was answered; ``rest_seconds`` is the rest that waited for it."""
        record = turn.record
        workout = record.workout
        rest = clamp_rest(rest_seconds, self.content) if rest_seconds > 0 else 0
        if answer is PermissionAnswer.ACCEPTED:
            record.timers_denied = False
            if workout and rest:
                return self._start_rest_timer(turn, Speech(self._say("timer.thanks")), rest, replacing=None)
            return self._follow_up(turn, self._timers_on(turn, Speech(self._say("timer.thanks"))))
        if answer is PermissionAnswer.DENIED:
            # Remembered: no more asking unless they ask for timers themselves.
            record.timers_denied = True
            record.timer_hint_given = True
        if workout:
            workout.rest_timers = False
        speech = Speech(self._say("timer.denied" if answer is PermissionAnswer.DENIED else "timer.not_answered"))
        if workout and rest:
            return self._counted_rest(turn, rest, speech)
        return self._follow_up(turn, speech)

    def timer_settled(self, turn: Turn, reply: Reply, result: TimerResult) -> Reply:
        """The glue carried out ``reply.timer``: keep the reply, or say what happens instead."""
        action = reply.timer
        record = turn.record
        done = result.outcome is TimerOutcome.DONE
        if isinstance(action, StartTimer):
            if done and result.timer_id:
                record.rest_timer = RestTimer(result.timer_id, format_time(turn.now + timedelta(seconds=action.seconds)))
                return replace(reply, timer=None)
            if record.workout is None:
                return replace(reply, timer=None)
            if result.outcome is TimerOutcome.PERMISSION_MISSING and not record.timers_denied:
                turn.session.pending = None
                speech = Speech(self._say("timer.need_permission"))
                return Reply.hand_over(speech, PermissionRequest(rest_seconds=action.seconds))
            # No timer on this device (or no permission, already refused): count it, and stop offering.
            record.workout.rest_timers = False
            return self._counted_rest(turn, action.seconds, Speech(self._say("timer.unavailable")))
        timer = record.rest_timer
        if isinstance(action, (PauseTimer, ResumeTimer)):
            if done and timer is not None and timer.id == action.timer_id:
                if isinstance(action, PauseTimer):
                    timer.pause(turn.now)
                else:
                    timer.resume(turn.now)
                return replace(reply, timer=None)
            # Gone off or cancelled on the device (404): forget it. Out of reach: keep it for a later
            # cancel. Either way, answer as if there were no timer.
            kept = timer if result.outcome is not TimerOutcome.NOT_FOUND else None
            record.rest_timer = None
            answer = self.pause(turn) if isinstance(action, PauseTimer) else self.resume(turn)
            record.rest_timer = kept
            return answer
        return replace(reply, timer=None)

    def _timers_on(self, turn: Turn, speech: Speech) -> Speech:
        """Timers for this workout's long rests; without a workout, the next one will offer them."""
        seconds = self.content.timing["timer_min_rest_seconds"]
        workout = turn.record.workout
        if workout is None:
            return speech.say(self._say("timer.enabled_later", seconds=seconds))
        workout.rest_timers = True
        return speech.say(self._say("timer.enabled", seconds=seconds))

    def _long_rest(self, turn: Turn, speech: Speech, rest: int, cancel: CancelTimer | None) -> Reply:
        """A rest long enough to step away from: a timer if they allow it, else the spoken countdown."""
        workout = turn.record.workout
        assert workout is not None
        if turn.timers_permitted:
            turn.record.timers_denied = False
            if workout.rest_timers:
                return self._start_rest_timer(turn, speech, rest, replacing=cancel.timer_id if cancel else None)
            if workout.rest_timers is None:
                turn.session.pending = Pending.REST_TIMER
                turn.session.rest_seconds = rest
                speech.say(self._say("timer.offer", duration=spoken_duration(rest)))
                return Reply.ask(speech, self._say("timer.offer_reprompt")).with_timer(cancel)
        elif not turn.record.timer_hint_given:
            turn.record.timer_hint_given = True
            speech.say(self._say("timer.hint"))
            reply = self._counted_rest(turn, rest, speech).with_timer(cancel)
            reply.consent_card = True
            return reply
        return self._counted_rest(turn, rest, speech).with_timer(cancel)

    def _start_rest_timer(self, turn: Turn, speech: Speech, rest: int, replacing: str | None) -> Reply:
        """Rest on an Alexa timer: say what comes next now; the timer's announcement calls them back."""
        workout = turn.record.workout
        assert workout is not None
        workout.rest_timers = True
        turn.session.pending = None
        turn.session.rest_seconds = None
        speech.say(self._say("timer.set", duration=spoken_duration(rest)))
        speech.say(self._say("timer.next")).extend(self._set_intro(workout))
        speech.say(self._say("timer.until_then"))
        action = StartTimer(seconds=rest, label=self._say("timer.label"),
                            announcement=self._timer_announcement(workout), replaces=replacing)
        reply = Reply.tell(speech).with_timer(action)
        if turn.shows_screen:
            reply.screen = self._screen(workout, rest=rest, note=self._say("screen.timer_set"))
        return reply

    def _decline_timer(self, turn: Turn) -> Reply:
        workout = turn.record.workout
        assert workout is not None
        rest = turn.session.rest_seconds or 0
        turn.session.pending = None
        turn.session.rest_seconds = None
        workout.rest_timers = False
        return self._counted_rest(turn, rest, Speech(self._say("timer.declined")))

    def _counted_rest(self, turn: Turn, rest: int, speech: Speech) -> Reply:
        """The rest as a spoken countdown, then the next set."""
        workout = turn.record.workout
        assert workout is not None
        if rest > 0:
            countdown, _ = compose_countdown(rest, self._say("rest.intro", seconds=rest), self._say("rest.over"))
            speech.extend(countdown)
        speech.extend(self._announce(workout))
        reply = Reply.ask(speech, self._say("set.reprompt"))
        if turn.shows_screen:
            reply.screen = self._screen(workout, rest=rest, note=self._rest_note(workout))
        return reply

    def _drop_timer(self, turn: Turn) -> CancelTimer | None:
        """Forget the rest timer; if it has not gone off yet, cancel it (only one per person at a time)."""
        timer = turn.record.rest_timer
        turn.record.rest_timer = None
        if timer is not None and timer.running(turn.now):
            return CancelTimer(timer.id)
        return None

    def _timer_announcement(self, workout: Workout) -> str:
        """What Alexa says when the rest timer goes off: the set to do now, and how to come back."""
        item = workout.current
        exercise = self._current(workout)
        key = "timer.announce_hold" if item.is_hold else "timer.announce_reps"
        return self._say(key, name=exercise.name.capitalize(), number=workout.set_number, sets=item.sets,
                         amount=self._amount(item, exercise))

    # Screens

    def screen(self, turn: Turn) -> Screen | None:
        """The screen for where the workout stands now (None without a workout)."""
        workout = turn.record.workout
        if workout is None:
            return None
        screen = self._screen(workout)
        return replace(screen, heading=self._say("screen.paused")) if workout.paused else screen

    def _screen(self, workout: Workout, rest: int = 0, note: str = "") -> Screen:
        item = workout.current
        exercise = self._current(workout)
        sets_left = workout.sets_left()
        amount = self._amount(item, exercise)
        return Screen(
            heading=self._say(f"screen.block.{item.block}"),
            title=exercise.name.capitalize(),
            set_line=self._say("screen.set", number=workout.set_number, sets=item.sets),
            amount=amount[:1].upper() + amount[1:],
            cues=exercise.cues,
            icon=item.block,
            progress=self._say("screen.sets_left", sets_left=sets_left, sets_word=plural(sets_left, "set")),
            rest_seconds=rest,
            rest_note=note,
            **self._screen_labels(),
        )

    def _screen_labels(self) -> dict[str, str]:
        return {"rest_label": self._say("screen.rest"), "done_label": self._say("screen.done_button"),
                "skip_label": self._say("screen.skip_button")}

    def _rest_note(self, workout: Workout) -> str:
        return self._say("screen.rest_next", name=self._current(workout).name.capitalize(),
                         number=workout.set_number, sets=workout.current.sets)

    # Speech pieces

    def _announce(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """Say the current set: the exercise with cues at its first set (or when asked), then go."""
        item = workout.current
        speech = self._set_intro(workout, with_block=with_block, full=full)
        if item.is_hold:
            speech.say(self._say("set.hold_start")).pause(HOLD_GET_READY_SECONDS)
            hold, _ = compose_countdown(item.hold_seconds, self._say("set.hold_go"), self._say("set.hold_end"))
            speech.extend(hold)
            speech.say(self._say("set.hold_done"))
        else:
            speech.say(self._say("set.go_reps"))
        return speech

    def _set_intro(self, workout: Workout, *, with_block: bool = True, full: bool = False) -> Speech:
        """The current set, without the go: the exercise with cues at its first set (or when asked)."""
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
            self._say("finish.summary", exercises=len(entry.exercises), sets=entry.sets, minutes=entry.minutes,
                      minutes_word=plural(entry.minutes, "minute"))
        )
        speech.say(self._say("finish.encouragement"))
        reply = Reply.tell(speech)
        if turn.shows_screen:
            reply.screen = Screen(
                heading=self._say("screen.finished"),
                title=self._say("screen.finished_title"),
                set_line=self._say("screen.finished_sets", sets=entry.sets),
                amount=self._say("screen.finished_minutes", minutes=entry.minutes,
                                 minutes_word=plural(entry.minutes, "minute")),
                cues=tuple(name.capitalize() for name in entry.exercises),
                icon="finished",
                progress="",
                buttons=False,
                **self._screen_labels(),
            )
        return reply

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
        # An id the content does not offer (a model deployed ahead of the code) counts as not said.
        return PlanOptions(
            level=wanted.level if wanted.level in self.content.levels else base.level,
            length=wanted.length if wanted.length in self.content.lengths else base.length,
            equipment=wanted.equipment if wanted.equipment in EQUIPMENT else base.equipment,
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



def spoken_duration(seconds: int) -> str:
    """A rest length as it sits before a noun: "2 minute", "90 second"."""
    if seconds % 60 == 0:
        return f"{seconds // 60} minute"
    return f"{seconds} second"


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ("leg swing, done. Nice." keeps "Nice")."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def spoken_list(words: tuple[str, ...] | list[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
