"""The interaction models (every locale), the manifest and the handlers agree with each other."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from intents.model import load_model, raw_manifest, raw_model
from intents.registry import HANDLED_INTENTS
from skill.content import language_of, load_content, locales
from skill.local.nlu import normalize

ROOT = Path(__file__).resolve().parents[2]
SLOT_REFERENCE = re.compile(r"\{(\w+)\}")
CUSTOM_INTENTS_MIN_SAMPLES = 12
REQUIRED_BUILTINS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent", "AMAZON.RepeatIntent", "AMAZON.PreviousIntent", "AMAZON.StartOverIntent",
    "AMAZON.NextIntent",
}


LOCALES = sorted(locales())
INVOCATION_NAMES = {"en": "leg day coach", "de": "beintag trainer"}


def language_model(locale: str = "en-US") -> dict:
    return raw_model(locale)["interactionModel"]["languageModel"]


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name(locale: str) -> None:
    name = language_model(locale)["invocationName"]
    assert name == INVOCATION_NAMES[language_of(locale)]
    # Certification: two words or more, lower case, letters and spaces only.
    assert len(name.split()) >= 2 and name == name.lower() and normalize(name) == name


@pytest.mark.parametrize("locale", LOCALES)
def test_every_model_intent_has_a_handler_and_every_handled_intent_is_in_the_model(locale: str) -> None:
    modelled = {intent["name"] for intent in language_model(locale)["intents"]}
    assert modelled == set(HANDLED_INTENTS)
    assert REQUIRED_BUILTINS <= modelled


@pytest.mark.parametrize("locale", LOCALES)
def test_custom_intents_have_many_varied_samples(locale: str) -> None:
    for intent in language_model(locale)["intents"]:
        if intent["name"].startswith("AMAZON."):
            continue
        samples = intent["samples"]
        assert len(samples) >= CUSTOM_INTENTS_MIN_SAMPLES, intent["name"]
        assert len(set(samples)) == len(samples), f"duplicate samples in {intent['name']}"


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_do_not_collide_across_intents(locale: str) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent in load_model(locale).intents.values():
        for sample in intent.samples:
            shape = SLOT_REFERENCE.sub("{}", normalize(sample.replace("{", " {").replace("}", "} ")))
            owners[re.sub(r"\s+", " ", shape).strip()].add(intent.name)
    collisions = {sample: names for sample, names in owners.items() if len(names) > 1}
    assert collisions == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_references_are_declared_and_slot_types_exist(locale: str) -> None:
    model = language_model(locale)
    custom_types = {slot_type["name"] for slot_type in model["types"]}
    for intent in model["intents"]:
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        used = {name for sample in intent.get("samples", []) for name in SLOT_REFERENCE.findall(sample)}
        assert used <= set(declared), f"{intent['name']} uses undeclared slots {used - set(declared)}"
        assert set(declared) <= used, f"{intent['name']} declares slots no sample uses"
        for slot_type in declared.values():
            assert slot_type.startswith("AMAZON.") or slot_type in custom_types


@pytest.mark.parametrize("locale", LOCALES)
def test_custom_slot_values_have_ids_synonyms_and_no_shared_phrases(locale: str) -> None:
    for slot_type in load_model(locale).types.values():
        seen: dict[str, str] = {}
        for value in slot_type.values:
            assert value.id
            assert value.synonyms, f"{slot_type.name}.{value.id} has no synonyms"
            for phrase in value.phrases:
                key = normalize(phrase)
                assert seen.setdefault(key, value.id) == value.id, f"{phrase!r} belongs to two {slot_type.name} values"


@pytest.mark.parametrize("locale", LOCALES)
def test_exercise_slot_type_matches_the_exercise_content(locale: str) -> None:
    content = load_content(language_of(locale))
    ids = {value.id for value in load_model(locale).types["EXERCISE"].values}
    assert ids == set(content.exercises)
    benefit_ids = {value.id for value in load_model(locale).types["BENEFIT"].values} - {"all"}
    assert benefit_ids == {benefit.id for benefit in content.benefits}


@pytest.mark.parametrize("locale", LOCALES)
def test_manifest_and_ask_cli_resources_point_at_the_skill_package(locale: str) -> None:
    manifest = raw_manifest()["manifest"]
    assert manifest["publishingInformation"]["locales"]["en-US"]["name"] == "Leg Day Coach"
    assert "custom" in manifest["apis"]
    resources = json.loads((ROOT / "ask-resources.json").read_text(encoding="utf-8"))
    package = ROOT / resources["profiles"]["default"]["skillMetadata"]["src"]
    assert (package / "skill.json").is_file()
    assert (package / "interactionModels" / "custom" / f"{locale}.json").is_file()


@pytest.mark.parametrize("locale", LOCALES)
def test_exercise_names_and_synonyms_match_between_content_and_model(locale: str) -> None:
    content = load_content(language_of(locale))
    for value in load_model(locale).types["EXERCISE"].values:
        exercise = content.exercise(value.id)
        assert (value.name, set(value.synonyms)) == (exercise.name, set(exercise.synonyms)), value.id
