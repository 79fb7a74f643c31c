"""The console's locale switch: the suggestions, the typed words and the replies follow the chosen locale."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.console.test_browser import browser, page, running, server, turn  # noqa: F401 (fixtures)


def test_the_model_endpoint_serves_the_chosen_locales_model(console: FlaskClient) -> None:
    german = console.get("/console/api/model?locale=de-DE").get_json()
    assert german["invocation"] == "beintag trainer"
    assert "ja" in german["quick"] and "fertig" in german["quick"]
    assert german["groups"][0]["utterances"][0] == "öffne beintag trainer"
    assert console.get("/console/api/model").get_json()["invocation"] == "leg day coach"
    refused = console.get("/console/api/model?locale=fr-FR")
    assert refused.status_code == 400
    assert "locale must be one of de-DE, en-AU" in refused.get_json()["error"]


def test_a_turn_in_german_resolves_german_words_and_answers_in_german(console: FlaskClient) -> None:
    answer = console.post("/console/api/turn", json={"caller": None, "action": "say", "locale": "de-DE",
                                                     "utterance": "öffne beintag trainer"}).get_json()
    assert answer["turn"]["request"]["request"]["locale"] == "de-DE"
    assert "Wollen wir anfangen?" in answer["view"]["ssml"]
    started = console.post("/console/api/turn", json={"caller": answer["caller"], "action": "say", "locale": "de-DE",
                                                      "utterance": "ja"}).get_json()
    assert started["turn"]["heard"]["intent"] == "AMAZON.YesIntent"
    assert "Beintag, Stufe" in started["view"]["ssml"]
    refused = console.post("/console/api/turn", json={"caller": None, "action": "launch", "locale": "xx"})
    assert refused.status_code == 400


@pytest.mark.slow
def test_switching_the_locale_in_the_page_speaks_german(page: Any) -> None:  # noqa: F811
    page.uncheck("#autoplay")
    page.select_option("#locale", "de-DE")
    page.wait_for_selector(".suggestion:text-is('öffne beintag trainer')")
    assert page.get_attribute("#utterance", "placeholder") == "Say something, e.g. open beintag trainer"
    page.locator(".suggestion:text-is('öffne beintag trainer')").first.click()
    card = turn(page, 1)
    assert "Wollen wir anfangen?" in card.inner_text()
    page.locator("#quick .suggestion:text-is('ja')").click()
    assert "Stufe" in turn(page, 2).inner_text()
    page.select_option("#locale", "en-US")
    page.wait_for_selector(".suggestion:text-is('open leg day coach')")
    page.fill("#utterance", "how many sets left")
    page.press("#utterance", "Enter")
    assert "You're on" in turn(page, 3).inner_text()


def test_a_german_session_saved_as_a_transcript_replays_in_german(console: FlaskClient) -> None:
    caller, turns = None, []
    for utterance in ("öffne beintag trainer", "ja", "fertig", "fertig", "wie viele sätze noch", "stopp"):
        answer = console.post("/console/api/turn", json={"caller": caller, "action": "say", "locale": "de-DE",
                                                         "utterance": utterance}).get_json()
        caller = answer["caller"]
        turns.append(answer["turn"])
    transcript = console.post("/console/api/transcript", json={"turns": turns}).get_json()

    report = console.post("/console/api/replay", json={"transcript": transcript}).get_json()

    assert report["summary"] == "replayed 6 turns: 6 matched, 0 differed", report
    assert [turn["heard"]["intent"] for turn in transcript["turns"]][1:] == [
        "AMAZON.YesIntent", "SetDoneIntent", "SetDoneIntent", "ProgressIntent", "AMAZON.StopIntent"]
