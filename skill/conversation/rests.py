"""Rests between sets, and the Alexa timers that can count them.

The rest policy: a rest shorter than ``timer_min_rest_seconds`` is counted out loud; a longer one
may go on an Alexa timer, if the person allows timers (asked once per workout, remembered in
``workout.rest_timers``), so they can step away; without permission it is counted out loud, with
a one-time hint about how to allow timers.

The timer protocol, over the ``Timers`` service: one rest timer per person at a time (a new one
cancels the old; a label clash means a timer of ours whose id was lost, so ours are cleared and
the create tried once more). A rest timer offers to carry on when it goes off (its LAUNCH_TASK
opens the skill at the next set on a yes); where that is refused it announces the next set instead; the running timer is kept in ``record.rest_timer``, paused and
resumed with the workout, and cancelled when its rest ends early. A timer call that fails is
never fatal: the rest is counted out loud instead, and what to say follows from why it failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from skill.conversation.context import Context, follow_up, no_workout
from skill.conversation.reply import PermissionRequest, Reply
from skill.conversation.said import PermissionAnswer, PermissionAnswered, RestOver, UseRestTimers
from skill.conversation.screens import rest_note, set_screen
from skill.conversation.session import Pending, Question
from skill.services import Failure, ResumeTask, ServiceFailure, Timers, TimerSpec
from skill.ssml import Speech
from skill.workout.progress import RestTimer, clamp_rest, format_time

log = logging.getLogger(__name__)
# The custom task a rest timer launches (declared in the manifest, defined in the skill package's tasks/).
RESUME_TASK = "ResumeWorkout"
RESUME_TASK_VERSION = "1"


def after_set(ctx: Context, speech: Speech, rest: int) -> Reply:
    """The rest after a set, then the next set: on a timer or counted out loud, by its length."""
    if rest >= ctx.content.timing["timer_min_rest_seconds"]:
        return _long_rest(ctx, speech, rest)
    return counted_rest(ctx, rest, speech)


def _long_rest(ctx: Context, speech: Speech, rest: int) -> Reply:
    """A rest long enough to step away from: a timer if they allow it, else the spoken countdown."""
    workout = ctx.workout
    assert workout is not None
    if ctx.turn.timers_permitted:
        ctx.record.timers_denied = False
        if workout.rest_timers:
            return start_rest_timer(ctx, speech, rest)
        if workout.rest_timers is None:
            speech.say(ctx.say("timer.offer", duration=ctx.phrasing.duration(rest)))
            return Reply.ask(speech, ctx.say("timer.offer_reprompt"),
                             question=Question(Pending.REST_TIMER, rest_seconds=rest))
    elif not ctx.record.timer_hint_given:
        ctx.record.timer_hint_given = True
        speech.say(ctx.say("timer.hint"))
        reply = counted_rest(ctx, rest, speech)
        reply.consent_card = True
        return reply
    return counted_rest(ctx, rest, speech)


def counted_rest(ctx: Context, rest: int, speech: Speech) -> Reply:
    """The rest as a spoken countdown, then the next set."""
    workout = ctx.workout
    assert workout is not None
    if rest > 0:
        speech.extend(ctx.phrasing.rest_countdown(rest))
    speech.extend(ctx.phrasing.announce(workout))
    reply = Reply.ask(speech, ctx.say("set.reprompt"))
    if ctx.turn.shows_screen:
        reply.screen = set_screen(ctx.phrasing, workout, rest=rest, note=rest_note(ctx.phrasing, workout))
    return reply


def start_rest_timer(ctx: Context, speech: Speech, rest: int) -> Reply:
    """Rest on an Alexa timer: say what comes next now; the timer's announcement calls them back.

    When no timer can be had, the rest is counted instead, or, when only the permission is
    missing (and was never refused), Alexa is asked for it.
    """
    workout = ctx.workout
    assert workout is not None
    workout.rest_timers = True
    item = workout.current
    confirm = ctx.say("rest_task.confirm", name=ctx.phrasing.current(workout).name, number=workout.set_number,
                      sets=item.sets)
    timer = TimerSpec(seconds=rest, label=ctx.say("timer.label"), announcement=ctx.phrasing.timer_announcement(workout),
                      resume_task=ResumeTask(RESUME_TASK, RESUME_TASK_VERSION, confirm))
    launches: list[bool] = []
    failure = _timer_call(ctx, lambda: launches.append(_create(ctx, timer)))
    if failure is Failure.PERMISSION_MISSING and not ctx.record.timers_denied:
        return Reply.hand_over(Speech(ctx.say("timer.need_permission")), PermissionRequest(rest_seconds=rest))
    if failure is not None:
        # No timer on this device (or no permission, already refused): count it, and stop offering.
        workout.rest_timers = False
        reply = counted_rest(ctx, rest, Speech(ctx.say("timer.unavailable")))
        reply.question = None
        return reply
    speech.say(ctx.say("timer.set", duration=ctx.phrasing.duration(rest)))
    speech.say(ctx.say("timer.next")).extend(ctx.phrasing.set_intro(workout))
    speech.say(ctx.say("rest_task.until_then" if launches and launches[0] else "timer.until_then"))
    reply = Reply.tell(speech, question=None)
    if ctx.turn.shows_screen:
        reply.screen = set_screen(ctx.phrasing, workout, rest=rest, note=ctx.say("screen.timer_set"))
    return reply


def _create(ctx: Context, timer: TimerSpec) -> bool:
    """Start the rest timer; True when it offers to carry on (its task), False when it announces."""
    timers = ctx.services.timers
    try:
        timer_id, launches = _create_offering_task(timers, timer)
    except ServiceFailure as error:
        if error.failure is not Failure.REFUSED:
            raise
        # Timer labels must be unique: a refusal means a rest timer of ours still runs (its id lost,
        # say, to a failed save). Keep to one timer per person: cancel the skill's timers, retry once.
        log.info("rest timer label in use (%s); cancelling the skill's timers", error)
        timers.cancel_all()
        timer_id, launches = timers.create(replace(timer, resume_task=None)), False
    ends_at = format_time(ctx.now + timedelta(seconds=timer.seconds))
    ctx.record.rest_timer = RestTimer(timer_id, ends_at)
    return launches


def _create_offering_task(timers: Timers, timer: TimerSpec) -> tuple[str, bool]:
    """The timer with its task; where that is refused (a device or account without tasks on timers), the
    same timer announcing the next set, as timers did before tasks. The person hears nothing of it."""
    try:
        return timers.create(timer), timer.resume_task is not None
    except ServiceFailure as error:
        if error.failure is not Failure.REFUSED or timer.resume_task is None:
            raise
        log.info("rest timer with a task refused (%s); announcing instead", error)
        return timers.create(replace(timer, resume_task=None)), False


def decline_timer(ctx: Context) -> Reply:
    """No timer for the rest offered: count it out loud, and do not offer again this workout."""
    workout = ctx.workout
    question = ctx.turn.session.question
    assert workout is not None and question is not None and question.rest_seconds
    workout.rest_timers = False
    reply = counted_rest(ctx, question.rest_seconds, Speech(ctx.say("timer.declined")))
    reply.question = None
    return reply


def accept_timer(ctx: Context) -> Reply:
    """Yes to the rest timer offered."""
    question = ctx.turn.session.question
    assert question is not None and question.rest_seconds
    return start_rest_timer(ctx, Speech(), question.rest_seconds)


def drop_timer(ctx: Context) -> bool:
    """The rest is over (or the workout moves or stops): forget its timer, and cancel it if it has not
    gone off yet. True when a running timer was cancelled."""
    timer = ctx.record.rest_timer
    ctx.record.rest_timer = None
    if timer is None or not timer.running(ctx.now):
        return False
    _timer_call(ctx, lambda: ctx.services.timers.cancel(timer.id))
    return True


def pause_timer(ctx: Context) -> bool:
    """Pause the running rest timer with the workout; True when it is paused."""
    timer = ctx.record.rest_timer
    if timer is None or not timer.running(ctx.now) or timer.paused:
        return False
    if not _kept_timer_call(ctx, lambda: ctx.services.timers.pause(timer.id)):
        return False
    timer.pause(ctx.now)
    return True


def resume_timer(ctx: Context) -> int | None:
    """Resume the paused rest timer; the seconds it has left, or None when there is none to resume."""
    timer = ctx.record.rest_timer
    if timer is None or not timer.paused or not timer.running(ctx.now):
        return None
    seconds = timer.seconds_left(ctx.now)
    if not _kept_timer_call(ctx, lambda: ctx.services.timers.resume(timer.id)):
        return None
    timer.resume(ctx.now)
    return seconds


def _kept_timer_call(ctx: Context, call: Callable[[], None]) -> bool:
    """A call about the timer the record keeps; True when it worked.

    A timer already gone (404) is forgotten; one out of reach is kept, to cancel later.
    """
    failure = _timer_call(ctx, call)
    if failure is Failure.NOT_FOUND:
        ctx.record.rest_timer = None
    return failure is None


def use_rest_timers(ctx: Context, said: UseRestTimers) -> Reply:
    """"use rest timers": switch them on, asking Alexa for permission first when it is missing."""
    if not ctx.turn.timers_permitted:
        # Asked for by the person, so ask even after an earlier no: they have changed their mind.
        return Reply.hand_over(Speech(ctx.say("timer.asking")), PermissionRequest())
    ctx.record.timers_denied = False
    return follow_up(ctx, _timers_on(ctx, Speech()))


def use_timers_for_the_rest_offered(ctx: Context, said: UseRestTimers) -> Reply:
    """"use rest timers" while a rest timer is offered: as yes, once Alexa allows timers."""
    if not ctx.turn.timers_permitted or ctx.workout is None:
        return use_rest_timers(ctx, said)
    ctx.record.timers_denied = False
    return accept_timer(ctx)


def permission_answered(ctx: Context, said: PermissionAnswered) -> Reply:
    """Alexa's permission question was answered; a rest that waited for it gets its timer or its countdown."""
    record = ctx.record
    workout = record.workout
    rest = clamp_rest(said.rest_seconds, ctx.content) if said.rest_seconds > 0 else 0
    if said.answer is PermissionAnswer.ACCEPTED:
        record.timers_denied = False
        if workout and rest:
            return start_rest_timer(ctx, Speech(ctx.say("timer.thanks")), rest)
        return follow_up(ctx, _timers_on(ctx, Speech(ctx.say("timer.thanks"))))
    if said.answer is PermissionAnswer.DENIED:
        # Remembered: no more asking unless they ask for timers themselves.
        record.timers_denied = True
        record.timer_hint_given = True
    if workout:
        workout.rest_timers = False
    speech = Speech(ctx.say("timer.denied" if said.answer is PermissionAnswer.DENIED else "timer.not_answered"))
    if workout and rest:
        return counted_rest(ctx, rest, speech)
    return follow_up(ctx, speech)


