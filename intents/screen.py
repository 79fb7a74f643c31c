"""The one module that builds APL: the coach's screen models as RenderDocument directives.

The documents are JSON files under version control beside this module: ``apl/workout.json`` for a
``Screen`` (datasource ``legday``), ``apl/progress.json`` for a ``ProgressScreen`` (datasource
``progress``: each lift's chart as AVG path data). Only devices that declare
``Alexa.Presentation.APL`` get one; a speaker gets no directive at all.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Directive

from skill.conversation.screens import AnyScreen, ProgressScreen, Screen

APL_INTERFACE = "Alexa.Presentation.APL"
DOCUMENT_PATH = "apl/workout.json"
TOKEN = "legday-workout"
PROGRESS_DOCUMENT_PATH = "apl/progress.json"
PROGRESS_TOKEN = "legday-progress"
# What the document's buttons send (SendEvent arguments), handled like the spoken intents.
DONE_EVENT = "done"
SKIP_EVENT = "skip"
EVENTS = (DONE_EVENT, SKIP_EVENT)


def supported(handler_input: HandlerInput) -> bool:
    """The device can show APL (an Echo Show, a Fire TV...)."""
    context = handler_input.request_envelope.context
    device = context.system.device if context is not None and context.system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def document() -> dict[str, Any]:
    """The workout's APL document, read from the package once; shared, so never change it."""
    return _read(DOCUMENT_PATH)


def progress_document() -> dict[str, Any]:
    """The progress chart's APL document, read from the package once; shared, so never change it."""
    return _read(PROGRESS_DOCUMENT_PATH)


@lru_cache(maxsize=2)
def _read(path: str) -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath(path).read_text(encoding="utf-8"))


def datasource(screen: Screen) -> dict[str, Any]:
    """The data the document binds to, as ``payload.legday.*``."""
    return {
        "legday": {
            "heading": screen.heading,
            "title": screen.title,
            "setLine": screen.set_line,
            "amount": screen.amount,
            "cues": list(screen.cues),
            "icon": screen.icon,
            "progress": screen.progress,
            "rest": {"seconds": max(0, int(screen.rest_seconds)), "note": screen.rest_note,
                     "label": screen.rest_label},
            "buttons": screen.buttons,
            "labels": {"done": screen.done_label, "skip": screen.skip_label},
        }
    }


def progress_datasource(screen: ProgressScreen) -> dict[str, Any]:
    """The data the progress document binds to, as ``payload.progress.*`` (path data in a width x height box)."""
    return {
        "progress": {
            "heading": screen.heading,
            "title": screen.title,
            "facts": list(screen.facts),
            "chart": {"width": screen.width, "height": screen.height},
            "lifts": [{"name": lift.name, "latest": lift.latest, "range": lift.range, "line": lift.line,
                       "dots": lift.dots} for lift in screen.lifts],
        }
    }


def render(screen: AnyScreen) -> Directive:
    """The RenderDocument directive showing ``screen``."""
    # Imported on the first screen, not at start: the APL models are about 20 ms of a fresh worker's import.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    if isinstance(screen, ProgressScreen):
        return RenderDocumentDirective(token=PROGRESS_TOKEN, document=progress_document(),
                                       datasources=progress_datasource(screen))
    return RenderDocumentDirective(token=TOKEN, document=document(), datasources=datasource(screen))


def touched(handler_input: HandlerInput) -> str | None:
    """The button pressed, for an APL UserEvent from our document's buttons; None for anything else."""
    request = handler_input.request_envelope.request
    arguments = getattr(request, "arguments", None)
    if getattr(request, "object_type", None) != "Alexa.Presentation.APL.UserEvent" or not arguments:
        return None
    first = arguments[0]
    return first if isinstance(first, str) and first in EVENTS else None
