"""The rest timer's task: when a long rest's timer goes off, Alexa offers to carry on, and a yes launches
the skill with a ``LaunchRequest`` carrying the task, which resumes the workout at the next set."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import LaunchRequest

from intents.base import SkillHandler
from skill.conversation.rests import RESUME_TASK
from skill.conversation.said import RestOver, Said

log = logging.getLogger(__name__)


def resume_task_of(request: object) -> bool:
    """A launch carrying the rest timer's task ("<skill id>.ResumeWorkout", any version we declared)."""
    task = getattr(request, "task", None) if isinstance(request, LaunchRequest) else None
    name = getattr(task, "name", None)
    return isinstance(name, str) and name.rpartition(".")[2] == RESUME_TASK


class RestOverHandler(SkillHandler):
    """Yes to "Rest over... shall Leg Day Coach carry on?": straight to the next set.

    Registered before the launch handler, which would welcome the person instead.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return resume_task_of(handler_input.request_envelope.request)

    def said(self, handler_input: HandlerInput) -> Said:
        log.info("launched by the rest timer's task")
        return RestOver()
