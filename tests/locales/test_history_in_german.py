"""History questions from a German device over HTTP: a seeded log, answered in spoken German."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Send
from tests.history.conftest import Seed, lift, seed, today, workout  # noqa: F401
from tests.locales.german import MONTHS, WEEKDAYS, english_left, german
from tests.state.conftest import app, store  # noqa: F401


@pytest.fixture
def three_weeks(seed: Seed) -> None:  # noqa: F811
    """Squats and deadlifts three weeks running, the last three days ago; the heaviest deadlift the first time."""
    day = today()
    seed([
        workout(day - timedelta(days=17), lift("squat", 8, 55), lift("deadlift", 5, 105, sets=1)),
        workout(day - timedelta(days=10), lift("squat", 8, 57.5), lift("deadlift", 5, 95, sets=2)),
        workout(day - timedelta(days=3), lift("squat", 8, 60) + lift("squat", 6, 62.5, sets=1),
                lift("deadlift", 5, 100, sets=2), minutes=41),
    ])


def test_what_did_i_do_last_time_in_german(send: Send, three_weeks: None) -> None:
    answer = send(german("history_last_workout"))
    weekday = WEEKDAYS[(today() - timedelta(days=3)).weekday()]
    assert (f"Dein letzter Beintag war am {weekday}:" in answer.speech
            or f"Zuletzt hast du am {weekday} Beine trainiert:" in answer.speech), answer.speech
    assert "6 Sätze, 41 Minuten lang. Übungen: Kniebeuge und Kreuzheben." in answer.speech
    assert "Deine schwersten Sätze: Kniebeuge 6 mal 62,5 Kilo und Kreuzheben 5 mal 100 Kilo." in answer.speech
    assert english_left(answer.speech) == []
    assert answer.ends_session is False


def test_the_best_deadlift_in_german_with_its_date(send: Send, three_weeks: None) -> None:
    speech = send(german("history_best_deadlift", exercise="kreuzheben")).speech
    day = today() - timedelta(days=17)
    on = f"am {day.day}. {MONTHS[day.month - 1]}" + (f" {day.year}" if day.year != today().year else "")
    assert "Kreuzheben" in speech and "5 Wiederholungen" in speech and "105 Kilo" in speech, speech
    assert on in speech, speech
    # Epley: 105 x (1 + 5/30) = 122.5, said with a German decimal comma.
    assert "122,5 Kilo" in speech
    assert english_left(speech) == []


def test_how_many_leg_days_in_german(send: Send, three_weeks: None) -> None:
    speech = send(german("history_count")).speech
    assert "Du hast insgesamt 3 Beintage gemacht." in speech, speech
    assert english_left(speech) == []


def test_a_new_users_history_question_in_german(send: Send, store: object) -> None:  # noqa: F811
    answer = send(german("history_streak"))
    assert answer.speech.startswith(("Noch kein Beintag gespeichert.", "Noch nichts gespeichert.")), answer.speech
    assert english_left(answer.speech) == [] and english_left(answer.reprompt) == []


def test_show_my_progress_in_german_on_a_screen_and_by_voice(send: Send, three_weeks: None) -> None:
    answer = send(german("history_show_progress"))
    assert answer.speech.startswith("Hier ist jede Hauptübung über die letzten 12 Wochen."), answer.speech
    [render] = answer.response["directives"]
    squat = render["datasources"]["progress"]["lifts"][0]
    # A German screen: the decimal comma, the unit kept with its number.
    assert squat["latest"] == "Kniebeuge: 62,5\u00a0kg" and squat["range"] == "55\u00a0kg bis 62,5\u00a0kg"

    body = german("history_show_progress")
    body["context"].pop("Viewport")
    body["context"].pop("Viewports")
    spoken = send(body, screen=False).speech
    assert spoken.startswith("In den letzten 12 Wochen: Kniebeuge: von 55 auf 62,5 Kilo und "
                             "Kreuzheben: von 105 auf 100 Kilo."), spoken
    assert english_left(spoken) == []
