"""Leg day on the calendar: weekly Alexa reminders, set, listed and cancelled by voice.

Reminders ring in the person's time zone, read from Alexa's Settings API each time they are set
(and kept in the record, so the weekly streak counts their weeks too); when it cannot be read and
none is known, nothing is set rather than set at the wrong hour. A schedule replaces the skill's
earlier reminders (new one first, so a failure loses nothing). The reminders permission is asked
for by voice only when the person asks for reminders; a no is answered kindly and never asked
again unprompted.

An hour said without am or pm is placed between 7 am and 6:59 pm (six is 6 pm, seven is 7 am):
people train before or after work, rarely at night. The reminders are set at once and the choice
is said back with an offer to switch ("I took 6 as 6 pm. Would you like 6 am instead?").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from skill.conversation.context import Context, follow_up
from skill.conversation.phrasing import spoken_list
from skill.conversation.reply import PermissionRequest, Reply
from skill.conversation.said import (
    CancelReminders,
    ListReminders,
    No,
    PermissionAnswer,
    RemindersPermissionAnswered,
    SetReminders,
    Yes,
)
from skill.conversation.session import Pending, Question
from skill.services import WEEKDAYS, Failure, ReminderSpec, ScheduledReminder, ServiceFailure, WeeklySchedule
from skill.ssml import Speech

log = logging.getLogger(__name__)
T = TypeVar("T")
# With no am or pm, an hour from 1 to 6 is afternoon or evening, 7 to 11 morning.
FIRST_MORNING_HOUR = 7
WEEKDAYS_ONLY = WEEKDAYS[:5]


def hour_of_day(hour: int, period: str | None) -> tuple[int, bool]:
    """The hour on a 24-hour clock, and whether it was a guess (1 to 11 with no am or pm)."""
    if hour == 0 or hour > 12:
        return hour % 24, False
    if period == "am":
        return hour % 12, False
    if period == "pm":
        return hour % 12 + 12, False
    if hour == 12:
        return 12, False
    return (hour + 12 if hour < FIRST_MORNING_HOUR else hour), True


def set_reminders(ctx: Context, said: SetReminders) -> Reply:
    """"remind me to train legs every Monday and Thursday at six": ask for what is missing, else set them."""
    if not said.days:
        return Reply.ask(Speech(ctx.say("reminder.which_days")), ctx.say("reminder.reprompt"))
    days = tuple(day for day in WEEKDAYS if day in said.days)
    minute = said.minute or 0
    if said.hour is None or not 0 <= said.hour <= 23 or not 0 <= minute <= 59:
        example = " and ".join(ctx.say(f"reminder.example.{day}") for day in days)
        return Reply.ask(Speech(ctx.say("reminder.which_time", days=_days(ctx, days), example=example)),
                         ctx.say("reminder.reprompt"))
    hour, guessed = hour_of_day(said.hour, said.period)
    return _set(ctx, WeeklySchedule(days, hour, minute), Speech(), said_hour=said.hour if guessed else None)


def _set(ctx: Context, schedule: WeeklySchedule, speech: Speech, *, said_hour: int | None = None) -> Reply:
    """Set the schedule in the person's time zone, replacing the skill's earlier reminders."""
    reminders = ctx.services.reminders
    try:
        # The list first: it also finds out whether reminders are allowed, before anything else is asked.
        earlier = _attempt(reminders.list)
        zone = _time_zone(ctx)
        if zone is None:
            return follow_up(ctx, speech.say(ctx.say("reminder.no_time_zone")))
        _attempt(lambda: reminders.create(ReminderSpec(schedule, zone, ctx.say("reminder.text"))))
    except ServiceFailure as error:
        if error.failure is Failure.PERMISSION_MISSING:
            return Reply.hand_over(speech.say(ctx.say("reminder.need_permission")),
                                   PermissionRequest(reminders=schedule))
        return follow_up(ctx, speech.say(ctx.say("reminder.unavailable")))
    _delete(ctx, [reminder.token for reminder in earlier])
    speech.say(ctx.say("reminder.set", when=when(ctx, schedule)))
    if earlier:
        speech.say(ctx.say("reminder.replaced"))
    if said_hour is None:
        return follow_up(ctx, speech)
    time, other = _time(ctx, schedule.hour, schedule.minute), _time(ctx, (schedule.hour + 12) % 24, schedule.minute)
    speech.say(ctx.say("reminder.other_half", said=said_hour, time=time, other=other))
    return Reply.ask(speech, ctx.say("reminder.other_half_reprompt", time=time, other=other),
                     question=Question(Pending.REMINDERS_OTHER_HALF))


def other_half(ctx: Context, said: Yes) -> Reply:
    """Yes to "would you like 6 am instead?": the reminders move twelve hours."""
    listed = _listed(ctx, "reminder.unavailable")
    if isinstance(listed, Reply):
        return listed
    schedule = next((reminder.schedule for reminder in listed if reminder.schedule), None)
    if schedule is None:
        return follow_up(ctx, Speech(ctx.say("reminder.none")))
    moved = WeeklySchedule(schedule.days, (schedule.hour + 12) % 24, schedule.minute)
    return _set(ctx, moved, Speech())


def keep_half(ctx: Context, said: No) -> Reply:
    """No to the other half of the day: the reminders stay as set (said back when they can be read)."""
    listed = _listed(ctx, "reminder.unavailable")
    schedule = None if isinstance(listed, Reply) else next((r.schedule for r in listed if r.schedule), None)
    if schedule is None:
        return follow_up(ctx, Speech())
    return follow_up(ctx, Speech(ctx.say("reminder.kept", time=_time(ctx, schedule.hour, schedule.minute))))


def list_reminders(ctx: Context, said: ListReminders) -> Reply:
    """"what reminders do I have": the skill's reminders, said the way people say them."""
    listed = _listed(ctx, "reminder.no_permission")
    if isinstance(listed, Reply):
        return listed
    schedules = list(dict.fromkeys(reminder.schedule for reminder in listed if reminder.schedule))
    if not schedules:
        return follow_up(ctx, Speech(ctx.say("reminder.none")))
    return follow_up(ctx, Speech(ctx.say("reminder.list", when=spoken_list([when(ctx, s) for s in schedules]))))


