"""Workout content as data: exercises, plans, benefits and everything the skill says.

The TOML files beside this module are the one readable place for content; this module only
loads them into typed objects, once per process, each file on its first use. English is the base
language; another language is a folder of the same name (``de/``) holding its words: prompts,
exercise names and cues, benefits. Plans, timings and prescriptions are shared by every language.
Which language a request is in comes from its locale (``locales.toml``).
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

ENGLISH = "en"
DEFAULT_LOCALE = "en-US"
EQUIPMENT = ("bodyweight", "dumbbells", "barbell")
LEVELS = ("beginner", "intermediate", "advanced")
LENGTHS = (15, 30, 45)
PATTERNS = ("squat", "hinge", "single_leg", "accessory", "calves")
# Every main block trains these, in this order.
REQUIRED_PATTERNS = ("squat", "hinge", "single_leg")


@dataclass(frozen=True)
class Prescription:
    """One exercise at one level: sets, a rep range (per leg for per-side work) or a hold, and the rest."""

    sets: int
    reps_low: int
    reps_high: int
    hold_seconds: int
    rest_seconds: int


@dataclass(frozen=True)
class Exercise:
    """One exercise and how to coach it."""

    id: str
    name: str
    role: str
    kind: str
    per_side: bool
    muscles: tuple[str, ...]
    cues: tuple[str, ...]
    how_to: str
    scaling: dict[str, str]
    synonyms: tuple[str, ...]
    pattern: str = ""
    equipment: tuple[str, ...] = EQUIPMENT
    to_failure: bool = False
    levels: dict[str, Prescription] | None = None

    @property
    def is_hold(self) -> bool:
        return self.kind == "hold"

    def prescription(self, level: str) -> Prescription:
        """Sets, reps and rest for ``level`` (main exercises only)."""
        assert self.levels is not None, f"{self.id} has no prescription"
        return self.levels[level]


@dataclass(frozen=True)
class Slot:
    """One place in a level's main block: a movement pattern, and its exercise for each equipment."""

    pattern: str
    exercises: dict[str, str]
    optional: bool
    ramp_up: tuple[str, ...]


@dataclass(frozen=True)
class Benefit:
    """One reason to train legs, from the article."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Level:
    """One training level: its main block, slot by slot (required first, then optional)."""

    name: str
    main: tuple[Slot, ...]


# Prompts are compared and cached by identity: each language's are loaded once per process.
@dataclass(frozen=True, eq=False)
class Prompts:
    """Everything the skill says, as templates with variants; ``say`` picks one and fills it."""

    templates: dict[str, tuple[str, ...]]

    def say(self, key: str, rng: random.Random | None = None, **values: Any) -> str:
        return self.fill(key, values, rng)

    def fill(self, key: str, values: Mapping[str, Any], rng: random.Random | None = None) -> str:
        """``say`` with the values as one mapping: the coach's words pass them on without unpacking
        them at each step (every unpacking builds the dict again)."""
        variants = self.templates[key]
        template = variants[0] if rng is None or len(variants) == 1 else rng.choice(variants)
        return template.format_map(values)

    def variants(self, key: str) -> tuple[str, ...]:
        return self.templates[key]

    def plural(self, count: int, word: str) -> str:
        """``word`` (an English singular naming a ``plural.<word>`` entry) as it goes with ``count``."""
        return self.say(f"plural.{word}.{'one' if count == 1 else 'other'}")

    def number(self, value: float) -> str:
        """A number as written for this language's speech: "62.5", "62,5"; whole numbers without a point."""
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").replace(".", self.say("grammar.decimal_point"))


@dataclass(frozen=True)
class Plans:
    """The shared plans (``plans.toml``): each level's main block, each length's blocks, and the timings."""

    levels: dict[str, Level]
    lengths: dict[int, dict[str, list[dict[str, Any]]]]
    defaults: dict[str, Any]
    timing: dict[str, int]
    ramp_up: dict[str, int]
    nearest_equipment: dict[str, str]


