"""Every fixed thing the skill says, split into the sentences the renderer caches.

"Fixed" means known from the content files alone: prompts without placeholders (every variant),
exercise intros for every plan, form cues, how-to and scaling lines, countdown marks and rest
announcements, help, and the benefits of leg day. Sentences that depend on a person's history
(dates, totals) are left to be rendered when first said.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from itertools import product
from typing import Any

from audio.script import parse
from skill.content import EQUIPMENT, LENGTHS, LEVELS, Content
from skill.conversation.countdown import FINAL_MARKS, LONG_MARKS, mark_text, spoken_duration
from skill.conversation.phrasing import exercise_intro, sentence, sentence_case, spoken_list
from skill.workout.plan import PlanItem, PlanOptions, build_plan


@dataclass(frozen=True)
class Line:
    """A sentence to pre-render, and where it comes from (for messages)."""

    source: str
    text: str


def fixed_sentences(content: Content) -> list[Line]:
    """Every fixed sentence, once each, in a stable order."""
    seen: set[str] = set()
    lines: list[Line] = []
    for source, text in _fixed_texts(content):
        for said in parse(text).says:
            if said not in seen:
                seen.add(said)
                lines.append(Line(source, said))
    return lines


# Prompts that are only ever part of a longer sentence, or screen text: never a clip of their own.
NOT_SPOKEN_ALONE = ("screen.", "equipment_phrase.", "set.per_side_", "when.", "timer.label", "timer.next", "duration.",
                    "countdown.", "phrase.")


def _fixed_texts(content: Content) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    prompts = content.prompts
    for key, variants in prompts.templates.items():
        if key.startswith(NOT_SPOKEN_ALONE):
            continue
        texts.extend((f"prompt {key}", variant) for variant in variants if not _placeholders(variant))

    def filled(key: str, **values: Any) -> None:
        texts.extend((f"prompt {key}", variant.format(**values)) for variant in prompts.variants(key))

    for item in _plan_items(content):
        key, values = exercise_intro(prompts, item, content.exercise(item.exercise_id))
        filled(key, **values)
        for number in range(1, item.sets + 1):
            filled("set.number", number=number, sets=item.sets)
    for exercise in content.exercises.values():
        source = f"exercise {exercise.id}"
        texts.extend((source, sentence(cue)) for cue in exercise.cues)
        texts.extend((source, line) for line in exercise.scaling.values())
        filled("info.about", name=sentence_case(exercise.name), muscles=spoken_list(exercise.muscles, prompts),
               how_to=exercise.how_to)
        texts.extend(("prompt rest.exercise_done", sentence_case(variant.format(name=exercise.name)))
                     for variant in prompts.variants("rest.exercise_done"))
    texts.extend(("countdown", mark_text(mark, prompts) + ".") for mark in (*LONG_MARKS, *FINAL_MARKS))
    for seconds in content.rest_lengths():
        filled("rest.intro", duration=spoken_duration(prompts, seconds))
    for length in LENGTHS:
        filled("help.idle", length=length)
    texts.extend(("benefits", benefit.text) for benefit in content.benefits)
    texts.append(("benefits", content.benefits_closing))
    return texts


def _placeholders(template: str) -> bool:
    return any(field is not None for _, field, _, _ in string.Formatter().parse(template))


def _plan_items(content: Content) -> list[PlanItem]:
    items: dict[PlanItem, None] = {}
    for level, length, equipment in product(LEVELS, LENGTHS, EQUIPMENT):
        items.update(dict.fromkeys(build_plan(PlanOptions(level, length, equipment), content)))
    return list(items)

