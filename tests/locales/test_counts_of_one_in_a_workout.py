"""Counts of one in a workout, over HTTP in English and German: "1 rep", a workout of one set or of
one exercise (its summary, card, screen and the next welcome back), last time's single rep; a count
of two keeps the plural."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from skill.content import load_content
from skill.workout.plan import PlanItem, PlanOptions, build_plan
from tests.conftest import Answer, Send, read_request, with_changes
from tests.locales.german import english_left
from tests.skill.test_training_log_by_voice import (
    BEGINNER_DUMBBELLS,
    INTERMEDIATE_BARBELL,
    in_locale,
    intro_of,
    said,
    start_body,
    working,
)

BODYWEIGHT = PlanOptions("beginner", 15, "bodyweight")
MAX_TURNS = 80
# What to send for one set, given the plan item, its set number and the set's turn in the workout
# (0 first): a request body, or None for a plain "done".
Script = Callable[[PlanItem, int, int], dict[str, Any] | None]


def skip(locale: str) -> dict[str, Any]:
    return in_locale(read_request("skip_exercise"), locale)


def run(send: Send, options: PlanOptions, locale: str, script: Script) -> list[Answer]:
    """A workout on an Echo Show, each turn what ``script`` says, to its end."""
    plan = build_plan(options, load_content())
    answers = [send(with_changes(start_body(options, locale), screen=True))]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        position, set_number = answers[-1].attributes["position"]
        body = script(plan[position], set_number, len(answers) - 1) or in_locale(read_request("set_done"), locale)
        answers.append(send(with_changes(body, screen=True, attributes=answers[-1].attributes)))
    return answers


def welcome_back(send: Send, locale: str) -> str:
    """What a new session's launch says (the welcome back, with the workout just logged)."""
    return send(in_locale(read_request("launch"), locale)).speech


def finished_screen(answer: Answer) -> dict[str, Any]:
    [directive] = [d for d in answer.response.get("directives") or []
                   if d.get("type") == "Alexa.Presentation.APL.RenderDocument"]
    return directive["datasources"]["legday"]


def first_sets_then_skip(locale: str, sets: int) -> Script:
    """The first ``sets`` sets done, every exercise after them skipped."""
    return lambda item, number, turn: None if turn < sets else skip(locale)


def one_exercise_then_skip(locale: str) -> Script:
    """The warm-up skipped, the first main exercise done (2 sets), the rest skipped."""
    def script(item: PlanItem, number: int, turn: int) -> dict[str, Any] | None:
        return None if item.exercise_id == "tempo_squat" else skip(locale)
    return script


# (locale, sets done, said at the finish, the card's first line, the screen's set line, the welcome back's variants)
ONE_SET_OR_TWO = [
    ("en-US", 1, "That's leg day done! You finished 1 exercise and 1 set in about 1 minute.",
     "1 exercise, 1 set, about 1 minute.", "1 set",
     ("Last time, today, you did 1 set.", "Your last leg day was today: 1 set.")),
    ("de-DE", 1, "Beintag geschafft! Eine Übung, ein Satz, etwa 1 Minute.",
     "1 Übung, 1 Satz, etwa 1 Minute.", "1 Satz",
     ("Letztes Mal, heute, hast du einen Satz geschafft.", "Dein letzter Beintag war heute: ein Satz.")),
    ("en-US", 2, "That's leg day done! You finished 2 exercises and 2 sets in about 1 minute.",
     "2 exercises, 2 sets, about 1 minute.", "2 sets",
     ("Last time, today, you did 2 sets across 2 exercises.", "Your last leg day was today: 2 sets, 2 exercises.")),
    ("de-DE", 2, "Beintag geschafft! Du hast 2 Übungen und 2 Sätze gemacht, etwa 1 Minute lang.",
     "2 Übungen, 2 Sätze, etwa 1 Minute.", "2 Sätze",
     ("Letztes Mal, heute, hast du 2 Sätze in 2 Übungen geschafft.",
      "Dein letzter Beintag war heute: 2 Sätze, 2 Übungen.")),
]


@pytest.mark.parametrize(("locale", "sets", "summary", "card", "set_line", "welcome"), ONE_SET_OR_TWO)
def test_a_workout_ended_after_one_set_is_summed_up_and_welcomed_back_in_the_singular(
        send: Send, locale: str, sets: int, summary: str, card: str, set_line: str, welcome: tuple[str, str]) -> None:
    answers = run(send, BODYWEIGHT, locale, first_sets_then_skip(locale, sets))
    finale = answers[-1]
    assert summary in finale.speech, finale.speech
    assert finale.response["card"]["content"].splitlines()[0] == card
    assert finished_screen(finale)["setLine"] == set_line
    back = welcome_back(send, locale)
    assert any(variant in back for variant in welcome), back
    if locale == "de-DE":
        assert english_left(finale.speech + back) == []


