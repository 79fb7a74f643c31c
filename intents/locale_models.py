"""The English locale models, generated from the en-US model (the English source) and ``regional.toml``.

``python -m intents.locale_models`` (``make models``) writes en-GB.json, en-CA.json, en-AU.json
and en-IN.json beside en-US.json; ``--check`` only says whether the committed files are up to
date. Only words and extra synonyms differ: every English locale has the same intents and slots.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from intents.model import DEFAULT_LOCALE, model_path, raw_model

REGIONAL_PATH = "regional.toml"


def regional() -> dict[str, dict[str, Any]]:
    """The differences of each generated English locale from en-US, by locale."""
    return tomllib.loads(resources.files("intents").joinpath(REGIONAL_PATH).read_text(encoding="utf-8"))


def _reworded(text: str, words: dict[str, str]) -> str:
    for us, local in words.items():
        text = re.sub(rf"\b{re.escape(us)}\b", local, text)
    return text


def _unique(phrases: list[str]) -> list[str]:
    return list(dict.fromkeys(phrases))


def locale_model(source: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The en-US model ``source`` with one locale's ``changes`` (words replaced, synonyms added)."""
    words = changes.get("words", {})
    extra = changes.get("synonyms", {})
    model = copy.deepcopy(source)
    language = model["interactionModel"]["languageModel"]
    for intent in language["intents"]:
        if "samples" in intent:
            intent["samples"] = _unique([_reworded(sample, words) for sample in intent["samples"]])
    for slot_type in language.get("types", []):
        for value in slot_type["values"]:
            name = value["name"]
            value_id = value.get("id") or name["value"]
            # Slot values keep the US words and gain the local ones: people say both, and the
            # exercise names stay those of the English content.
            phrases = [name["value"], *name.get("synonyms", [])]
            synonyms = [*phrases[1:], *(_reworded(phrase, words) for phrase in phrases)]
            synonyms += extra.get(slot_type["name"], {}).get(value_id, [])
            name["synonyms"] = [synonym for synonym in _unique(synonyms) if synonym != name["value"]]
    return model


def rendered(model: dict[str, Any]) -> str:
    """A model as the committed file holds it."""
    return json.dumps(model, ensure_ascii=False, indent=2) + "\n"


def generated() -> dict[str, str]:
    """Every generated locale's model file text, by locale."""
    source = raw_model(DEFAULT_LOCALE)
    return {locale: rendered(locale_model(source, changes)) for locale, changes in regional().items()}


def main(argv: list[str] | None = None) -> int:
    """Write the English locale models, or with ``--check`` report the stale ones (exit 1)."""
    parser = argparse.ArgumentParser(prog="python -m intents.locale_models", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed files are up to date")
    options = parser.parse_args(argv)
    package = Path(str(resources.files("intents")))
    stale = []
    for locale, text in generated().items():
        path = package / model_path(locale)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(locale)
        if not options.check:
            path.write_text(text, encoding="utf-8")
    if options.check and stale:
        print(f"out of date: {', '.join(stale)} (run: make models)", file=sys.stderr)
        return 1
    print(f"{'stale' if options.check else 'written'}: {', '.join(stale) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
