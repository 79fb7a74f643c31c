"""Clickable suggestions for the console: a few of each intent's sample utterances, slots filled in.

Samples come from the interaction model, so a new sample shows up without touching the page. A
slot reference is filled with one of its type's listed values (a different one per sample, so the
choices show), or a spoken number. Pure logic: no Flask.
"""

from __future__ import annotations

import re
from typing import Any

from intents.model import Intent, InteractionModel

PER_INTENT = 6
NUMBER_EXAMPLES = {"seconds": "thirty", "minutes": "two"}
"""Spoken numbers for ``AMAZON.NUMBER`` slots, by slot name; others get "ten"."""
WORKOUT_FIRST = ("StartWorkoutIntent", "SetDoneIntent")
QUICK_REPLIES = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no", "SetDoneIntent": "done",
                 "SkipExerciseIntent": "skip", "AMAZON.RepeatIntent": "repeat", "ProgressIntent": "how many sets left",
                 "AMAZON.PauseIntent": "pause", "AMAZON.ResumeIntent": "resume", "AMAZON.HelpIntent": "help",
                 "AMAZON.StopIntent": "stop"}
"""What a workout needs all the time, offered as short replies beside the text box (intent -> sample)."""
_SLOT_REFERENCE = re.compile(r"\{(\w+)\}")


def fill(sample: str, slots: dict[str, str], model: InteractionModel, choice: int = 0) -> str | None:
    """``sample`` with each ``{slot}`` replaced by an example value; ``choice`` picks among listed values.

    None when no listed value fits (an "an {slot}" whose values all start with a consonant).
    """
    misfit = False

    def example(found: re.Match[str]) -> str:
        nonlocal misfit
        name = found.group(1)
        slot_type = model.types.get(slots.get(name, ""))
        if slot_type is None or not slot_type.values:
            numbers = model.local_words.get("number_examples", NUMBER_EXAMPLES)
            return numbers.get(name, numbers.get("other", "ten"))
        start = choice % len(slot_type.values)
        values = [*slot_type.values[start:], *slot_type.values[:start]]
        article = sample[:found.start()].split()[-1:]
        # After "a" or "an", a value that agrees with the article ("an advanced", "a squat").
        if article in (["a"], ["an"]):
            values = [value for value in values if (value.name[0] in "aeiou") == (article == ["an"])]
        if not values:
            misfit = True
            return found.group(0)
        chosen = values[0]
        # Last in the sentence and without an article a value stands as a plural noun: "for fifteen
        # minutes", "with barbells" (when the model lists that plural), but "a squat".
        last = found.end() == len(sample.rstrip())
        if last and article not in (["a"], ["an"], ["the"]) and f"{chosen.name}s" in chosen.synonyms:
            return f"{chosen.name}s"
        return chosen.name

    filled = _SLOT_REFERENCE.sub(example, sample)
    return None if misfit else filled


def suggestions(model: InteractionModel, per_intent: int = PER_INTENT) -> list[dict[str, Any]]:
    """Groups of suggestions: the invocation phrases first, then each intent with samples.

    Each group is ``{"title", "intent", "utterances"}`` (intent None for the invocation phrases:
    a launch and one-shot requests); the workout's own intents come first, Amazon's built-in ones
    after them.
    """
    invocation = model.invocation_name
    groups: list[dict[str, Any]] = [{
        "title": "Open or ask the skill",
        "intent": None,
        "utterances": [phrase.format(invocation=invocation) for phrase in model.local_words.get(
            "invocations", ["open {invocation}", "tell {invocation} I'm done", "ask {invocation} how many sets left"])],
    }]
    for intent in sorted(model.intents.values(), key=_rank):  # stable: model order within a rank
        if not intent.samples:
            continue
        plain = [sample for sample in intent.samples if not _SLOT_REFERENCE.search(sample)]
        with_slots = sorted((sample for sample in intent.samples if _SLOT_REFERENCE.search(sample)), key=_fullest)
        # Mostly plain phrasings, plus some with slots so the slot values show.
        filled = [fill(sample, intent.slots, model, choice) for choice, sample in enumerate(with_slots)]
        examples = [utterance for utterance in filled if utterance is not None]
        slotted_share = per_intent if not plain else min(per_intent // 2, len(examples))
        picked = plain[:per_intent - slotted_share]
        picked += examples[:per_intent - len(picked)]
        groups.append({"title": _title(intent.name), "intent": intent.name, "utterances": list(dict.fromkeys(picked))})
    return groups


def quick_replies(model: InteractionModel) -> list[str]:
    """``QUICK_REPLIES`` that are samples of their intent in ``model`` (so the page never offers a dead one);
    in a model of another language, the shortest sample of each of those intents."""
    return [sample if sample in model.intents[name].samples else min(model.intents[name].samples, key=len)
            for name, sample in QUICK_REPLIES.items() if name in model.intents and model.intents[name].samples]


def _fullest(sample: str) -> tuple[bool, int]:
    """Samples ending on a slot first (they read most naturally), then those filling more slots."""
    return not sample.rstrip().endswith("}"), -len(_SLOT_REFERENCE.findall(sample))


def _rank(intent: Intent) -> tuple[int, int]:
    if intent.name in WORKOUT_FIRST:
        return 0, WORKOUT_FIRST.index(intent.name)
    return (2 if intent.name.startswith("AMAZON.") else 1), 0


def _title(intent_name: str) -> str:
    """``SetRestIntent`` -> "Set rest", ``AMAZON.HelpIntent`` -> "Help"."""
    name = intent_name.removeprefix("AMAZON.").removesuffix("Intent")
    words = re.findall(r"[A-Z][a-z]*|[a-z]+", name)
    return " ".join(words).capitalize() if words else intent_name
