"""The one module that builds APL: the coach's ``Screen`` model as a RenderDocument directive.

The document is a JSON file under version control (``apl/workout.json`` beside this module); the
skill sends it with a datasource named ``legday`` built here from the screen model. Only devices
that declare ``Alexa.Presentation.APL`` get it; a speaker gets no directive at all.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Directive

from skill.conversation.screens import Screen

APL_INTERFACE = "Alexa.Presentation.APL"
DOCUMENT_PATH = "apl/workout.json"
TOKEN = "legday-workout"
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


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The APL document, read from the package once; shared, so never change it."""
    return json.loads(resources.files(__package__).joinpath(DOCUMENT_PATH).read_text(encoding="utf-8"))


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


def render(screen: Screen) -> Directive:
    """The RenderDocument directive showing ``screen``."""
    # Imported on the first screen, not at start: the APL models are about 20 ms of a fresh worker's import.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=TOKEN, document=document(), datasources=datasource(screen))


def touched(handler_input: HandlerInput) -> str | None:
    """The button pressed, for an APL UserEvent from our document's buttons; None for anything else."""
    request = handler_input.request_envelope.request
    arguments = getattr(request, "arguments", None)
    if getattr(request, "object_type", None) != "Alexa.Presentation.APL.UserEvent" or not arguments:
        return None
    first = arguments[0]
    return first if isinstance(first, str) and first in EVENTS else None
