"""A new language is data only: every language has all the words, and every locale's model agrees.

When a prompt, exercise, cue or benefit is added in English, these tests name exactly what each
other language lacks; when an intent or slot is added to the en-US model, they name the locales
whose models lack it.
"""

from __future__ import annotations

import json
import re
import string
from importlib import resources

import pytest

from intents.locale_models import generated, locale_model
from intents.model import model_path, raw_model
from skill.content import (
    ENGLISH,
    EXERCISE_WORDS,
    EQUIPMENT,
    default_unit,
    language_of,
    languages,
    load_content,
    locales,
    prompt_templates,
    translated_words,
)
from skill.conversation.countdown import mark_text, spoken_duration
from skill.conversation.phrasing import plural, spoken_list

TRANSLATIONS = [language for language in languages() if language != ENGLISH]
LOCALES = sorted(locales())
SLOT_REFERENCE = re.compile(r"\{\w+\}")
# What Alexa accepts in a sample utterance besides slot references: letters, apostrophes, periods, spaces.
SAMPLE_TEXT = re.compile(r"[a-zA-ZäöüÄÖÜß'. ]*")
# Words spelled the same in English and German: a month name is no English leftover.
SAME_WORD = {"de": {"history.month.4", "history.month.8", "history.month.9", "history.month.11"}}


def placeholders(variants: tuple[str, ...]) -> set[str]:
    return {field for variant in variants for _, field, _, _ in string.Formatter().parse(variant) if field}


def shape(locale: str) -> dict[str, dict[str, str]]:
    """A locale model's intents with their slots (name -> type)."""
    language = raw_model(locale)["interactionModel"]["languageModel"]
    return {intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            for intent in language["intents"]}


def test_the_content_languages_are_english_and_german() -> None:
    assert languages() == ("en", "de")


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_prompt_is_translated_with_the_same_placeholders(language: str) -> None:
    english = prompt_templates(ENGLISH)
    own = prompt_templates(language)
    missing = sorted(set(english) - set(own))
    unknown = sorted(set(own) - set(english))
    assert not missing, f"{language} lacks the prompts: {', '.join(missing)}"
    assert not unknown, f"{language} has prompts English does not: {', '.join(unknown)}"
    differing = [f"{key} ({sorted(placeholders(own[key]))} vs {sorted(placeholders(english[key]))})"
                 for key in sorted(english) if placeholders(own[key]) != placeholders(english[key])]
    assert not differing, f"{language} prompts whose placeholders differ from English: {'; '.join(differing)}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_exercise_and_cue_is_translated(language: str) -> None:
    english = load_content(ENGLISH).exercises
    own = translated_words(language, "exercises.toml").get("exercises", {})
    gaps = []
    for exercise_id, exercise in english.items():
        words = own.get(exercise_id, {})
        gaps.extend(f"{exercise_id}.{field}" for field in EXERCISE_WORDS if field not in words)
        if "cues" in words and len(words["cues"]) != len(exercise.cues):
            gaps.append(f"{exercise_id}.cues ({len(words['cues'])} of {len(exercise.cues)})")
        if "scaling" in words and set(words["scaling"]) != set(EQUIPMENT):
            gaps.append(f"{exercise_id}.scaling ({', '.join(sorted(set(EQUIPMENT) - set(words['scaling'])))})")
    unknown = sorted(set(own) - set(english))
    assert not gaps, f"{language} lacks the exercise words: {', '.join(gaps)}"
    assert not unknown, f"{language} translates exercises that do not exist: {', '.join(unknown)}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_benefit_is_translated(language: str) -> None:
    own = translated_words(language, "benefits.toml")
    translated = {raw["id"] for raw in own.get("benefits", []) if raw.get("title") and raw.get("text")}
    missing = [benefit.id for benefit in load_content(ENGLISH).benefits if benefit.id not in translated]
    if not own.get("closing"):
        missing.append("closing")
    assert not missing, f"{language} lacks the benefits: {', '.join(missing)}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translated_language_speaks_its_own_words(language: str) -> None:
    english, own = load_content(ENGLISH), load_content(language)
    # Prompts made of placeholders only ("{reps}{side}") are the same in every language.
    same = [key for key, variants in own.prompts.templates.items() if variants == english.prompts.templates[key]
            and re.search("[A-Za-z]", SLOT_REFERENCE.sub("", " ".join(variants)))
            and key not in SAME_WORD.get(language, set())]
    assert same == [], f"{language} prompts still in English: {same}"
    assert all(own.exercise(key).cues != exercise.cues for key, exercise in english.exercises.items())
    assert own.benefits[0].text != english.benefits[0].text


def test_a_missing_prompt_is_said_in_english_rather_than_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Between an English prompt's merge and its translation, the other language still answers."""
    import skill.content as content

    own = content.prompt_templates("de")
    del own["welcome.ask_start"]
    monkeypatch.setattr(content, "prompt_templates",
                        lambda language=ENGLISH: own if language == "de" else prompt_templates(language))
    content.load_content.cache_clear()
    try:
        german = content.load_content("de")
        assert german.prompts.say("welcome.ask_start") == load_content(ENGLISH).prompts.say("welcome.ask_start")
        assert german.prompts.say("welcome.reprompt_start").startswith("Möchtest du")
    finally:
        content.load_content.cache_clear()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_model_has_the_intents_and_slots_of_the_english_source(locale: str) -> None:
    source, model = shape("en-US"), shape(locale)
    missing = sorted(set(source) - set(model))
    unknown = sorted(set(model) - set(source))
    assert not missing, f"{locale} lacks the intents: {', '.join(missing)}"
    assert not unknown, f"{locale} has intents en-US does not: {', '.join(unknown)}"
    differing = [f"{name} ({model[name]} vs {slots})" for name, slots in source.items() if model[name] != slots]
    assert not differing, f"{locale} intents whose slots differ from en-US: {'; '.join(differing)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_model_has_the_slot_values_of_the_english_source(locale: str) -> None:
    def ids(name: str) -> dict[str, set[str]]:
        types = raw_model(name)["interactionModel"]["languageModel"]["types"]
        return {slot_type["name"]: {value["id"] for value in slot_type["values"]} for slot_type in types}

    assert ids(locale) == ids("en-US")


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_hold_only_what_alexa_accepts(locale: str) -> None:
    language = raw_model(locale)["interactionModel"]["languageModel"]
    wrong = [sample for intent in language["intents"] for sample in intent.get("samples", [])
             if not SAMPLE_TEXT.fullmatch(SLOT_REFERENCE.sub("", sample))]
    assert not wrong, f"{locale} samples with digits or punctuation: {wrong}"