def cancel_reminders(ctx: Context, said: CancelReminders) -> Reply:
    """"cancel my leg day reminders": every reminder the skill set."""
    listed = _listed(ctx, "reminder.nothing_to_cancel")
    if isinstance(listed, Reply):
        return listed
    if not listed:
        return follow_up(ctx, Speech(ctx.say("reminder.nothing_to_cancel")))
    if not _delete(ctx, [reminder.token for reminder in listed]):
        return follow_up(ctx, Speech(ctx.say("reminder.unavailable")))
    return follow_up(ctx, Speech(ctx.say("reminder.cancelled")))


def permission_answered(ctx: Context, said: RemindersPermissionAnswered) -> Reply:
    """Alexa asked for the reminders permission: set the schedule that waited, or a kind answer (and
    where the device could not ask, or nobody answered, a consent card in the Alexa app)."""
    if said.answer is PermissionAnswer.ACCEPTED and said.prompted and said.schedule is not None:
        return _set(ctx, said.schedule, Speech(ctx.say("reminder.thanks")))
    if not said.prompted:
        reply = follow_up(ctx, Speech(ctx.say("reminder.card")))
    elif said.answer is PermissionAnswer.DENIED:
        return follow_up(ctx, Speech(ctx.say("reminder.denied")))
    else:
        reply = follow_up(ctx, Speech(ctx.say("reminder.not_answered")))
    reply.consent_card, reply.consent_scope = True, "reminders"
    return reply


def when(ctx: Context, schedule: WeeklySchedule) -> str:
    """"Mondays and Thursdays at 6 pm", "every day at 7:30 am"."""
    return ctx.say("reminder.at_time", days=_days(ctx, schedule.days),
                   time=_time(ctx, schedule.hour, schedule.minute))


def _days(ctx: Context, days: tuple[str, ...]) -> str:
    if days == WEEKDAYS:
        return ctx.say("reminder.every_day")
    if days == WEEKDAYS_ONLY:
        return ctx.say("reminder.weekdays")
    return spoken_list([ctx.say(f"reminder.day.{day}") for day in days])


def _time(ctx: Context, hour: int, minute: int) -> str:
    """"6 pm", "6:30 am", "noon", "midnight"."""
    if minute == 0 and hour in (0, 12):
        return ctx.say("reminder.noon" if hour == 12 else "reminder.midnight")
    half = ctx.say("reminder.am" if hour < 12 else "reminder.pm")
    clock = hour % 12 or 12
    if minute == 0:
        return ctx.say("reminder.time", hour=clock, half=half)
    return ctx.say("reminder.time_minutes", hour=clock, minute=f"{minute:02d}", half=half)


def _listed(ctx: Context, without_permission: str) -> list[ScheduledReminder] | Reply:
    """The skill's reminders, or what to answer when they cannot be read (``without_permission``: the prompt
    for reminders not allowed)."""
    try:
        return _attempt(ctx.services.reminders.list)
    except ServiceFailure as error:
        key = without_permission if error.failure is Failure.PERMISSION_MISSING else "reminder.unavailable"
        return follow_up(ctx, Speech(ctx.say(key)))


def _time_zone(ctx: Context) -> str | None:
    """The device's time zone, kept in the record (the streak counts weeks in it); the one kept before when
    Alexa's settings cannot be read now, None when none is known."""
    try:
        zone = _attempt(ctx.services.settings.time_zone)
    except ServiceFailure as error:
        log.warning("time zone unavailable (%s); kept: %s", error, ctx.record.time_zone)
        return ctx.record.time_zone
    ctx.record.time_zone = zone
    return zone


def _delete(ctx: Context, tokens: list[str]) -> bool:
    """Delete these reminders; True when none is left over (one already gone counts as deleted)."""
    deleted = True
    for token in tokens:
        try:
            _attempt(lambda: ctx.services.reminders.delete(token))
        except ServiceFailure as error:
            if error.failure is not Failure.NOT_FOUND:
                log.warning("reminder not deleted: %s", error)
                deleted = False
    return deleted


def _attempt(call: Callable[[], T]) -> T:
    """A service call that raises only ``ServiceFailure`` (a service that broke that promise is unavailable)."""
    try:
        return call()
    except ServiceFailure:
        raise
    except Exception as error:
        log.warning("service call failed unexpectedly: %r", error)
        raise ServiceFailure(Failure.UNAVAILABLE, repr(error)) from error
