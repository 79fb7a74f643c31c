"""``legday audio build`` and ``legday audio check``, run through click's test runner."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from gtts import gTTS

from audio.catalog import fixed_sentences
from audio.cli import audio_commands
from audio.limits import measure
from audio.render import render_ssml, renderer_for
from skill.cli import main
from skill.config import Settings
from skill.content import load_content
from tests.audio.conftest import FakeGoogle

SUMMARY = re.compile(r"(\d+) sentences: (\d+) made(?: \(([^)]*)\))?, (\d+) reused, (\d+) failed; (\d+) network requests")
CHECKED = re.compile(r"(\d+) responses \((\d+) speeches and reprompts\) spoken by ([\w, -]+); (\d+) over Alexa's "
                     r"limits; longest ([\d.]+) s; (\d+) network requests")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(folder))
    monkeypatch.setenv("LEGDAY_TTS_ENGINE", "auto")
    renderer_for.cache_clear()
    return folder


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(audio_commands, list(arguments), catch_exceptions=False)
    return result.exit_code, result.output


def every_command(group: click.Group) -> list[tuple[str, click.Command]]:
    return [(name, command) for name, command in group.commands.items()]


@pytest.mark.parametrize(("name", "command"), [("audio", audio_commands), *every_command(audio_commands)])
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    arguments = [] if command is audio_commands else [name]
    code, output = run(*arguments, "--help")

    assert code == 0
    assert command.help and "Example" in output
    assert re.search(rf"legday audio {'' if command is audio_commands else name}", output)


def test_build_makes_every_prompt_once_then_reuses_all(data_dir: Path, google: FakeGoogle) -> None:
    sentences = len(fixed_sentences(load_content()))

    code, output = run("build", "--jobs", "4")
    first = SUMMARY.search(output)
    assert code == 0 and first, output
    assert first.groups() == (str(sentences), str(sentences), f"gtts {sentences}", "0", "0", str(google.count))
    pieces = sum(len(gTTS(line.text).get_bodies()) for line in fixed_sentences(load_content()))
    assert google.count == pieces, "one request per piece of every sentence, none repeated"

    asked = google.count
    code, output = run("build")
    again = SUMMARY.search(output)
    assert code == 0 and again, output
    assert again.groups() == (str(sentences), "0", None, str(sentences), "0", "0")
    assert google.count == asked


def test_build_reports_the_fallback_and_failures(data_dir: Path, google: FakeGoogle,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    google.default = "dead"
    monkeypatch.setenv("LEGDAY_TTS_ENGINE", "gtts")

    code, output = run("build", "--jobs", "2")

    summary = SUMMARY.search(output)
    assert code == 1 and summary, output
    assert summary.group(5) == summary.group(1), "every sentence failed"
    assert "failed: prompt welcome.first: no speech engine could say 'Welcome to Leg Day Coach!' (gtts: could not " \
           "connect to Google's TTS host)" in output
    assert f"... and {int(summary.group(1)) - 10} more failed" in output
    shown = re.findall(r"^failed: (.+?): ", output, re.M)
    assert shown == [line.source for line in fixed_sentences(load_content())[:10]], "in the order of the lines"


def test_checking_a_whole_workout_twice_asks_google_only_the_first_time(data_dir: Path, google: FakeGoogle) -> None:
    code, output = run("check", "--level", "beginner", "--length", "15", "--equipment", "bodyweight")
    first = CHECKED.search(output)
    assert code == 0 and first, output
    assert first.group(3) == "gtts" and first.group(4) == "0"
    assert int(first.group(6)) == google.count > 0
    assert re.search(r"^\s+1 open leg day coach\s+speech\s+[\d.]+ s\s+break\s+0.0 s\s+\d+ chars\s+ok$", output, re.M)
    assert "Rest 60 seconds" not in output, "the table shows measures, not words"

    asked = google.count
    renderer_for.cache_clear()
    code, output = run("check", "--level", "beginner", "--length", "15", "--equipment", "bodyweight")
    second = CHECKED.search(output)
    assert code == 0 and second, output
    assert second.group(6) == "0"
    assert google.count == asked
    assert second.group(1, 2, 5) == first.group(1, 2, 5)


def test_check_offline_never_touches_the_network(data_dir: Path, google: FakeGoogle) -> None:
    code, output = run("check", "--offline", "--length", "15", "--level", "beginner", "--equipment", "bodyweight")

    checked = CHECKED.search(output)
    assert code == 0 and checked, output
    assert checked.group(3) == "espeak-ng"
    assert google.count == 0


def test_limits_flag_a_response_too_long_and_a_break_too_long(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, tts_engine="offline")
    too_long = "<speak>Rest. " + '<break time="10s"/>' * 25 + "Done.</speak>"
    long_break = '<speak>Wait. <break time="12s"/> Go.</speak>'

    over = [m.describe() for m in measure(too_long, render_ssml(too_long, settings)) if not m.within]
    broken = [m.describe() for m in measure(long_break, render_ssml(long_break, settings)) if not m.within]
    reprompt = [m.name for m in measure(long_break, render_ssml(long_break, settings), reprompt=True) if not m.within]

    assert len(over) == 1 and over[0].startswith("length 25") and over[0].endswith("of 240 s")
    assert broken == ["longest break 12.0 s of 10 s"]
    assert reprompt == ["longest break"]


@pytest.mark.parametrize(("arguments", "command"), [
    (["audio", "build"], "legday audio build"),
    (["audio", "check", "--offline"], "legday audio check"),
    (["say", "--new", "--out", "reply.mp3", "open", "leg", "day", "coach"], "legday say --out/--play"),
])
@pytest.mark.parametrize("absent", ["gtts", "lameenc", "miniaudio"])
def test_without_the_audio_extra_audio_commands_say_in_one_line_how_to_install_it(
    arguments: list[str], command: str, absent: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, absent, None)  # as if not installed: importing it raises ImportError
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1
    error = result.output.strip().splitlines()[-1]
    assert error == (f"Error: {command} needs the audio extra ({absent} not installed): "
                     "pip install 'leg-day-coach[audio]'")
    assert not (tmp_path / "reply.mp3").exists()
