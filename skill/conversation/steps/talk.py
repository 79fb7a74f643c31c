"""Steps that open, steer and close the conversation: launch, help, stop, go home, and not understood."""

from __future__ import annotations

from skill.conversation import rests
from skill.conversation.context import Context, plan_options
from skill.conversation.reply import Reply
from skill.conversation.said import Fallback, Help, Launch, NavigateHome, Repeat, StartWorkout, Stop
from skill.conversation.session import Pending
from skill.ssml import Speech


def launch(ctx: Context, said: Launch) -> Reply:
    """Welcome (back), and offer to resume an unfinished workout or to start one."""
    record = ctx.record
    workout = record.workout
    speech = ctx.phrasing.greeting(ctx.turn.person_id) if ctx.turn.person_id else Speech()
    if workout:
        speech.say(ctx.phrasing.last_workout(record, ctx.now) if record.last_workout else "")
        speech.say(ctx.say("resume.offer", where=ctx.phrasing.where(workout)))
        return Reply.ask(speech, ctx.say("resume.reprompt"), question=Pending.RESUME)
    if record.last_workout:
        speech.say(ctx.phrasing.last_workout(record, ctx.now))
    else:
        speech.say(ctx.say("welcome.first"))
    speech.say(ctx.say("welcome.ask_start"))
    return Reply.ask(speech, ctx.say("welcome.reprompt_start"), question=Pending.START)


def help_(ctx: Context, said: Help | Repeat) -> Reply:
    """What to say here, in the workout or before it; a question ends it."""
    workout = ctx.workout
    if workout:
        speech = Speech(ctx.say("help.in_workout", where=ctx.phrasing.where(workout)))
        return Reply.ask(speech, ctx.say("set.reprompt"), question=None)
    options = plan_options(ctx, StartWorkout())
    return Reply.ask(Speech(ctx.say("help.idle", length=options.length)), ctx.say("help.reprompt"), question=None)


def stop(ctx: Context, said: Stop) -> Reply:
    """End the session; the workout stays saved, its rest timer is cancelled."""
    workout = ctx.workout
    cancelled = rests.drop_timer(ctx)
    if workout:
        speech = Speech(ctx.say("stop.saved", where=ctx.phrasing.where(workout)))
        if cancelled:
            speech.say(ctx.say("timer.cancelled"))
        return Reply.tell(speech, question=None)
    return Reply.tell(Speech(ctx.say("stop.bye")), question=None)


def navigate_home(ctx: Context, said: NavigateHome) -> Reply:
    """Leaving for the device's home screen: end quietly (the workout is saved as always)."""
    return Reply.tell(Speech(), question=None)


def fallback(ctx: Context, said: Fallback) -> Reply:
    """Not understood: steer back to the set, or to what the skill can do."""
    if ctx.workout:
        return Reply.ask(Speech(ctx.say("fallback.in_workout")), ctx.say("set.reprompt"))
    return Reply.ask(Speech(ctx.say("fallback.idle")), ctx.say("fallback.reprompt"))
