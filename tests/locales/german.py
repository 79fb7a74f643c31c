"""German envelopes for the locale tests, and a check that German speech holds no English left over."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import read_request

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")
# Words of the English prompts that no German answer should hold.
ENGLISH = re.compile(r"\b(the|and|with|of|on|at|for|your|you|sets?|reps?|kilos|pounds|today|yesterday|last|best|"
                     r"time|leg days?|reminders?|every|pm|Mondays?|Thursdays?|weekdays|streak|weeks?)\b")


def english_left(speech: str) -> list[str]:
    """The English words in ``speech``."""
    return ENGLISH.findall(speech)


def german(sample: str | dict[str, Any], **heard: str) -> dict[str, Any]:
    """A sample envelope as a de-DE device sends it, its slots heard as the German words in ``heard``."""
    body = read_request(sample) if isinstance(sample, str) else sample
    body["request"]["locale"] = "de-DE"
    slots = body["request"].get("intent", {}).get("slots") or {}
    for name, words in heard.items():
        slot = slots[name]
        slot["value"] = words
        if "slotValue" in slot:
            slot["slotValue"]["value"] = words
        for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
            for value in authority["values"]:
                value["value"]["name"] = words
    return body
