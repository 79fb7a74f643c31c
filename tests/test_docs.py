"""The README keeps its promises: the two first-screen commands and the configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from skill.config import ENVIRONMENT, Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_configuration_table_lists_every_setting_with_its_default() -> None:
    rows = dict(re.findall(r"^\| `(LEGDAY_\w+)` \| ([^|]+) \|", README, flags=re.MULTILINE))
    assert set(rows) == set(ENVIRONMENT)
    for name, (default, _) in ENVIRONMENT.items():
        assert rows[name].strip() == default, name


def test_first_screen_gives_the_serve_and_test_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make serve" in first_screen
    assert "make test" in first_screen
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_documented_defaults_are_the_real_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.verify_requests is True
    assert settings.store == "sqlite"
    assert settings.max_body_bytes == int(ENVIRONMENT["LEGDAY_MAX_BODY_BYTES"][0])
    assert settings.cert_timeout == float(ENVIRONMENT["LEGDAY_CERT_TIMEOUT"][0])
    assert settings.tts_engine == ENVIRONMENT["LEGDAY_TTS_ENGINE"][0]