@dataclass(frozen=True)
class Content:
    """All workout content in one language, from the TOML files in this package.

    Each file is parsed on its first use and kept (a cold start's first launch needs the prompts,
    not the plans or the benefits); ``cached_property`` computes each part once, under its lock.
    """

    language: str = ENGLISH

    @cached_property
    def exercises(self) -> dict[str, Exercise]:
        exercises_raw = _read("exercises.toml")["exercises"]
        if self.language != ENGLISH:
            words = translated_words(self.language, "exercises.toml").get("exercises", {})
            exercises_raw = {exercise_id: {**raw, **{key: value for key, value in words.get(exercise_id, {}).items()
                                                     if key in EXERCISE_WORDS}}
                             for exercise_id, raw in exercises_raw.items()}
        return {exercise_id: _exercise(exercise_id, raw) for exercise_id, raw in exercises_raw.items()}

    @cached_property
    def _benefits(self) -> dict[str, Any]:
        benefits_raw = _read("benefits.toml")
        if self.language != ENGLISH:
            benefits_raw = _translated_benefits(benefits_raw, translated_words(self.language, "benefits.toml"))
        return benefits_raw

    @cached_property
    def benefits(self) -> tuple[Benefit, ...]:
        return tuple(Benefit(raw["id"], raw["title"], raw["text"]) for raw in self._benefits["benefits"])

    @property
    def benefits_closing(self) -> str:
        return str(self._benefits["closing"])

    @cached_property
    def plans(self) -> Plans:
        """The plans, checked against the exercises when first read."""
        raw = _read("plans.toml")
        plans = Plans(
            levels={name: Level(name=name, main=tuple(_slot(slot) for slot in level["main"]))
                    for name, level in raw["levels"].items()},
            lengths={int(length): blocks for length, blocks in raw["lengths"].items()},
            defaults=dict(raw["defaults"]),
            timing=dict(raw["timing"]),
            ramp_up=dict(raw["ramp_up"]),
            nearest_equipment=dict(raw["nearest_equipment"]),
        )
        _check(self.exercises, plans)
        return plans

    @property
    def levels(self) -> dict[str, Level]:
        return self.plans.levels

    @property
    def lengths(self) -> dict[int, dict[str, list[dict[str, Any]]]]:
        return self.plans.lengths

    @property
    def defaults(self) -> dict[str, Any]:
        return self.plans.defaults

    @property
    def timing(self) -> dict[str, int]:
        return self.plans.timing

    @property
    def ramp_up(self) -> dict[str, int]:
        return self.plans.ramp_up

    @property
    def nearest_equipment(self) -> dict[str, str]:
        return self.plans.nearest_equipment

    @cached_property
    def prompts(self) -> Prompts:
        prompts = _templates(_read("prompts.toml"))
        if self.language != ENGLISH:
            prompts = {**prompts, **prompt_templates(self.language)}
        return Prompts(prompts)

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def benefit(self, benefit_id: str) -> Benefit:
        return next(benefit for benefit in self.benefits if benefit.id == benefit_id)

    def rest_lengths(self) -> list[int]:
        """Every rest a plan can hold or a person can ask for, shortest first."""
        timing = self.timing
        lengths = {self.ramp_up["rest_seconds"]}
        lengths.update(range(timing["min_rest_seconds"], timing["max_rest_seconds"] + 1, timing["rest_step_seconds"]))
        for exercise in self.exercises.values():
            lengths.update(prescription.rest_seconds for prescription in (exercise.levels or {}).values())
        return sorted(lengths)


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Locale:
    """One Alexa locale: the language its words come from and how it is spoken."""

    code: str
    language: str
    unit: str
    gtts_lang: str
    gtts_tld: str


@lru_cache(maxsize=1)
def locales() -> dict[str, Locale]:
    """Every locale the skill is published in (``locales.toml``), by code ("en-GB")."""
    return {code: Locale(code=code, **raw) for code, raw in _read("locales.toml")["locales"].items()}


def locale_of(code: str | None) -> Locale:
    """The locale ``code`` names; an unknown one falls back to its language's first locale, else en-US."""
    known = locales()
    if code in known:
        return known[code]
    language = (code or "").split("-")[0].lower()
    return next((locale for locale in known.values() if locale.language == language), known[DEFAULT_LOCALE])


def language_of(code: str | None) -> str:
    """The content language for a request's locale: "de-DE" -> "de", "en-GB" -> "en", unknown -> "en"."""
    return locale_of(code).language


def languages() -> tuple[str, ...]:
    """Every content language, English first."""
    return tuple(dict.fromkeys([ENGLISH, *(locale.language for locale in locales().values())]))


def default_unit(code: str | None) -> str:
    """The unit loads are spoken in by default for a locale: "pounds" for en-US, "kilograms" elsewhere."""
    return locale_of(code).unit


def translated_words(language: str, name: str) -> dict[str, Any]:
    """A language's own words for one content file, as written ({} for English, whose words are the
    base files; {} for a file the language does not have yet)."""
    path = f"{language}/{name}"
    if language == ENGLISH or not resources.files(__package__).joinpath(path).is_file():
        return {}
    return _read(path)