def _timers_on(ctx: Context, speech: Speech) -> Speech:
    """Timers for this workout's long rests; without a workout, the next one will offer them."""
    duration = ctx.phrasing.duration(ctx.content.timing["timer_min_rest_seconds"])
    if ctx.workout is None:
        return speech.say(ctx.say("timer.enabled_later", duration=duration))
    ctx.workout.rest_timers = True
    return speech.say(ctx.say("timer.enabled", duration=duration))


def _timer_call(ctx: Context, call: Callable[[], None]) -> Failure | None:
    """Make a timer call; None when it worked, else why not (logged). Never raises."""
    try:
        call()
    except ServiceFailure as error:
        log.warning("rest timer call failed: %s", error)
        return error.failure
    except Exception as error:  # a service that broke its promise to raise only ServiceFailure
        log.warning("rest timer call failed unexpectedly: %r", error)
        return Failure.UNAVAILABLE
    return None


def rest_over(ctx: Context, said: RestOver) -> Reply:
    """The rest timer went off and the person said yes to carrying on: the next set, from the saved place."""
    # The timer has gone off: nothing to cancel, and nothing running.
    ctx.record.rest_timer = None
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx)
    workout.paused = False
    speech = Speech(ctx.say("rest_task.back")).extend(ctx.phrasing.announce(workout, full=True))
    return Reply.ask(speech, ctx.say("set.reprompt"), question=None)
