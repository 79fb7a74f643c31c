"""Whether the audio extra (gTTS, lameenc, miniaudio) is installed, with one line saying how to get it.

The skill's server never speaks audio, so these are an optional install
(``pip install 'leg-day-coach[audio]'``, included by ``[dev]``); the commands that render speech
check for them first instead of failing on an import deep inside the renderer.
"""

from __future__ import annotations

import importlib

EXTRA_MODULES = ("gtts", "lameenc", "miniaudio")
"""What rendering speech imports: gTTS speaks, miniaudio decodes, lameenc encodes MP3.

The extra's espeakng-loader is not among them: without it the espeak-ng program stands in.
"""
INSTALL_HINT = "pip install 'leg-day-coach[audio]'"


class AudioExtraMissing(Exception):
    """The audio extra is not installed; the message is one line naming what is missing and the fix."""


def missing_modules() -> list[str]:
    """The audio extra's modules that cannot be imported here."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def require_audio(what: str) -> None:
    """Raise ``AudioExtraMissing`` saying that ``what`` needs the audio extra, if it is not installed."""
    missing = missing_modules()
    if missing:
        raise AudioExtraMissing(f"{what} needs the audio extra ({', '.join(missing)} not installed): {INSTALL_HINT}")
