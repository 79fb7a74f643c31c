"""Reminders by voice: set ("remind me to train legs every Monday and Thursday at six"), list, cancel, and
the answer to Alexa's reminders permission question."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.connections import ConnectionsResponse

from intents import slots, timers
from intents.base import IntentHandler, SkillHandler
from skill.conversation.said import (
    CancelReminders,
    ListReminders,
    RemindersPermissionAnswered,
    Said,
    SetReminders,
)
from skill.services import WEEKDAYS

log = logging.getLogger(__name__)
# Up to three weekdays in one breath ("Monday, Wednesday and Friday").
DAY_SLOTS = ("day", "secondday", "thirdday")
# Every weekday slot value's id is an RFC 5545 day code, or one of these for several days at once.
DAY_GROUPS = {"EVERYDAY": WEEKDAYS, "WEEKDAYS": WEEKDAYS[:5], "WEEKEND": WEEKDAYS[5:]}


class SetRemindersHandler(IntentHandler):
    """"remind me to train legs every Monday and Thursday at six"."""

    intents = ("SetRemindersIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        days: list[str] = []
        for name in DAY_SLOTS:
            found = slots.resolved_id(handler_input, name)
            days.extend(DAY_GROUPS.get(found, (found,)) if found else ())
        hour, minute = slots.number(handler_input, "hour"), slots.number(handler_input, "minute")
        if hour is not None and minute is None and 100 <= hour <= 1259 and hour % 100 < 60:
            # "six thirty" may come as one number, 630.
            hour, minute = divmod(hour, 100)
        return SetReminders(days=tuple(day for day in WEEKDAYS if day in days), hour=hour, minute=minute,
                            period=slots.resolved_id(handler_input, "period"))


class ListRemindersHandler(IntentHandler):
    """"what reminders do I have"."""

    intents = ("ListRemindersIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return ListReminders()


class CancelRemindersHandler(IntentHandler):
    """"cancel my leg day reminders"."""

    intents = ("CancelRemindersIntent",)

    def said(self, handler_input: HandlerInput) -> Said:
        return CancelReminders()


class RemindersPermissionHandler(SkillHandler):
    """The answer to Alexa's reminders permission question (its token names the schedule that waited).

    Registered before the timer permission handler, which takes every other AskFor answer.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (isinstance(request, ConnectionsResponse) and request.name == timers.ASK_FOR
                and timers.is_reminders_token(request.token))

    def said(self, handler_input: HandlerInput) -> Said:
        request = handler_input.request_envelope.request
        assert isinstance(request, ConnectionsResponse)
        answer = timers.permission_answer(request.payload)
        # A status other than 200 means Alexa could not ask by voice here (the device or the account).
        code = getattr(request.status, "code", None)
        prompted = str(code) == "200" if code is not None else True
        log.info("reminders permission answer: %s (asked by voice: %s)", answer.value, prompted)
        return RemindersPermissionAnswered(answer, timers.schedule_from_token(request.token), prompted)
