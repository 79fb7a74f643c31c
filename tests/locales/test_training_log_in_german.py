"""The training log from a German device over HTTP: loads said in Kilo, next time's suggestion, the
summary and its card, a check-back and the unit switch, all in spoken German."""

from __future__ import annotations

from typing import Any

from skill.content import load_content
from skill.workout.plan import PlanItem, build_plan
from tests.conftest import Send
from tests.locales.german import english_left, german
from tests.skill.test_training_log_by_voice import (
    INTERMEDIATE_BARBELL,
    MAX_TURNS,
    done,
    intro_of,
    said,
    start_body,
    workout,
    working,
)


def test_loads_in_kilo_the_summary_the_card_and_next_times_suggestion_in_german(send: Send) -> None:
    def squat_ten_at_sixty(item: PlanItem, number: int) -> dict[str, Any] | None:
        return said("de-DE", reps=10, load=60, unit="kg") if working(item, "squat") else None

    first = workout(send, INTERMEDIATE_BARBELL, squat_ten_at_sixty, "de-DE")
    assert "Zum ersten Mal mit Gewicht bei dieser Übung" in intro_of(first, "Jetzt dein Arbeitsgewicht")
    assert sum("10 mit 60 Kilo." in answer.speech for answer in first) == 3
    finale = first[-1]
    assert "Du hast insgesamt 1800 Kilo bewegt." in finale.speech
    assert "Beim nächsten Mal: Kniebeuge hoch auf 62,5 Kilo." in finale.speech
    card = finale.response["card"]
    assert card["title"] == "Beintag geschafft"
    assert "Volumen: 1800 Kilo." in card["content"] and "Beim nächsten Mal: Kniebeuge 62,5 Kilo." in card["content"]
    assert english_left(" ".join(answer.speech for answer in first) + card["content"]) == []

    second = workout(send, INTERMEDIATE_BARBELL, lambda item, number: None, "de-DE")
    intro = intro_of(second, "Jetzt dein Arbeitsgewicht")
    assert "Letztes Mal 60 Kilo, mit 10, 10 und 10 Wiederholungen." in intro, intro
    assert "Versuch heute 62,5 Kilo." in intro or "Geh heute auf 62,5 Kilo hoch." in intro
    assert english_left(intro) == []


def test_a_misheard_load_is_checked_back_in_german_and_kilo_or_pfund_can_be_chosen(send: Send) -> None:
    answer = send(start_body(INTERMEDIATE_BARBELL, "de-DE"))
    pounds = german("set_unit", unit="pfund")
    pounds["request"]["intent"]["slots"]["unit"]["resolutions"]["resolutionsPerAuthority"][0]["values"][0][
        "value"]["id"] = "lb"
    switched = send(pounds, attributes=answer.attributes)
    assert switched.speech.split(".")[0] in ("Okay, ab jetzt in Pfund", "Alles klar: Ich rechne ab jetzt in Pfund")
    back = send(german("set_unit", unit="kilo"), attributes=switched.attributes)
    assert back.speech.split(".")[0] in ("Okay, ab jetzt in Kilo", "Alles klar: Ich rechne ab jetzt in Kilo")

    plan = build_plan(INTERMEDIATE_BARBELL, load_content("de"))
    answer = back
    for _ in range(MAX_TURNS):
        if working(plan[answer.attributes["position"][0]], "squat"):
            break
        answer = send(done("de-DE"), attributes=answer.attributes)
    asked = send(said("de-DE", reps=8, load=900, unit="kg"), attributes=answer.attributes)
    assert asked.speech == "Hast du 900 Kilo gesagt? Sag ja, oder sag es mir noch mal."
    assert asked.reprompt == "Sag ja, dann notiere ich es, oder sag mir Wiederholungen und Gewicht noch mal."
    again = send(german("no"), attributes=asked.attributes)
    assert again.speech.startswith("Okay, sag es mir noch mal: Wiederholungen und Gewicht.")
