"""Settings come from the environment once, with clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.config import Settings, resolve_settings


def test_development_mode_always_turns_verification_off() -> None:
    assert Settings.from_env({"LEGDAY_DEV": "1"}).verify_requests is False
    assert Settings.from_env({"LEGDAY_DEV": "1", "LEGDAY_VERIFY_REQUESTS": "1"}).verify_requests is False
    assert Settings.from_env({"LEGDAY_DEV": "0"}).verify_requests is True


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LEGDAY_VERIFY_REQUESTS": "maybe"}, "expected 1/0"),
        ({"LEGDAY_STORE": "postgres"}, "LEGDAY_STORE must be sqlite or dynamodb"),
        ({"LEGDAY_MAX_BODY_BYTES": "lots"}, "LEGDAY_MAX_BODY_BYTES must be a number"),
        ({"LEGDAY_TTS_ENGINE": "parrot"}, "LEGDAY_TTS_ENGINE must be"),
    ],
)
def test_bad_values_are_named_in_the_error(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(environ)


def test_a_mapping_overrides_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEGDAY_STORE", "sqlite")
    monkeypatch.setenv("LEGDAY_SKILL_ID", "amzn1.ask.skill.from-env")
    settings = resolve_settings({"data_dir": str(tmp_path), "verify_requests": False})
    assert settings.data_dir == tmp_path
    assert settings.verify_requests is False
    assert settings.skill_id == "amzn1.ask.skill.from-env"
