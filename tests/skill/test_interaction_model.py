"""The interaction model, the manifest and the handlers agree with each other."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from intents.model import load_model, raw_manifest, raw_model
from intents.registry import HANDLED_INTENTS
from skill.content import load_content
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


def language_model() -> dict:
    return raw_model()["interactionModel"]["languageModel"]


def test_invocation_name() -> None:
    assert language_model()["invocationName"] == "leg day coach"


def test_every_model_intent_has_a_handler_and_every_handled_intent_is_in_the_model() -> None:
    modelled = {intent["name"] for intent in language_model()["intents"]}
    assert modelled == set(HANDLED_INTENTS)
    assert REQUIRED_BUILTINS <= modelled


def test_custom_intents_have_many_varied_samples() -> None:
    for intent in language_model()["intents"]:
        if intent["name"].startswith("AMAZON."):
            continue
        samples = intent["samples"]
        assert len(samples) >= CUSTOM_INTENTS_MIN_SAMPLES, intent["name"]
        assert len(set(samples)) == len(samples), f"duplicate samples in {intent['name']}"


def test_samples_do_not_collide_across_intents() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent in load_model().intents.values():
        for sample in intent.samples:
            shape = SLOT_REFERENCE.sub("{}", normalize(sample.replace("{", " {").replace("}", "} ")))
            owners[re.sub(r"\s+", " ", shape).strip()].add(intent.name)
    collisions = {sample: names for sample, names in owners.items() if len(names) > 1}
    assert collisions == {}


def test_slot_references_are_declared_and_slot_types_exist() -> None:
    model = language_model()
    custom_types = {slot_type["name"] for slot_type in model["types"]}
    for intent in model["intents"]:
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        used = {name for sample in intent.get("samples", []) for name in SLOT_REFERENCE.findall(sample)}
        assert used <= set(declared), f"{intent['name']} uses undeclared slots {used - set(declared)}"
        assert set(declared) <= used, f"{intent['name']} declares slots no sample uses"
        for slot_type in declared.values():
            assert slot_type.startswith("AMAZON.") or slot_type in custom_types


def test_custom_slot_values_have_ids_synonyms_and_no_shared_phrases() -> None:
    for slot_type in load_model().types.values():
        seen: dict[str, str] = {}
        for value in slot_type.values:
            assert value.id
            assert value.synonyms, f"{slot_type.name}.{value.id} has no synonyms"
            for phrase in value.phrases:
                key = normalize(phrase)
                assert seen.setdefault(key, value.id) == value.id, f"{phrase!r} belongs to two {slot_type.name} values"


def test_exercise_slot_type_matches_the_exercise_content() -> None:
    content = load_content()
    ids = {value.id for value in load_model().types["EXERCISE"].values}
    assert ids == set(content.exercises)
    benefit_ids = {value.id for value in load_model().types["BENEFIT"].values} - {"all"}
    assert benefit_ids == {benefit.id for benefit in content.benefits}


def test_manifest_and_ask_cli_resources_point_at_the_skill_package() -> None:
    manifest = raw_manifest()["manifest"]
    assert manifest["publishingInformation"]["locales"]["en-US"]["name"] == "Leg Day Coach"
    assert "custom" in manifest["apis"]
    resources = json.loads((ROOT / "ask-resources.json").read_text(encoding="utf-8"))
    package = ROOT / resources["profiles"]["default"]["skillMetadata"]["src"]
    assert (package / "skill.json").is_file()
    assert (package / "interactionModels" / "custom" / "en-US.json").is_file()


def test_exercise_names_and_synonyms_match_between_content_and_model() -> None:
    content = load_content()
    for value in load_model().types["EXERCISE"].values:
        exercise = content.exercise(value.id)
        assert (value.name, set(value.synonyms)) == (exercise.name, set(exercise.synonyms)), value.id
