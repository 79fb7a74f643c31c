"""Content is parsed file by file on first use: a launch pays for the prompts only."""

from __future__ import annotations

import pytest

from skill.content import Content, load_content


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
