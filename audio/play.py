"""Playing a rendered MP3 with whichever command-line player this machine has."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from audio import pcm

EXTRA_SECONDS = 30.0
"""A player gets the clip's length plus this long before it is stopped."""


@dataclass(frozen=True)
class Player:
    """A command that plays a file given as its last argument; some only read WAV."""

    program: str
    options: tuple[str, ...] = ()
    reads_mp3: bool = True


PLAYERS = (
    Player("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
    Player("mpg123", ("-q",)),
    Player("mpv", ("--no-video", "--really-quiet")),
    Player("afplay"),
    Player("paplay", reads_mp3=False),
    Player("aplay", ("-q",), reads_mp3=False),
)


def available_player() -> Player | None:
    """The first player found on the PATH."""
    return next((player for player in PLAYERS if shutil.which(player.program)), None)


def play(path: Path) -> bool:
    """Play ``path`` to the end; False when no player exists or it fails."""
    player = available_player()
    if player is None:
        return False
    program = shutil.which(player.program)
    assert program is not None
    try:
        seconds = pcm.mp3_duration(path)
    except pcm.AudioError:
        return False
    if player.reads_mp3:
        return _run([program, *player.options, str(path)], seconds)
    with tempfile.TemporaryDirectory(prefix="legday-play-") as folder:
        wav = Path(folder) / "speech.wav"
        _write_wav(path, wav)
        return _run([program, *player.options, str(wav)], seconds)


def _run(command: list[str], seconds: float) -> bool:
    try:
        finished = subprocess.run(command, capture_output=True, timeout=seconds + EXTRA_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return finished.returncode == 0


def _write_wav(mp3: Path, wav: Path) -> None:
    samples = pcm.decode(mp3.read_bytes())
    with wave.open(str(wav), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(pcm.SAMPLE_BYTES)
        file.setframerate(pcm.SAMPLE_RATE)
        file.writeframes(samples)
