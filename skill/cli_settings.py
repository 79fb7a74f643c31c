"""Settings for a ``legday`` command: a bad environment variable is a one-line error, not a traceback."""

from __future__ import annotations

from typing import Any

import click

from skill.config import Settings


def cli_settings(**overrides: Any) -> Settings:
    """``Settings.from_env()`` with ``overrides``; a bad value becomes a ``click.ClickException``."""
    try:
        settings = Settings.from_env()
    except ValueError as error:
        raise click.ClickException(f"configuration: {error}") from error
    return settings.replace(**overrides) if overrides else settings
