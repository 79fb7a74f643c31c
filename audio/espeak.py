"""espeak-ng, the offline speech engine: its voice settings, and the system program as one way to run it.

The audio extra brings espeak-ng itself (``audio.espeak_library``, the engine preferred); the
system program (``apt-get install espeak-ng``) is the alternative where that library is missing.
Either way every voice is built in: nothing to download at run time, and a sentence takes
milliseconds. It sounds robotic; it is the fallback, not the first choice.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Self

from audio.engines import EngineUnavailable, Synthesis

if TYPE_CHECKING:
    from skill.config import Settings

PROGRAM = "espeak-ng"
WORDS_PER_MINUTE = 165
"""Close to Alexa's pace, so countdowns rendered offline last about as long as on a device."""
INSTALL_HINT = ("espeak-ng is not installed (pip install 'leg-day-coach[audio]' brings it; or Debian/Ubuntu: "
                "apt-get install espeak-ng; macOS: brew install espeak-ng)")
_BRITISH_TLDS = {"co.uk", "ie", "com.au", "co.nz", "co.za", "co.in"}


def espeak_voice(lang: str, tld: str) -> str:
    """The espeak-ng voice nearest to gTTS's language and accent."""
    base = lang.lower()
    if base == "en":
        return "en-gb" if tld in _BRITISH_TLDS else "en-us"
    return base


class EspeakVoice:
    """What every way of running espeak-ng shares: its name, voice, speed and deadline."""

    name = PROGRAM
    suffix = ".wav"

    def __init__(self, *, voice: str = "en-us", words_per_minute: int = WORDS_PER_MINUTE,
                 timeout: float = 10.0) -> None:
        self.voice_name = voice
        self.words_per_minute = words_per_minute
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The voice nearest the gTTS language and accent in Settings."""
        return cls(voice=espeak_voice(settings.tts_lang, settings.tts_tld), timeout=max(settings.tts_timeout, 5.0))

    def voice(self) -> dict[str, str]:
        """Voice and speed: both change the audio."""
        return {"voice": self.voice_name, "speed": str(self.words_per_minute)}


class Espeak(EspeakVoice):
    """The system's espeak-ng program with a timeout on every call; writes WAV."""

    def synthesize(self, text: str) -> Synthesis:
        """WAV of ``text``, or ``EngineUnavailable`` when espeak-ng is missing or fails."""
        program = shutil.which(PROGRAM)
        if program is None:
            raise EngineUnavailable(INSTALL_HINT)
        command = [program, "--stdout", "--stdin", "-v", self.voice_name, "-s", str(self.words_per_minute)]
        try:
            finished = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                      timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise EngineUnavailable(f"espeak-ng took longer than {self.timeout:g} s") from error
        except OSError as error:
            raise EngineUnavailable(f"cannot run espeak-ng: {error}") from error
        if finished.returncode != 0 or not finished.stdout:
            problem = finished.stderr.decode("utf-8", "replace").strip() or f"exit status {finished.returncode}"
            raise EngineUnavailable(f"espeak-ng failed: {problem}")
        return Synthesis(finished.stdout)
