"""The local console: Alexa's Test tab, offline, at ``/console`` in development mode, and transcript replay.

``console_blueprint(settings)`` is the page and its API; ``replay_command`` is ``legday replay FILE``.
"""

from __future__ import annotations

from skill.console.replay import replay_command
from skill.console.web import console_blueprint

__all__ = ["console_blueprint", "replay_command"]