def prompt_templates(language: str = ENGLISH) -> dict[str, tuple[str, ...]]:
    """The prompts a language's own files hold, by dotted key (English: the base prompts)."""
    return _templates(_read("prompts.toml") if language == ENGLISH else translated_words(language, "prompts.toml"))


def _prescription(raw: dict[str, Any]) -> Prescription:
    low, high = raw.get("reps", (0, 0))
    return Prescription(sets=int(raw["sets"]), reps_low=int(low), reps_high=int(high),
                        hold_seconds=int(raw.get("hold", 0)), rest_seconds=int(raw["rest"]))


def _exercise(exercise_id: str, raw: dict[str, Any]) -> Exercise:
    levels = raw.get("levels")
    return Exercise(
        id=exercise_id,
        name=raw["name"],
        role=raw["role"],
        kind=raw["kind"],
        per_side=bool(raw.get("per_side", False)),
        muscles=tuple(raw["muscles"]),
        cues=tuple(raw["cues"]),
        how_to=raw["how_to"],
        scaling=dict(raw["scaling"]),
        synonyms=tuple(raw.get("synonyms", ())),
        pattern=raw.get("pattern", ""),
        equipment=tuple(raw.get("equipment", EQUIPMENT)),
        to_failure=bool(raw.get("to_failure", False)),
        levels={level: _prescription(entry) for level, entry in levels.items()} if levels else None,
    )


def _slot(raw: dict[str, Any]) -> Slot:
    return Slot(pattern=raw["pattern"], exercises={equipment: raw[equipment] for equipment in EQUIPMENT},
                optional=bool(raw.get("optional", False)), ramp_up=tuple(raw.get("ramp_up", ())))


def _templates(raw: dict[str, Any], prefix: str = "") -> dict[str, tuple[str, ...]]:
    templates: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            templates.update(_templates(value, f"{prefix}{key}."))
        else:
            templates[f"{prefix}{key}"] = (value,) if isinstance(value, str) else tuple(value)
    return templates


# The words of an exercise a language translates; everything else (plans, prescriptions) is shared.
EXERCISE_WORDS = ("name", "muscles", "cues", "how_to", "scaling", "synonyms")


@lru_cache(maxsize=8)
def load_content(language: str = ENGLISH) -> Content:
    """The content in ``language`` (cached: each file is read once per process, on first use).

    A prompt, exercise or benefit a language does not have yet is said in English, so a
    half-translated language still answers; the locale tests list what it lacks.
    """
    return Content(language=language)


def _translated_benefits(base: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    by_id = {raw["id"]: raw for raw in words.get("benefits", [])}
    return {"closing": words.get("closing", base["closing"]),
            "benefits": [{**raw, **by_id.get(raw["id"], {})} for raw in base["benefits"]]}


def _check(exercises: dict[str, Exercise], plans: Plans) -> None:
    """Fail loudly when the plans are read if one names an exercise that does not exist, or one that does
    not fit the slot (its pattern, the equipment its cues are written for, a prescription per level)."""
    named = [exercise_id for level in plans.levels.values() for slot in level.main
             for exercise_id in slot.exercises.values()]
    for blocks in plans.lengths.values():
        named.extend(entry["exercise"] for block in blocks.values() for entry in block)
    missing = sorted(set(named) - set(exercises))
    if missing:
        raise ValueError(f"plans.toml names unknown exercises: {', '.join(missing)}")
    for exercise in exercises.values():
        if set(exercise.scaling) != set(EQUIPMENT):
            raise ValueError(f"exercise {exercise.id} needs scaling for {', '.join(EQUIPMENT)}")
        if exercise.role == "main" and (exercise.pattern not in PATTERNS or set(exercise.levels or {}) != set(LEVELS)):
            raise ValueError(f"main exercise {exercise.id} needs a pattern and a prescription for every level")
    for level in plans.levels.values():
        required = tuple(slot.pattern for slot in level.main if not slot.optional)
        if required != REQUIRED_PATTERNS:
            raise ValueError(f"level {level.name} must require {', '.join(REQUIRED_PATTERNS)}, in order")
        for slot in level.main:
            for equipment, exercise_id in slot.exercises.items():
                exercise = exercises[exercise_id]
                wrong_pattern = not slot.optional and exercise.pattern != slot.pattern
                if wrong_pattern or exercise.role != "main" or equipment not in exercise.equipment:
                    raise ValueError(f"{exercise_id} does not fit the {slot.pattern} slot with {equipment}")
