"""Content is parsed file by file on first use: a launch pays for the prompts only."""

from __future__ import annotations

from string import Formatter

import pytest

from skill.content import Content, Prompts, load_content


@pytest.mark.parametrize("language", ["en", "de"])
def test_speaking_parses_only_the_prompts_and_the_plans_are_checked_when_first_read(language: str) -> None:
    content = Content(language=language)
    assert content.prompts.say("plural.set.one")
    assert set(vars(content)) == {"language", "prompts"}

    assert content.levels == load_content(language).levels
    assert {"plans", "exercises"} <= set(vars(content)), "the plans are checked against the exercises"
    assert "_benefits" not in vars(content)


def test_each_part_is_parsed_once_per_language() -> None:
    content = load_content("en")
    assert content.prompts is content.prompts and content.plans is content.plans
    assert load_content("en") is content and load_content("de").prompts is not content.prompts
    assert content.benefits_closing and content.benefit(content.benefits[0].id) is content.benefits[0]


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_prompt_fills_from_a_mapping_as_from_its_values_one_by_one(language: str) -> None:
    prompts = load_content(language).prompts
    for key, variants in prompts.templates.items():
        for template in variants:
            names = {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}
            values = {name: f"<{name}>" for name in names}
            assert Prompts({key: (template,)}).fill(key, values) == template.format(**values), key
