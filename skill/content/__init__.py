"""Workout content as data: exercises, plans, benefits and everything the skill says.

The TOML files beside this module are the one readable place for content; this module only
loads them into typed objects, once per process, on first use.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

EQUIPMENT = ("bodyweight", "dumbbells", "barbell")
LEVELS = ("beginner", "intermediate", "advanced")
LENGTHS = (15, 30, 45)


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

    @property
    def is_hold(self) -> bool:
        return self.kind == "hold"


@dataclass(frozen=True)
class Benefit:
    """One reason to train legs, from the article."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Level:
    """Sets, reps, holds and rest for one training level, and its main exercises in order of priority."""

    name: str
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    main: tuple[str, ...]


@dataclass(frozen=True)
class Prompts:
    """Everything the skill says, as templates with variants; ``say`` picks one and fills it."""

    templates: dict[str, tuple[str, ...]]

    def say(self, key: str, rng: random.Random | None = None, **values: Any) -> str:
        variants = self.templates[key]
        template = variants[0] if rng is None or len(variants) == 1 else rng.choice(variants)
        return template.format(**values)

    def variants(self, key: str) -> tuple[str, ...]:
        return self.templates[key]


@dataclass(frozen=True)
class Content:
    """All workout content, loaded from the TOML files in this package."""

    exercises: dict[str, Exercise]
    benefits: tuple[Benefit, ...]
    benefits_closing: str
    levels: dict[str, Level]
    lengths: dict[int, dict[str, list[dict[str, Any]]]]
    defaults: dict[str, Any]
    timing: dict[str, int]
    warmup_cooldown_rest: int
    prompts: Prompts

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def benefit(self, benefit_id: str) -> Benefit:
        return next(benefit for benefit in self.benefits if benefit.id == benefit_id)


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def _exercise(exercise_id: str, raw: dict[str, Any]) -> Exercise:
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
    )


def _templates(raw: dict[str, Any], prefix: str = "") -> dict[str, tuple[str, ...]]:
    templates: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            templates.update(_templates(value, f"{prefix}{key}."))
        else:
            templates[f"{prefix}{key}"] = (value,) if isinstance(value, str) else tuple(value)
    return templates


@lru_cache(maxsize=1)
def load_content() -> Content:
    """Load and cross-check the content files (cached: content is read once per process)."""
    exercises_raw = _read("exercises.toml")["exercises"]
    benefits_raw = _read("benefits.toml")
    plans = _read("plans.toml")
    exercises = {exercise_id: _exercise(exercise_id, raw) for exercise_id, raw in exercises_raw.items()}
    levels = {
        name: Level(
            name=name,
            sets=raw["sets"],
            reps=raw["reps"],
            hold_seconds=raw["hold_seconds"],
            rest_seconds=raw["rest_seconds"],
            main=tuple(raw["main"]),
        )
        for name, raw in plans["levels"].items()
    }
    content = Content(
        exercises=exercises,
        benefits=tuple(Benefit(raw["id"], raw["title"], raw["text"]) for raw in benefits_raw["benefits"]),
        benefits_closing=benefits_raw["closing"],
        levels=levels,
        lengths={int(length): raw for length, raw in plans["lengths"].items()},
        defaults=dict(plans["defaults"]),
        timing=dict(plans["timing"]),
        warmup_cooldown_rest=plans["warmup_cooldown"]["rest_seconds"],
        prompts=Prompts(_templates(_read("prompts.toml"))),
    )
    _check(content)
    return content


def _check(content: Content) -> None:
    """Fail loudly at load time if a plan names an exercise that does not exist."""
    named = [exercise_id for level in content.levels.values() for exercise_id in level.main]
    for blocks in content.lengths.values():
        named.extend(entry["exercise"] for block in blocks.values() for entry in block)
    missing = sorted(set(named) - set(content.exercises))
    if missing:
        raise ValueError(f"plans.toml names unknown exercises: {', '.join(missing)}")
    for exercise in content.exercises.values():
        if set(exercise.scaling) != set(EQUIPMENT):
            raise ValueError(f"exercise {exercise.id} needs scaling for {', '.join(EQUIPMENT)}")