@pytest.mark.parametrize(("locale", "summary", "card", "welcome"), [
    ("en-US", "You finished 1 exercise and 2 sets in about 1 minute.", "1 exercise, 2 sets, about 1 minute.",
     ("Last time, today, you did 2 sets of 1 exercise.", "Your last leg day was today: 2 sets, 1 exercise.")),
    ("de-DE", "Du hast 1 Übung und 2 Sätze gemacht, etwa 1 Minute lang.", "1 Übung, 2 Sätze, etwa 1 Minute.",
     ("Letztes Mal, heute, hast du 2 Sätze in einer Übung geschafft.",
      "Dein letzter Beintag war heute: 2 Sätze, eine Übung.")),
])
def test_a_workout_of_one_exercise_says_one_exercise(send: Send, locale: str, summary: str, card: str,
                                                     welcome: tuple[str, str]) -> None:
    finale = run(send, BODYWEIGHT, locale, one_exercise_then_skip(locale))[-1]
    assert summary in finale.speech, finale.speech
    assert finale.response["card"]["content"].splitlines()[0] == card
    back = welcome_back(send, locale)
    assert any(variant in back for variant in welcome), back


@pytest.mark.parametrize(("locale", "one", "two"), [("en-US", "1 rep.", "2 reps."),
                                                     ("de-DE", "1 Wiederholung.", "2 Wiederholungen.")])
def test_done_one_rep_is_logged_as_one_rep_and_two_as_reps(send: Send, locale: str, one: str, two: str) -> None:
    """"done, one rep" in a bodyweight workout: the reps alone are said back."""
    def reps(item: PlanItem, number: int, turn: int) -> dict[str, Any] | None:
        return said(locale, reps=turn + 1) if turn < 2 else skip(locale)

    answers = run(send, BODYWEIGHT, locale, reps)
    assert answers[1].speech.startswith(one), answers[1].speech
    assert answers[2].speech.startswith(two), answers[2].speech
    assert "1 reps" not in answers[1].speech and "1 Wiederholungen" not in answers[1].speech


@pytest.mark.parametrize(("locale", "singles", "heard"), [
    ("en-GB", 1, "Last time 100 kilos for 1 rep."),
    ("de-DE", 1, "Letztes Mal 100 Kilo, mit einer Wiederholung."),
    ("en-GB", 2, "Last time 100 kilos for 1 and 1."),
    ("de-DE", 2, "Letztes Mal 100 Kilo, mit 1 und 1 Wiederholungen."),
])
def test_last_times_single_rep_is_said_as_one_rep(send: Send, locale: str, singles: int, heard: str) -> None:
    """A squat of ``singles`` sets of one rep at 100 kilos (the others skipped) is what the next squat opens with."""
    def squat_singles(item: PlanItem, number: int, turn: int) -> dict[str, Any] | None:
        if not working(item, "squat"):
            return None
        return said(locale, reps=1, load=100, unit="kg") if number <= singles else skip(locale)

    run(send, INTERMEDIATE_BARBELL, locale, squat_singles)
    again = run(send, INTERMEDIATE_BARBELL, locale, lambda item, number, turn: None)
    intro = intro_of(again, "Now your working weight" if locale == "en-GB" else "Jetzt dein Arbeitsgewicht")
    assert heard in intro, intro


@pytest.mark.parametrize(("locale", "unit", "one", "two"), [
    ("en-GB", "kg", "8 at 1 kilo.", "8 at 2 kilos."),
    ("en-US", "lb", "8 at 1 pound.", "8 at 2 pounds."),
    ("de-DE", "kg", "8 mit 1 Kilo.", "8 mit 2 Kilo."),
])
def test_a_load_of_one_is_said_in_the_singular(send: Send, locale: str, unit: str, one: str, two: str) -> None:
    """Goblet squats at 1 then 2 (a light dumbbell: in range, not checked back)."""
    def light(item: PlanItem, number: int, turn: int) -> dict[str, Any] | None:
        if not working(item, "goblet_squat"):
            return None if item.block == "warmup" else skip(locale)
        return said(locale, reps=8, load=number, unit=unit) if number <= 2 else skip(locale)

    speech = [answer.speech for answer in run(send, BEGINNER_DUMBBELLS, locale, light)]
    assert sum(one in said_back for said_back in speech) == 1, speech
    assert sum(two in said_back for said_back in speech) == 1, speech


@pytest.mark.parametrize(("locale", "seconds", "said_back"), [
    ("en-US", 61, "Got it. Rests are now a minute and 1 second."),
    ("de-DE", 61, "Verstanden. Deine Pausen dauern jetzt eine Minute und 1 Sekunde."),
    ("en-US", 121, "Got it. Rests are now 2 minutes and 1 second."),
    ("de-DE", 121, "Verstanden. Deine Pausen dauern jetzt 2 Minuten und 1 Sekunde."),
    ("en-US", 62, "Got it. Rests are now a minute and 2 seconds."),
    ("de-DE", 62, "Verstanden. Deine Pausen dauern jetzt eine Minute und 2 Sekunden."),
])
def test_a_rest_of_a_minute_and_one_second_says_one_second(send: Send, locale: str, seconds: int,
                                                           said_back: str) -> None:
    started = send(start_body(BODYWEIGHT, locale))
    body = in_locale(read_request("set_rest_seconds"), locale)
    body["request"]["intent"]["slots"]["seconds"]["value"] = str(seconds)
    answer = send(body, attributes=started.attributes)
    assert answer.speech.startswith(said_back), answer.speech
