"""The ``legday`` command: every command has help with an example; request and say talk to the real skill."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from skill.cli import main
from tests.conftest import REQUESTS_DIR


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    commands = all_commands(main)
    assert {("serve",), ("request",), ("say",)} <= set(commands)
    for path in commands:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"legday {' '.join(path)} --help shows no example"


def test_request_prints_the_response_envelope(runner: CliRunner) -> None:
    result = runner.invoke(main, ["request", str(REQUESTS_DIR / "launch.json")])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["response"]["shouldEndSession"] is False
    assert "Shall we start?" in answer["response"]["outputSpeech"]["ssml"]


def test_request_with_a_file_that_is_not_json_fails_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    result = runner.invoke(main, ["request", str(broken)])
    assert result.exit_code == 1
    assert "is not JSON" in result.output
    assert "Traceback" not in result.output


def test_say_continues_one_session_until_the_skill_ends_it(runner: CliRunner) -> None:
    opened = runner.invoke(main, ["say", "open leg day coach"])
    assert opened.exit_code == 0, opened.output
    assert "[LaunchRequest]" in opened.output
    assert "Shall we start?" in opened.output

    started = runner.invoke(main, ["say", "yes"])
    assert "[AMAZON.YesIntent]" in started.output
    assert "leg day" in started.output and "[listening" in started.output

    done = runner.invoke(main, ["say", "done", "--json"])
    exchange = json.loads(done.output)
    assert exchange["request"]["session"]["new"] is False
    assert exchange["request"]["session"]["attributes"]["position"] == [0, 1]
    assert exchange["response"]["sessionAttributes"]["position"] == [1, 1]

    stopped = runner.invoke(main, ["say", "stop"])
    assert "[session ended]" in stopped.output
    one_shot = runner.invoke(main, ["say", "Alexa, tell Leg Day Coach I'm done"])
    assert "[SetDoneIntent one-shot]" in one_shot.output
    assert "[listening" in one_shot.output


def test_say_as_a_person_greets_them_keeps_them_for_later_calls_and_keeps_their_progress_apart(
    runner: CliRunner
) -> None:
    anna = runner.invoke(main, ["say", "--person", "amzn1.ask.person.anna", "open", "leg", "day", "coach"])
    assert anna.exit_code == 0, anna.output
    assert "[LaunchRequest as amzn1.ask.person.anna]" in anna.output
    assert anna.output.splitlines()[1].split()[1].strip("!,") == "Anna", "the name tag printed as a plain name"

    started = json.loads(runner.invoke(main, ["say", "start leg day", "--json"]).output)
    assert started["request"]["context"]["System"]["person"] == {"personId": "amzn1.ask.person.anna"}
    assert "alexa:name" not in started["response"]["response"]["outputSpeech"]["ssml"], "greeted at the welcome only"

    ben = runner.invoke(main, ["say", "--new", "--person", "amzn1.ask.person.ben", "open leg day coach"])
    assert "Ben" in ben.output and "pick up where you left off" not in ben.output, "Anna's workout is hers"
    again = runner.invoke(main, ["say", "--new", "--person", "amzn1.ask.person.anna", "open leg day coach"])
    assert "pick up where you left off" in again.output

    nobody = json.loads(
        runner.invoke(main, ["say", "--new", "--person", "none", "open leg day coach", "--json"]).output)
    assert "person" not in nobody["request"]["context"]["System"]
    assert "alexa:name" not in nobody["response"]["response"]["outputSpeech"]["ssml"]
    assert "pick up where you left off" not in nobody["response"]["response"]["outputSpeech"]["ssml"]


def test_request_as_a_person_sets_the_person_on_the_envelope_not_in_the_file(runner: CliRunner) -> None:
    path = REQUESTS_DIR / "launch.json"
    before = path.read_text(encoding="utf-8")
    result = runner.invoke(main, ["request", str(path), "--person", "amzn1.ask.person.ben"])
    assert result.exit_code == 0, result.output
    ssml = json.loads(result.output)["response"]["outputSpeech"]["ssml"]
    assert ssml.count('<alexa:name type="first" personId="amzn1.ask.person.ben"/>') == 1
    assert path.read_text(encoding="utf-8") == before

    nobody = runner.invoke(main, ["request", str(REQUESTS_DIR / "launch_person.json"), "--person", "none"])
    assert "alexa:name" not in json.loads(nobody.output)["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(("body", "person", "message"), [
    ('{"version": "1.0"}', "amzn1.ask.person.ben", "has no context.System"),
    ('{"context": {"System": []}}', "amzn1.ask.person.ben", "has no context.System"),
    ('{"context": []}', "amzn1.ask.person.ben", "has no context.System"),
    ("[1, 2]", "amzn1.ask.person.ben", "has no context.System"),
    ('{"context": {"System": {}}}', " ", "give a person id"),
])
def test_request_as_a_person_with_an_envelope_it_cannot_change_fails_cleanly(
    runner: CliRunner, tmp_path: Path, body: str, person: str, message: str
) -> None:
    envelope = tmp_path / "envelope.json"
    envelope.write_text(body, encoding="utf-8")
    result = runner.invoke(main, ["request", str(envelope), "--person", person])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_say_resolves_slots(runner: CliRunner) -> None:
    result = runner.invoke(main, ["say", "start a fifteen minute advanced leg day with a barbell"])
    assert "length=fifteen minute (15)" in result.output
    assert "15 minute advanced leg day with a barbell" in result.output


def test_a_bad_setting_is_a_clean_error(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGDAY_STORE", "floppy-disk")
    result = runner.invoke(main, ["say", "help"])
    assert result.exit_code == 1
    assert "LEGDAY_STORE must be sqlite or dynamodb" in result.output
