"""The ``legday`` command: serve the skill, send it JSON requests, talk to it in typed words.

Thin glue: every command calls the app, the local conversation tools or the audio renderer and
turns their errors into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from audio.cli import audio_commands, require_audio_for
from skill.cli_settings import cli_settings
from skill.config import Settings
from skill.content import DEFAULT_LOCALE, locales
from skill.console.replay import replay_command

if TYPE_CHECKING:
    from flask import Flask

SESSION_FILE = "say-session.json"
# What --person takes for "a voice Alexa does not recognise".
NO_PERSON = "none"
LOCALE_HELP = ("The device's locale (request.locale), which picks the skill's language and model: "
               "en-US, en-GB, en-CA, en-AU, en-IN or de-DE (skill/content/locales.toml).")
PERSON_HELP = (f"Speak as the person Alexa recognised by voice as ID (context.System.person.personId); "
               f"{NO_PERSON!r}: a voice Alexa does not recognise.")


def _local_app(settings: Settings) -> Flask:
    """The app in process, verification off: local files and typed words carry no Alexa signature."""
    from skill.app import create_app

    return create_app(settings.replace(verify_requests=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Leg Day Coach: an Alexa skill that coaches leg day by voice.

    \b
    Examples:
      legday serve --dev             serve on http://127.0.0.1:5000/alexa, no signatures needed
      legday say "start leg day"     talk to the skill in typed words
      legday request tests/requests/launch.json
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


main.add_command(audio_commands)
main.add_command(replay_command(_local_app))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--dev", is_flag=True, help="Local development: request verification OFF.")
def serve(host: str, port: int, workers: int, dev: bool) -> None:
    """Serve the skill endpoint (POST /alexa) under gunicorn.

    Alexa's request signatures and timestamps are verified unless --dev is given or
    LEGDAY_VERIFY_REQUESTS=0. Progress is kept in SQLite under LEGDAY_DATA_DIR.

    \b
    Example:
      legday serve --dev --port 5000
    """
    from skill.app import create_app
    from skill.serve import serve as run_server
    from skill.store import refusal_at_start

    settings = cli_settings(dev=True) if dev else cli_settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if (refusal := refusal_at_start(settings)) is not None:
        raise click.ClickException(refusal)
    if not settings.verify_requests:
        click.secho(
            "WARNING: request verification is OFF. Anyone who can reach this port can talk to the skill. "
            "Use this for local testing only, never on a public endpoint.",
            fg="red", bold=True, err=True,
        )
    click.echo(f"Leg Day Coach on http://{host}:{port}/alexa (data in {settings.data_dir})", err=True)
    if settings.dev:
        click.echo(f"Local console: http://{host}:{port}/console", err=True)
    run_server(lambda: create_app(settings), host=host, port=port, workers=workers, log_level=settings.log_level)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="Send to a running server (e.g. http://127.0.0.1:5000/alexa) instead of in process.")
@click.option("--person", metavar="ID", help=PERSON_HELP + " The file itself is not changed.")
@click.option("--locale", callback=lambda _context, _param, value: _known_locale(value),
              help=LOCALE_HELP + " Default: the file's.")
def request(file: Path, url: str | None, person: str | None, locale: str | None) -> None:
    """Send one Alexa request envelope (a JSON file) and print the response JSON.

    In process, verification is off (a file carries no Alexa signature); with --url, the
    server must run with --dev.

    \b
    Examples:
      legday request tests/requests/launch.json
      legday request tests/requests/launch.json --person amzn1.ask.person.anna
      legday request tests/requests/launch.json --locale de-DE
    """
    from skill.local.conversation import SkillRefused, in_process, over_http

    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file} is not JSON: {error}") from error
    if person is not None:
        _speak_as(body, person, file)
    if locale is not None:
        _in_locale(body, locale, file)
    transport = over_http(url) if url else in_process(_local_app(cli_settings()))
    try:
        answer = transport(body)
    except SkillRefused as error:
        raise click.ClickException(_refused(error)) from error
    click.echo(json.dumps(answer, indent=2))


@main.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--new", "new_session", is_flag=True, help="Start a new session instead of continuing the last one.")
@click.option("--user", default=None, help="Alexa user id to speak as (separate progress per user).")
@click.option("--person", metavar="ID", help=PERSON_HELP + " Kept for later calls, like --user.")
@click.option("--screen", is_flag=True, help="Speak from a device with a screen (APL supported).")
@click.option("--locale", callback=lambda _context, _param, value: _known_locale(value),
              help=LOCALE_HELP + f" Kept for later calls, like --user. Default: {DEFAULT_LOCALE}.")
@click.option("--url", help="Send to a running server instead of in process.")
@click.option("--json", "as_json", is_flag=True, help="Print the request and response envelopes.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Render the reply to this MP3 file.")
@click.option("--play", is_flag=True, help="Play the rendered reply (needs a local audio player).")
def say(words: tuple[str, ...], new_session: bool, user: str | None, person: str | None, screen: bool,
        locale: str | None, url: str | None, as_json: bool, out: Path | None, play: bool) -> None:
    """Say something to the skill as typed words, and print what Alexa would say.

    The words are resolved against the interaction model (slots included). Successive calls
    continue one session until the skill ends it. "open leg day coach" launches; anything said
    outside a session is sent one-shot, as "Alexa, tell Leg Day Coach ...".

    \b
    Examples:
      legday say open leg day coach
      legday say "start a fifteen minute beginner leg day"
      legday say done --out reply.mp3 --play
      legday say --person amzn1.ask.person.anna open leg day coach
      legday say --locale de-DE öffne beintag trainer
    """
    from skill.local.conversation import Conversation, SkillRefused, in_process, over_http
    from skill.local.nlu import default_matcher

    settings = cli_settings()
    state_file = settings.data_dir / SESSION_FILE
    transport = over_http(url) if url else in_process(_local_app(settings))
    saved = _read_session(state_file) if not new_session else {}
    if locale is not None:
        saved["locale"] = locale
    if saved.get("locale") not in locales():
        saved["locale"] = DEFAULT_LOCALE
    conversation = Conversation.from_dict(saved, transport, default_matcher(saved["locale"]))
    if user:
        if user != conversation.caller.user_id:
            conversation.caller.end_session()
        conversation.caller.user_id = user
    if person is not None:
        # Another voice on the same Echo: the session goes on, the turns are that person's.
        conversation.caller.person_id = _person_id(person)
    conversation.caller.screen = screen
    try:
        meaning, exchange = conversation.say(" ".join(words))
    except SkillRefused as error:
        raise click.ClickException(_refused(error)) from error
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(conversation.to_dict()), encoding="utf-8")

    if as_json:
        click.echo(json.dumps({"request": exchange.request, "response": exchange.response}, indent=2))
    else:
        heard = "LaunchRequest" if meaning.launch else meaning.intent
        slots = ", ".join(f"{slot.name}={slot.value}" + (f" ({slot.resolved_id})" if slot.resolved_id else "")
                          for slot in meaning.slots.values())
        speaker = f" as {conversation.caller.person_id}" if conversation.caller.person_id else ""
        click.secho(f"[{heard}{' ' + slots if slots else ''}{' one-shot' if meaning.one_shot else ''}{speaker}]",
                    fg="cyan")
        click.echo(exchange.speech or "(no speech)")
        if exchange.ends_session:
            click.secho("[session ended]", fg="cyan")
        else:
            click.secho(f"[listening; reprompt: {exchange.reprompt}]", fg="cyan")
    if out or play:
        _render(exchange.ssml, settings, out, play, conversation.caller.locale)


def _person_id(given: str) -> str | None:
    """The person id --person names (None for a voice Alexa does not recognise)."""
    if not given.strip():
        raise click.BadParameter(f"give a person id, or {NO_PERSON!r}", param_hint="--person")
    return None if given == NO_PERSON else given


def _speak_as(body: Any, person: str, file: Path) -> None:
    """Set (or with 'none' remove) ``context.System.person`` on the envelope read from ``file``."""
    context = body.get("context") if isinstance(body, dict) else None
    system = context.get("System") if isinstance(context, dict) else None
    if not isinstance(system, dict):
        raise click.ClickException(f"{file} has no context.System to say who is speaking in")
    person_id = _person_id(person)
    system.pop("person", None)
    if person_id is not None:
        system["person"] = {"personId": person_id}


def _known_locale(value: str | None) -> str | None:
    """``value`` if the skill is published in that locale (checked when given, not at import)."""
    if value is not None and value not in locales():
        raise click.BadParameter(f"{value!r} is not one of {', '.join(sorted(locales()))}", param_hint="--locale")
    return value


def _in_locale(body: Any, locale: str, file: Path) -> None:
    """Set ``request.locale`` on the envelope read from ``file``."""
    request = body.get("request") if isinstance(body, dict) else None
    if not isinstance(request, dict):
        raise click.ClickException(f"{file} has no request to set the locale of")
    request["locale"] = locale


def _refused(error: Exception) -> str:
    """The server's refusal, with what to do when it is the usual slip: a server that verifies signatures."""
    text = str(error)
    if "request verification failed" in text:
        text += ("\nThat server verifies Alexa's signatures, which local requests do not carry: "
                 "start it with `legday serve --dev` to send it requests from this machine.")
    return text


def _render(ssml: str, settings: Settings, out: Path | None, play: bool, locale: str) -> None:
    require_audio_for("legday say --out/--play")
    from audio.engines import EngineUnavailable
    from audio.play import play as play_file
    from audio.render import render_ssml

    try:
        rendering = render_ssml(ssml, settings, out, locale)
    except EngineUnavailable as error:
        raise click.ClickException(f"cannot render speech: {error}") from error
    click.echo(f"[audio: {rendering.path} {rendering.seconds:.1f} s, spoken by {', '.join(rendering.engines)}; "
               f"served by legday serve --dev at /audio/{rendering.clip_id}.mp3]", err=True)
    for note in rendering.notes:
        click.echo(f"[note: {note}]", err=True)
    if play and not play_file(rendering.path):
        click.echo("[no audio player found; open the file instead]", err=True)


def _read_session(path: Path) -> dict[str, Any]:
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return saved if isinstance(saved, dict) else {}