@pytest.mark.parametrize(("locale", "text"), sorted(generated().items()))
def test_the_generated_english_models_are_up_to_date(locale: str, text: str) -> None:
    committed = resources.files("intents").joinpath(model_path(locale)).read_text(encoding="utf-8")
    assert committed == text, f"{locale}.json is out of date: run make models"


def test_regional_words_replace_words_in_samples_and_join_slot_values() -> None:
    source = {"interactionModel": {"languageModel": {"invocationName": "leg day coach", "intents": [
        {"name": "StartWorkoutIntent", "samples": ["start my program", "start my programme", "train in sneakers"]}],
        "types": [{"name": "BENEFIT", "values": [{"id": "balance", "name": {"value": "aging", "synonyms": ["falls"]}}]}],
    }}}
    changes = {"words": {"program": "programme", "sneakers": "trainers", "aging": "ageing"},
               "synonyms": {"BENEFIT": {"balance": ["getting on"]}}}
    language = locale_model(source, changes)["interactionModel"]["languageModel"]
    assert language["intents"][0]["samples"] == ["start my programme", "train in trainers"]
    assert language["types"][0]["values"][0]["name"] == {"value": "aging", "synonyms": ["falls", "ageing", "getting on"]}
    assert source["interactionModel"]["languageModel"]["intents"][0]["samples"][0] == "start my program"


def test_the_generated_british_model_knows_british_words() -> None:
    british = json.dumps(raw_model("en-GB"))
    assert "ageing" in british and "no kit" in british
    assert "ageing" not in json.dumps(raw_model("en-US"))


def test_every_locale_is_published_in_the_manifest() -> None:
    from intents.model import raw_manifest

    published = raw_manifest()["manifest"]["publishingInformation"]["locales"]
    assert set(published) == set(LOCALES)
    for locale, listing in published.items():
        assert {"name", "summary", "description", "examplePhrases", "keywords"} <= set(listing), locale
    german = published["de-DE"]
    assert german["name"] == "Beintag Trainer"
    assert all(phrase.startswith("Alexa, ") for phrase in german["examplePhrases"])
    assert "öffne Beintag Trainer" in german["examplePhrases"][0]


@pytest.mark.parametrize(("locale", "language", "unit"), [
    ("en-US", "en", "pounds"), ("en-GB", "en", "kilograms"), ("en-CA", "en", "kilograms"),
    ("en-AU", "en", "kilograms"), ("en-IN", "en", "kilograms"), ("de-DE", "de", "kilograms"),
    ("de-AT", "de", "kilograms"), ("fr-FR", "en", "pounds"), (None, "en", "pounds"),
])
def test_the_locale_picks_the_language_and_the_default_unit(locale: str | None, language: str, unit: str) -> None:
    assert language_of(locale) == language
    assert default_unit(locale) == unit


@pytest.mark.parametrize(("seconds", "said"), [
    (45, "45 Sekunden"), (60, "eine Minute"), (75, "eine Minute und 15 Sekunden"), (90, "eineinhalb Minuten"),
    (120, "2 Minuten"), (150, "2 Minuten und 30 Sekunden"), (165, "2 Minuten und 45 Sekunden"),
])
def test_german_durations_are_said_the_german_way(seconds: int, said: str) -> None:
    assert spoken_duration(load_content("de").prompts, seconds) == said


def test_german_numbers_plurals_lists_and_countdowns_come_from_the_content() -> None:
    prompts = load_content("de").prompts
    assert prompts.number(62.5) == "62,5" and prompts.number(60.0) == "60"
    assert load_content().prompts.number(62.5) == "62.5"
    assert [plural(count, "set", prompts) for count in (1, 3)] == ["Satz", "Sätze"]
    assert [plural(count, "rep", prompts) for count in (1, 8)] == ["Wiederholung", "Wiederholungen"]
    assert spoken_list(["Waden", "Gesäß", "Rumpf"], prompts) == "Waden, Gesäß und Rumpf"
    assert [mark_text(mark, prompts) for mark in (150, 60, 30, 3)] == [
        "Noch 2 Minuten und 30 Sekunden", "Noch eine Minute", "30 Sekunden", "3"]


def test_the_apologies_for_a_failed_turn_are_in_the_requests_language() -> None:
    from skill.conversation.coach import Coach

    coach = Coach(load_content())
    assert coach.error("de").speech.ssml().startswith("<speak>Entschuldige, bei mir ist etwas schiefgegangen")
    assert coach.store_unavailable("de").reprompt.ssml() == "<speak>Bitte versuch es noch mal, oder sag Hilfe.</speak>"
    assert coach.changed_elsewhere().speech.ssml().startswith("<speak>Your workout just changed on another device")
