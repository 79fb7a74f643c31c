"""Playing with whichever player exists; no player means False, not an error."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from audio import pcm
from audio.play import play

PLAYED = "played.txt"


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    path = tmp_path / "reply.mp3"
    path.write_bytes(pcm.encode_mp3(pcm.tone(500)))
    return path


def install_player(folder: Path, name: str, *, exit_status: int = 0) -> Path:
    """A stand-in player that records its arguments and keeps a copy of what it was asked to play."""
    folder.mkdir(exist_ok=True)
    log = folder / PLAYED
    copy = shutil.which("cp")
    player = folder / name
    player.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        "for last; do :; done\n"
        f'"{copy}" "$last" "{folder}/copy"\n'
        f"exit {exit_status}\n"
    )
    player.chmod(0o755)
    return log


def test_an_mp3_player_gets_the_file(tmp_path: Path, mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = install_player(tmp_path / "bin", "mpg123")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    assert play(mp3) is True
    assert log.read_text().split() == ["-q", str(mp3)]


def test_a_wav_only_player_gets_decoded_audio(tmp_path: Path, mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_player(tmp_path / "bin", "aplay")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    assert play(mp3) is True
    with wave.open(str(tmp_path / "bin" / "copy"), "rb") as played:
        seconds = played.getnframes() / played.getframerate()
    assert seconds == pytest.approx(0.5, abs=0.1)


def test_no_player_means_false(tmp_path: Path, mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))

    assert play(mp3) is False


def test_a_failing_player_means_false(tmp_path: Path, mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_player(tmp_path / "bin", "ffplay", exit_status=1)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    assert play(mp3) is False
