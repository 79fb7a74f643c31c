"""``legday audio build`` and ``legday audio check``: thin glue over the catalog, the renderer and the limits."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

import click

from audio.extra import AudioExtraMissing, require_audio
from skill.cli_settings import cli_settings
from skill.content import EQUIPMENT, LENGTHS, LEVELS

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from audio.catalog import Line
    from audio.clips import Clip, ClipMaker

FAILURES_SHOWN = 10


def _progress(items: int, label: str) -> ProgressBar[int]:
    return click.progressbar(length=items, label=label, file=click.get_text_stream("stderr"), show_pos=True)


def require_audio_for(command: str) -> None:
    """Stop the command with one line saying how to install the audio extra, if it is missing."""
    try:
        require_audio(command)
    except AudioExtraMissing as error:
        raise click.ClickException(str(error)) from error


offline_option = click.option("--offline", is_flag=True, help="Speak with espeak-ng only: no network at all.")


@click.group("audio", context_settings={"help_option_names": ["-h", "--help"]})
def audio_commands() -> None:
    """Hear the skill offline: render its speech to MP3 and check it against Alexa's limits.

    Speech comes from gTTS (needs network); when Google cannot be reached, espeak-ng speaks
    instead. Clips are cached under LEGDAY_DATA_DIR, so nothing is requested twice.

    \b
    Examples:
      legday audio build
      legday audio check --length 15 --level beginner
    """


@audio_commands.command()
@click.option("--jobs", default=4, show_default=True, type=click.IntRange(1, 16),
              help="Sentences rendered at once, so at most this many requests to Google at a time.")
@offline_option
def build(jobs: int, offline: bool) -> None:
    """Pre-render every fixed prompt of the skill into the audio cache.

    Exercise intros, form cues, countdown marks, rest announcements, help and the benefits of
    leg day, one sentence at a time, so later renders of any response find them cached.
    Prints what was made, reused or failed; exits with status 1 if anything failed.

    \b
    Example:
      legday audio build --jobs 4
    """
    require_audio_for("legday audio build")
    from audio.catalog import fixed_sentences
    from audio.engines import EngineUnavailable
    from audio.render import renderer_for
    from skill.content import load_content

    settings = cli_settings(tts_engine="offline") if offline else cli_settings()
    lines = fixed_sentences(load_content())
    maker = renderer_for(settings).clips
    clips: list[Clip] = []
    failures: list[tuple[Line, str]] = []
    requests = 0
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="audio-build") as pool, \
            _progress(len(lines), "Rendering prompts") as bar:
        futures = {pool.submit(maker.clip_for, line.text): line for line in lines}
        for future in as_completed(futures):
            try:
                clip = future.result()
            except EngineUnavailable as error:
                failures.append((futures[future], error.reason))
                requests += error.requests
            else:
                clips.append(clip)
                requests += clip.requests
            bar.update(1)
    # Reported in the order of the lines, whichever job finished first.
    position = {id(line): index for index, line in enumerate(lines)}
    failures.sort(key=lambda failure: position[id(failure[0])])
    _report_build(lines, clips, failures, requests, maker)
    if failures:
        raise SystemExit(1)


def _report_build(lines: list[Line], clips: list[Clip], failures: list[tuple[Line, str]], requests: int,
                  maker: ClipMaker) -> None:
    made = Counter(clip.engine for clip in clips if clip.made)
    reused = sum(1 for clip in clips if not clip.made)
    by_engine = ", ".join(f"{engine} {count}" for engine, count in made.items())
    click.echo(f"{len(lines)} sentences: {sum(made.values())} made{f' ({by_engine})' if by_engine else ''}, "
               f"{reused} reused, {len(failures)} failed; {requests} network requests.")
    fallbacks = Counter(reason for clip in clips for _, reason in clip.passed_over)
    first_engine = maker.engines[0].name
    for reason, count in fallbacks.items():
        click.echo(f"{first_engine} could not speak {count} sentences ({reason}); a fallback engine did.")
    for line, reason in failures[:FAILURES_SHOWN]:
        click.echo(f"failed: {line.source}: {reason}", err=True)
    if len(failures) > FAILURES_SHOWN:
        click.echo(f"... and {len(failures) - FAILURES_SHOWN} more failed", err=True)
    click.echo(f"Cache: {maker.store.folder}")


@audio_commands.command()
@click.option("--level", type=click.Choice(LEVELS), help="Workout level (default: the skill's).")
@click.option("--length", type=click.Choice([str(length) for length in LENGTHS]), help="Minutes (default: the skill's).")
@click.option("--equipment", type=click.Choice(EQUIPMENT), help="Equipment (default: the skill's).")
@click.option("--seed", default=0, show_default=True, help="Seed for the coach's choice of words, so runs repeat.")
@offline_option
def check(level: str | None, length: str | None, equipment: str | None, seed: int, offline: bool) -> None:
    """Render a whole leg day's responses and measure each against Alexa's limits.

    Walks one session through the skill in process (welcome, help, an exercise, the benefits,
    then every set to the end), renders each response's speech and reprompt, and reports its
    length, longest break and size. Exits with status 1 if any response is over a limit.

    \b
    Example:
      legday audio check --level advanced --length 45 --equipment barbell
    """
    require_audio_for("legday audio check")
    from audio.engines import EngineUnavailable
    from audio.limits import measure
    from audio.render import render_ssml
    from audio.walkthrough import WorkoutChoice, workout_responses

    settings = cli_settings(tts_engine="offline") if offline else cli_settings()
    choice = WorkoutChoice(level, int(length) if length else None, equipment)
    responses = workout_responses(settings, choice, seed)
    pieces = [(number, response.said, kind, ssml)
              for number, response in enumerate(responses, start=1)
              for kind, ssml in (("speech", response.speech_ssml), ("reprompt", response.reprompt_ssml)) if ssml]
    rows: list[str] = []
    notes: list[str] = []
    engines: list[str] = []
    requests = over = 0
    longest = 0.0
    with _progress(len(pieces), "Rendering responses") as bar:
        for number, said, kind, ssml in pieces:
            try:
                rendering = render_ssml(ssml, settings)
            except EngineUnavailable as error:
                raise click.ClickException(f"cannot render speech: {error}") from error
            measures = measure(ssml, rendering, reprompt=kind == "reprompt")
            problems = [m.describe() for m in measures if not m.within]
            over += bool(problems)
            requests += rendering.requests
            longest = max(longest, rendering.seconds)
            notes.extend(rendering.notes)
            engines.extend(rendering.engines)
            status = "OVER: " + "; ".join(problems) if problems else "ok"
            label = f"{number:>3} {said[:26]:<26}" if kind == "speech" else " " * 30
            rows.append(f"{label} {kind:<8} {rendering.seconds:6.1f} s  break {measures[1].value:4.1f} s  "
                        f"{len(ssml):5d} chars  {status}")
            bar.update(1)
    click.echo("\n".join(rows))
    for note in dict.fromkeys(notes):
        click.echo(f"note: {note}")
    click.echo(f"{len(responses)} responses ({len(pieces)} speeches and reprompts) spoken by "
               f"{', '.join(dict.fromkeys(engines)) or 'nobody'}; {over} over Alexa's limits; "
               f"longest {longest:.1f} s; {requests} network requests.")
    if over:
        raise SystemExit(1)
