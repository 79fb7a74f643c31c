"""The skill in every locale over HTTP: the request's locale picks the language of every answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from skill.content import language_of, load_content, locales
from skill.workout.plan import PlanOptions, build_plan
from tests.conftest import Answer, Send, read_request, with_changes
from tests.robustness.alexa_response import check_response_envelope

LOCALES = sorted(locales())
MAX_TURNS = 200
# Words only English answers hold, and only German ones.
ENGLISH_ONLY = ("Say done", "Rest ", "Set 1 of", "leg day done")
GERMAN_ONLY = ("Satz", "Pause", "Sag fertig")


def in_locale(name: str, locale: str, attributes: dict[str, Any] | None = None, *,
              screen: bool = False) -> dict[str, Any]:
    body = with_changes(read_request(name), screen=True) if screen else read_request(name)
    body["request"]["locale"] = locale
    if attributes is not None:
        body["session"]["attributes"] = attributes
    return body


def valid(answer: Answer) -> Answer:
    """The answer, after checking it is a response Alexa accepts (SSML included)."""
    check_response_envelope(answer.body, len(json.dumps(answer.body).encode("utf-8")))
    return answer


def start(send: Send, locale: str, *, screen: bool = False) -> Answer:
    body = in_locale("start_workout_advanced_barbell", locale, screen=screen)
    slots = body["request"]["intent"]["slots"]
    for name, value in (("level", "beginner"), ("length", "15"), ("equipment", "dumbbells")):
        slots[name]["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] = value
    return valid(send(body))


@pytest.mark.parametrize("locale", LOCALES)
def test_a_whole_workout_in_each_locale(send: Send, locale: str) -> None:
    german = language_of(locale) == "de"
    content = load_content(language_of(locale))
    answers = [start(send, locale)]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        answers.append(valid(send(in_locale("set_done", locale, answers[-1].attributes))))
    plan = build_plan(PlanOptions("beginner", 15, "dumbbells"), content)
    assert len(answers) == sum(item.sets for item in plan) + 1
    said = " ".join(answer.speech for answer in answers)
    for item in plan:
        assert content.exercise(item.exercise_id).name.lower() in said.lower()
    if german:
        assert "15-Minuten-Beintag, Stufe Anfänger, mit Kurzhanteln" in answers[0].speech
        assert "Beintag geschafft!" in answers[-1].speech
        assert all(word in said for word in GERMAN_ONLY)
        assert not [word for word in ENGLISH_ONLY if word in said]
        assert all(answer.reprompt.startswith("Sag fertig") for answer in answers[:-1])
    else:
        assert "15 minute beginner leg day with dumbbells" in answers[0].speech
        assert "leg day done" in answers[-1].speech
        assert "Sag fertig" not in said


def test_german_rests_and_holds_are_counted_in_german(send: Send) -> None:
    answers = [start(send, "de-DE")]
    while answers[-1].ends_session is False:
        answers.append(send(in_locale("set_done", "de-DE", answers[-1].attributes)))
    said = " ".join(answer.speech for answer in answers)
    assert "Pause: eine Minute und 15 Sekunden." in said
    assert "Noch eine Minute." in said and "30 Sekunden." in said
    assert "Sätze mit 8 bis 12 Wiederholungen" in said
    assert "pro Bein" in said


@pytest.mark.parametrize(("request_name", "expected", "ends"), [
    ("launch", "Willkommen beim Beintag Trainer!|Hallo, ich bin dein Beintrainer.", False),
    ("help", "Sag Beintag starten", False),
    ("fallback", "Entschuldige, dabei kann ich nicht helfen.", False),
    ("stop", "Tschüss|Bis zum nächsten Beintag", True),
    ("why_train_legs", "Willst du noch einen Grund hören?", False),
    ("exercise_info_lunge", "Ausfallschritt rückwärts trainiert Oberschenkel, Gesäß, Beinbeuger und Adduktoren.", False),
])
def test_german_launch_help_fallback_stop_and_questions(send: Send, request_name: str, expected: str,
                                                        ends: bool) -> None:
    answer = valid(send(in_locale(request_name, "de-DE")))
    assert any(part in answer.speech for part in expected.split("|")), answer.speech
    assert answer.ends_session is ends
    if not ends:
        assert answer.reprompt and not any(word in answer.reprompt for word in ("Say ", "You can"))


def test_english_and_german_alternate_on_one_record(send: Send) -> None:
    """The language follows each request, not the person: the saved workout is the same in both."""
    first = start(send, "de-DE")
    english = valid(send(in_locale("progress", "en-US", first.attributes)))
    assert english.speech.startswith("You're on the leg swing.")
    german = valid(send(in_locale("progress", "de-DE", english.attributes)))
    assert german.speech.startswith("Du bist bei Beinschwingen")


def test_an_unknown_locale_is_answered_in_english(send: Send) -> None:
    answer = valid(send(in_locale("launch", "fr-FR")))
    assert "Leg Day Coach" in answer.speech and "Beintag" not in answer.speech


def test_a_german_screen_shows_german_labels(send: Send) -> None:
    answer = start(send, "de-DE", screen=True)
    directives = answer.response.get("directives") or []
    assert directives, "the sample device has a screen"
    shown = json.dumps(directives, ensure_ascii=False)
    assert "Aufwärmen" in shown and "Fertig" in shown and "Überspringen" in shown
    assert "Warm-up" not in shown
