"""Counts of one in history answers, over HTTP in English and German from a seeded log: one leg day
("einen Beintag"), a last workout of one set, sets of one rep; a count of two keeps the plural."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Send, read_request
from tests.history.conftest import Seed, lift, seed, today, workout  # noqa: F401
from tests.locales.german import english_left, german
from tests.skill.test_training_log_by_voice import in_locale
from tests.state.conftest import app, store  # noqa: F401


# The exercise a sample asks about, as heard from a German device.
GERMAN_EXERCISE = {"history_last_squat": "kniebeuge", "history_best_deadlift": "kreuzheben"}


def ask(send: Send, sample: str, locale: str) -> str:
    """A history question's answer, asked from a device in ``locale`` (German slots heard in German)."""
    if locale == "de-DE":
        body = german(sample, exercise=GERMAN_EXERCISE[sample]) if sample in GERMAN_EXERCISE else german(sample)
    else:
        body = in_locale(read_request(sample), locale)
    return send(body).speech


@pytest.mark.parametrize(("locale", "days", "said"), [
    ("en-US", 1, "You've done 1 leg day in all."),
    ("de-DE", 1, "Du hast insgesamt einen Beintag gemacht."),
    ("en-US", 2, "You've done 2 leg days in all."),
    ("de-DE", 2, "Du hast insgesamt 2 Beintage gemacht."),
])
def test_one_leg_day_is_counted_as_one(send: Send, seed: Seed, locale: str, days: int,  # noqa: F811
                                       said: str) -> None:
    seed([workout(today() - timedelta(days=3 + day), lift("squat", 8, 60)) for day in range(days)])
    speech = ask(send, "history_count", locale)
    assert said in speech, speech
    if locale == "de-DE":
        assert english_left(speech) == []


def test_a_last_workout_of_one_minute_is_said_in_the_right_case(send: Send, seed: Seed) -> None:  # noqa: F811
    """German: "eine Minute lang" (accusative), never "in eine Minute"."""
    seed([workout(today() - timedelta(days=1), lift("squat", 8, 60, sets=2), minutes=1)])
    speech = ask(send, "history_last_workout", "de-DE")
    assert "2 Sätze, eine Minute lang." in speech, speech


@pytest.mark.parametrize(("locale", "sets", "said"), [
    ("en-US", 1, "1 set in 5 minutes, with squat."),
    ("de-DE", 1, "1 Satz, 5 Minuten lang. Übungen: Kniebeuge."),
    ("en-US", 2, "2 sets in 5 minutes, with squat."),
    ("de-DE", 2, "2 Sätze, 5 Minuten lang. Übungen: Kniebeuge."),
])
def test_a_last_workout_of_one_set_says_one_set(send: Send, seed: Seed, locale: str, sets: int,  # noqa: F811
                                                said: str) -> None:
    seed([workout(today() - timedelta(days=1), lift("squat", 8, 60, sets=sets), minutes=5)])
    speech = ask(send, "history_last_workout", locale)
    assert said in speech, speech


@pytest.mark.parametrize(("locale", "reps", "sets", "load", "said"), [
    ("en-US", 1, 1, 100, "a set of 1 rep at 100 kilos."),
    ("de-DE", 1, 1, 100, "ein Satz mit einer Wiederholung bei 100 Kilo."),
    ("en-US", 1, 3, 100, "3 sets of 1 rep at 100 kilos."),
    ("de-DE", 1, 3, 100, "3 Sätze mit je einer Wiederholung bei 100 Kilo."),
    ("en-US", 1, 1, None, "a set of 1 rep."),
    ("de-DE", 1, 1, None, "ein Satz mit einer Wiederholung."),
    ("en-US", 1, 2, None, "2 sets of 1 rep."),
    ("de-DE", 1, 2, None, "2 Sätze mit je einer Wiederholung."),
    ("en-US", 2, 1, 100, "a set of 2 at 100 kilos."),
    ("de-DE", 2, 1, 100, "ein Satz mit 2 Wiederholungen bei 100 Kilo."),
    ("en-US", 2, 3, None, "3 sets of 2."),
    ("de-DE", 2, 3, None, "3 Sätze mit 2 Wiederholungen."),
])
def test_sets_of_one_rep_are_said_as_one_rep(send: Send, seed: Seed, locale: str, reps: int,  # noqa: F811
                                             sets: int, load: float | None, said: str) -> None:
    seed([workout(today() - timedelta(days=1), lift("squat", reps, load, sets=sets))])
    speech = ask(send, "history_last_squat", locale)
    assert said in speech, speech
    if locale == "de-DE":
        assert english_left(speech) == []


@pytest.mark.parametrize(("locale", "reps", "said"), [
    ("en-US", 1, ("Your best deadlift is 140 kilos for 1 rep, yesterday",
                  "Your top deadlift set: 140 kilos for 1 rep, yesterday")),
    ("de-DE", 1, ("Kreuzheben: Dein bester Satz war eine Wiederholung mit 140 Kilo, gestern.",
                  "Deine Bestleistung, Kreuzheben: 140 Kilo für eine Wiederholung, gestern.")),
    ("en-US", 2, ("Your best deadlift is 140 kilos for 2 reps, yesterday",
                  "Your top deadlift set: 140 kilos for 2 reps, yesterday")),
    ("de-DE", 2, ("Kreuzheben: Dein bester Satz waren 2 Wiederholungen mit 140 Kilo, gestern.",
                  "Deine Bestleistung, Kreuzheben: 140 Kilo für 2 Wiederholungen, gestern.")),
])
def test_a_best_of_one_rep_is_said_as_one_rep(send: Send, seed: Seed, locale: str, reps: int,  # noqa: F811
                                              said: tuple[str, str]) -> None:
    seed([workout(today() - timedelta(days=1), lift("deadlift", reps, 140, sets=1))])
    speech = ask(send, "history_best_deadlift", locale)
    assert speech.startswith(said), speech
