"""The local tools in every locale: typed German resolves against the German model, and the CLI's --locale."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from skill.cli import main
from skill.local.nlu import default_matcher, words_to_number
from tests.conftest import REQUESTS_DIR
from tests.skill.test_cli import runner  # noqa: F401 (fixture: a data folder of the test's own)


@pytest.mark.parametrize(("utterance", "intent", "slots"), [
    ("starte einen fünfzehn minuten beintag für profis mit langhantel", "StartWorkoutIntent",
     {"length": "15", "level": "advanced", "equipment": "barbell"}),
    ("starte einen beintag für anfänger ohne geräte", "StartWorkoutIntent", {"level": "beginner"}),
    ("fertig", "SetDoneIntent", {}),
    ("überspring die übung", "SkipExerciseIntent", {}),
    ("wie mache ich einen Ausfallschritt", "ExerciseInfoIntent", {"exercise": "lunge"}),
    ("wie geht rumänisches Kreuzheben", "ExerciseInfoIntent", {"exercise": "romanian_deadlift"}),
    ("warum soll ich beine trainieren", "WhyTrainLegsIntent", {}),
    ("wie viele sätze noch", "ProgressIntent", {}),
    ("neunzig sekunden pause", "SetRestIntent", {"seconds": "90"}),
    ("pause fünfundvierzig sekunden", "SetRestIntent", {"seconds": "45"}),
    ("kürzere pausen", "SetRestIntent", {"change": "shorter"}),
    ("pausen timer benutzen", "RestTimerIntent", {}),
    ("hilfe", "AMAZON.HelpIntent", {}),
    ("stopp", "AMAZON.StopIntent", {}),
    ("ja", "AMAZON.YesIntent", {}),
    ("nein danke", "AMAZON.NoIntent", {}),
    ("wiederholen", "AMAZON.RepeatIntent", {}),
    ("lösch meine daten", "DeleteMyDataIntent", {}),
    ("bestell mir eine pizza", "AMAZON.FallbackIntent", {}),
    ("was habe ich letztes mal gemacht", "LastWorkoutIntent", {}),
    ("was habe ich letztes mal beim kreuzheben gemacht", "LastExerciseIntent", {"exercise": "deadlift"}),
    ("was ist meine bestleistung bei kniebeugen", "BestLiftIntent", {"exercise": "squat"}),
    ("wie oft habe ich dieses jahr trainiert", "LegDayCountIntent", {"period": "year"}),
    ("wie viele wochen in folge habe ich trainiert", "StreakIntent", {}),
    ("zeig mir meinen fortschritt", "ShowProgressIntent", {}),
    ("erinnere mich montags und donnerstags um sechs ans beintraining", "SetRemindersIntent",
     {"day": "MO", "secondday": "TH", "hour": "6"}),
    ("erinnere mich werktags um sieben uhr dreißig morgens", "SetRemindersIntent",
     {"day": "WEEKDAYS", "hour": "7", "minute": "30", "period": "am"}),
    ("erinnere mich am wochenende um zehn ans beintraining", "SetRemindersIntent", {"day": "WEEKEND", "hour": "10"}),
    ("wann erinnerst du mich", "ListRemindersIntent", {}),
    ("lösch meine erinnerungen", "CancelRemindersIntent", {}),
    ("fertig zehn mit sechzig kilo", "LogSetIntent", {"reps": "10", "load": "60", "unit": "kg"}),
    ("acht mal zweiundsechzig komma fünf kilo", "LogSetIntent",
     {"reps": "8", "load": "62", "fraction": "0.5", "unit": "kg"}),
    ("das war zu schwer", "LogSetIntent", {"effort": "too_heavy"}),
    ("pfund benutzen", "SetUnitIntent", {"unit": "lb"}),
])
def test_german_utterances_resolve_against_the_german_model(utterance: str, intent: str, slots: dict) -> None:
    meaning = default_matcher("de-DE").understand(utterance)
    assert meaning.intent == intent
    assert {name: slot.resolved_id or slot.value for name, slot in meaning.slots.items()} == slots


def test_german_invocations_open_and_ask_the_skill() -> None:
    matcher = default_matcher("de-DE")
    assert matcher.understand("Alexa, öffne Beintag Trainer").launch
    one_shot = matcher.understand("Alexa, sag Beintag Trainer: fertig")
    assert (one_shot.intent, one_shot.one_shot) == ("SetDoneIntent", True)
    assert default_matcher("en-US").understand("öffne beintag trainer").intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(("words", "number"), [
    ("neunzig", 90), ("fünfundvierzig", 45), ("einhundertzwanzig", 120), ("zwölf", 12), ("zwei", 2), ("hallo", None),
])
def test_german_number_words(words: str, number: int | None) -> None:
    assert words_to_number(words, default_matcher("de-DE").words) == number


def test_english_number_words_are_unchanged() -> None:
    assert [words_to_number(words) for words in ("ninety", "one hundred and twenty", "a hundred", "seventeen",
                                                 "hello")] == [90, 120, 100, 17, None]


def test_say_in_german_keeps_the_locale_for_later_calls(runner: CliRunner) -> None:
    opened = runner.invoke(main, ["say", "--locale", "de-DE", "öffne beintag trainer"])
    assert opened.exit_code == 0, opened.output
    assert "[LaunchRequest]" in opened.output and "Wollen wir anfangen?" in opened.output
    started = runner.invoke(main, ["say", "ja", "--json"])
    exchange = json.loads(started.output)
    assert exchange["request"]["request"]["locale"] == "de-DE"
    assert exchange["request"]["request"]["intent"]["name"] == "AMAZON.YesIntent"
    assert "Beintag, Stufe" in exchange["response"]["response"]["outputSpeech"]["ssml"]
    english = runner.invoke(main, ["say", "--locale", "en-GB", "how many sets are left"])
    assert "[ProgressIntent]" in english.output and "You're on" in english.output


def test_say_refuses_a_locale_the_skill_is_not_published_in(runner: CliRunner) -> None:
    result = runner.invoke(main, ["say", "--locale", "fr-FR", "bonjour"])
    assert result.exit_code == 2
    assert "'fr-FR' is not one of de-DE, en-AU, en-CA, en-GB, en-IN, en-US" in result.output


def test_request_with_a_locale_sets_it_on_the_envelope_not_in_the_file(runner: CliRunner) -> None:
    file = REQUESTS_DIR / "help.json"
    before = file.read_text(encoding="utf-8")
    result = runner.invoke(main, ["request", str(file), "--locale", "de-DE"])
    assert result.exit_code == 0, result.output
    assert "Was möchtest du machen?" in json.loads(result.output)["response"]["outputSpeech"]["ssml"]
    assert file.read_text(encoding="utf-8") == before
