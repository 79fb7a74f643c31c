"""CanFulfillIntentRequest is judged against the model of the request's own locale."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Send, read_request


def asked(locale: str, equipment: str) -> dict[str, Any]:
    """A name-free start with one equipment value heard and not resolved by Alexa (so the model decides)."""
    body = read_request("can_fulfill_start_workout")
    body["request"]["locale"] = locale
    body["request"]["intent"]["slots"] = {"equipment": {"name": "equipment", "value": equipment}}
    return body


def verdict(send: Send, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    answer = send(body).response
    assert set(answer) == {"canFulfillIntent"}, "no speech, no card, no session flag"
    can = answer["canFulfillIntent"]
    return can["canFulfill"], can.get("slots") or {}


@pytest.mark.parametrize(("locale", "equipment", "expected"), [
    ("de-DE", "Langhantel", "YES"),
    ("de-DE", "Kurzhanteln", "YES"),
    ("en-US", "Langhantel", "MAYBE"),
    ("en-GB", "barbell", "YES"),
    ("en-GB", "no kit", "YES"),
    ("en-US", "no kit", "MAYBE"),
    ("de-AT", "Langhantel", "YES"),
    ("fr-FR", "barbell", "YES"),
])
def test_slot_values_are_understood_in_the_requests_own_locale(send: Send, locale: str, equipment: str,
                                                               expected: str) -> None:
    intent, slots = verdict(send, asked(locale, equipment))
    assert intent == expected
    understood = "YES" if expected == "YES" else "NO"
    assert slots["equipment"] == {"canUnderstand": understood, "canFulfill": understood}


def test_a_german_exercise_is_understood_only_in_german(send: Send) -> None:
    def exercise(locale: str) -> str:
        body = read_request("can_fulfill_exercise_info")
        body["request"]["locale"] = locale
        body["request"]["intent"]["slots"] = {"exercise": {"name": "exercise", "value": "Rumänisches Kreuzheben"}}
        return verdict(send, body)[0]

    assert exercise("de-DE") == "YES"
    assert exercise("en-US") == "MAYBE"
