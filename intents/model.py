"""The interaction models (one per locale) as Python data: intents, samples, slots and slot types.

Read from the ASK CLI skill package beside this module, so the deployed model and what local
tools, tests and the answers to CanFulfillIntentRequest (``intents.name_free``) see are the same
file; it is read on first use, never at import. Built-in phrases for Amazon's intents (which Alexa
understands without samples) come from ``builtin_phrases.toml`` (English) and
``builtin_phrases.<language>.toml`` for other languages.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

MODELS_DIR = "skill-package/interactionModels/custom"
DEFAULT_LOCALE = "en-US"
MODEL_PATH = f"{MODELS_DIR}/{DEFAULT_LOCALE}.json"
SKILL_MANIFEST_PATH = "skill-package/skill.json"
# Letters a spoken phrase may hold: English and German (umlauts and sharp s).
LETTERS = "a-z0-9\u00e4\u00f6\u00fc\u00df"


def normalize(text: str) -> str:
    """Lower case, plain apostrophes, no punctuation, single spaces: how spoken phrases compare."""
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    text = re.sub(f"[^{LETTERS}' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SlotValue:
    """One value of a custom slot type: its id, its spoken name and synonyms."""

    id: str
    name: str
    synonyms: tuple[str, ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class SlotType:
    """A custom slot type."""

    name: str
    values: tuple[SlotValue, ...]

    def value_for(self, heard: str) -> SlotValue | None:
        """The value whose name or a synonym is ``heard`` (compared normalized), or None."""
        heard = normalize(heard)
        for value in self.values:
            if heard in (normalize(phrase) for phrase in value.phrases):
                return value
        return None


@dataclass(frozen=True)
class Intent:
    """An intent: its samples (custom and built-in phrases) and its slots (name -> type)."""

    name: str
    samples: tuple[str, ...]
    slots: dict[str, str]


@dataclass(frozen=True)
class InteractionModel:
    """The language model: invocation name, intents and custom slot types."""

    invocation_name: str
    intents: dict[str, Intent]
    types: dict[str, SlotType]
    # How typed text of this language opens the skill and says numbers (the ``[local]`` table of
    # its built-in phrases; English when absent).
    local_words: dict[str, Any] = field(default_factory=dict)


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def model_path(locale: str = DEFAULT_LOCALE) -> str:
    """Where the interaction model of ``locale`` lives, relative to this package."""
    return f"{MODELS_DIR}/{locale}.json"


def raw_model(locale: str = DEFAULT_LOCALE) -> dict:
    """The interaction model JSON of ``locale`` exactly as the ASK CLI deploys it."""
    return json.loads(_read(model_path(locale)))


def raw_manifest() -> dict:
    """The skill manifest (skill.json)."""
    return json.loads(_read(SKILL_MANIFEST_PATH))


def builtin_phrases_path(locale: str) -> str:
    """The built-in intents' common phrases for ``locale``'s language."""
    language = locale.split("-")[0].lower()
    return "builtin_phrases.toml" if language == "en" else f"builtin_phrases.{language}.toml"


@lru_cache(maxsize=8)
def load_model(locale: str = DEFAULT_LOCALE) -> InteractionModel:
    """The model of ``locale``, with Amazon's common phrases added to the built-in intents (cached)."""
    language = raw_model(locale)["interactionModel"]["languageModel"]
    builtin = tomllib.loads(_read(builtin_phrases_path(locale)))
    intents = {}
    for raw in language["intents"]:
        samples = tuple(dict.fromkeys([*raw.get("samples", []), *builtin.get(raw["name"], [])]))
        slots = {slot["name"]: slot["type"] for slot in raw.get("slots", [])}
        intents[raw["name"]] = Intent(raw["name"], samples, slots)
    types = {
        raw["name"]: SlotType(
            raw["name"],
            tuple(
                SlotValue(str(value.get("id") or value["name"]["value"]), value["name"]["value"],
                          tuple(value["name"].get("synonyms", [])))
                for value in raw["values"]
            ),
        )
        for raw in language.get("types", [])
    }
    return InteractionModel(language["invocationName"], intents, types, builtin.get("local", {}))
