"""Replaying a console transcript against the skill, turn by turn, as a regression test.

The transcript is re-sent from a fresh user in a fresh session: each turn's utterance (resolved
again by the model), Launch or End session, on the device it was recorded on, with the session
carried on exactly as in the console. Each turn must give the same:

- request type, intent, slots (value and id), one-shot and ``session.new`` flag;
- ``shouldEndSession``, session attributes (the skill's cursor: pending question, position),
  directive types;
- speech and reprompt, compared as plain text after masking what the skill picks at random or
  reads off the clock: a prompt with variants (any variant matches any other), the benefit picked
  for "why train legs", and elapsed-time values (minutes trained, days since the last workout).

So a replay fails when the skill says or does something else, not when it picks another way of
saying the same thing.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Flask

from skill.cli_settings import cli_settings
from skill.config import Settings
from skill.console.transcript import Heard, Outcome, Transcript, TranscriptError, Turn, perform, record
from skill.local.conversation import Conversation, SkillRefused, Transport
from skill.local.envelopes import Caller

if TYPE_CHECKING:
    from skill.content import Content

REPLAY_USER_PREFIX = "amzn1.ask.account.REPLAY-"

TIME_DEPENDENT: dict[str, tuple[str, ...]] = {
    "finish.summary": ("minutes",),  # minutes actually trained: a replay runs faster than a person
    "finish.summary_one": ("minutes",),
    "welcome.returning": ("when",),  # days since the last workout
}
"""Prompt placeholders whose value depends on the clock, by prompt key."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_FILL = r"[^.!?]+?"  # a placeholder's value stays inside one sentence


class SpeechMask:
    """Rewrites speech so that random choices and clock-dependent values compare equal.

    ``choices`` maps a name to texts the skill picks one of at random (a prompt's variants, the
    benefits); any of them becomes ``<name>``. A text with a single choice is kept, except its
    ``time_dependent`` placeholders, which become ``<placeholder>``.
    """

    def __init__(self, choices: Mapping[str, Sequence[str]],
                 time_dependent: Mapping[str, Sequence[str]] = TIME_DEPENDENT) -> None:
        # (pattern, name, placeholders to mask; empty: the whole text is masked)
        self._patterns: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = []
        for name, texts in choices.items():
            if len(texts) > 1:
                masked: tuple[str, ...] = ()
            elif name in time_dependent:
                masked = tuple(time_dependent[name])
            else:
                continue
            self._patterns += [(_template_pattern(text), name, masked) for text in texts]
        # Longer texts first, so a short variant inside a longer text does not split it.
        self._patterns.sort(key=lambda entry: -len(entry[0].pattern))

    @classmethod
    def from_content(cls, content: Content) -> SpeechMask:
        """The mask for the skill's prompts and its randomly picked benefits."""
        return cls({**content.prompts.templates, "benefit": tuple(benefit.text for benefit in content.benefits)})

    def __call__(self, speech: str) -> str:
        text = " ".join(speech.split())
        for pattern, name, masked in self._patterns:
            if masked:
                text = pattern.sub(partial(_mask_groups, names=masked), text)
            else:
                text = pattern.sub(f"<{name}>", text)
        return text


def _template_pattern(template: str) -> re.Pattern[str]:
    parts, position, seen = [], 0, set()
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position:found.start()]))
        name = found.group(1)
        # A placeholder used twice matches the same words twice.
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{_FILL})")
        seen.add(name)
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile(r"(?:^|(?<=\s))" + "".join(parts), re.IGNORECASE)


def _mask_groups(found: re.Match[str], names: tuple[str, ...]) -> str:
    text, offset = found.group(0), found.start()
    for name in sorted(names, key=lambda n: -found.start(n)):
        if found.group(name) is None:
            continue
        start, end = found.start(name) - offset, found.end(name) - offset
        text = f"{text[:start]}<{name}>{text[end:]}"
    return text


@lru_cache(maxsize=8)
def default_mask(language: str = "en") -> SpeechMask:
    """The mask for the skill's own prompts in ``language`` (built once per process)."""
    from skill.content import load_content

    return SpeechMask.from_content(load_content(language))


@dataclass(frozen=True)
class TurnResult:
    """One replayed turn: what was recorded, what happened now, and how they differ."""

    number: int
    turn: Turn
    actual: Turn | None
    differences: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.differences and self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "action": self.turn.action,
            "utterance": self.turn.utterance,
            "ok": self.ok,
            "differences": list(self.differences),
            "error": self.error,
            "speech": self.actual.expected.speech if self.actual else None,
        }


@dataclass(frozen=True)
class ReplayReport:
    """Every turn's result, in order."""

    results: tuple[TurnResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    @property
    def mismatches(self) -> int:
        return sum(not result.ok for result in self.results)

    def summary(self) -> str:
        total = len(self.results)
        turns = "turn" if total == 1 else "turns"
        return f"replayed {total} {turns}: {total - self.mismatches} matched, {self.mismatches} differed"

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "summary": self.summary(), "turns": [result.to_dict() for result in self.results]}

    def as_recorded(self) -> Transcript:
        """A transcript of the replay itself: the same turns, expecting what the skill answered now."""
        return Transcript(tuple(result.actual for result in self.results if result.actual is not None))


def replay(transcript: Transcript, transport: Transport, *, mask: SpeechMask | None = None) -> ReplayReport:
    """Re-send ``transcript`` through ``transport`` from a fresh user and compare every turn, each in
    the locale it was recorded in (its request's ``locale``)."""
    from skill.content import language_of
    from skill.local.nlu import default_matcher

    conversation = Conversation(transport, default_matcher(), Caller(user_id=f"{REPLAY_USER_PREFIX}{uuid.uuid4()}"))
    results = []
    for number, turn in enumerate(transcript.turns, start=1):
        locale = recorded_locale(turn)
        conversation.matcher = default_matcher(locale)
        conversation.caller.locale = locale
        try:
            performed = perform(conversation, turn.action, turn.utterance, turn.device, turn.person)
        except SkillRefused as error:
            results.append(TurnResult(number, turn, None, error=f"the skill refused the request: {error}"))
            continue
        if performed is None:
            results.append(TurnResult(number, turn, None, error="no session was open to end"))
            continue
        actual = record(turn.action, turn.device, turn.utterance, *performed, person=turn.person)
        masked = mask or default_mask(language_of(locale))
        results.append(TurnResult(number, turn, actual, compare(turn, actual, masked)))
    return ReplayReport(tuple(results))


def recorded_locale(turn: Turn) -> str:
    """The locale a turn was recorded in: its request's (en-US for one the skill is not published in)."""
    from skill.content import DEFAULT_LOCALE, locales

    request = turn.request.get("request")
    locale = request.get("locale") if isinstance(request, dict) else None
    return locale if isinstance(locale, str) and locale in locales() else DEFAULT_LOCALE


def compare(expected: Turn, actual: Turn, mask: SpeechMask) -> tuple[str, ...]:
    """What differs between a recorded turn and its replay, one line per field."""
    differences = []
    differences += _compare_heard(expected.heard, actual.heard)
    differences += _compare_outcome(expected.expected, actual.expected, mask)
    return tuple(differences)


def _compare_heard(expected: Heard, actual: Heard) -> list[str]:
    differences = []
    for name in ("request", "intent", "one_shot", "new_session"):
        was, now = getattr(expected, name), getattr(actual, name)
        if was != now:
            differences.append(f"{name}: expected {_show(was)}, got {_show(now)}")
    if expected.slots != actual.slots:
        differences.append(f"slots: expected {_show(expected.slots)}, got {_show(actual.slots)}")
    return differences


def _compare_outcome(expected: Outcome, actual: Outcome, mask: SpeechMask) -> list[str]:
    differences = []
    if expected.end_session != actual.end_session:
        differences.append(f"shouldEndSession: expected {_show(expected.end_session)}, got {_show(actual.end_session)}")
    if expected.session_attributes != actual.session_attributes:
        differences.append(f"session attributes: expected {_show(expected.session_attributes)}, "
                           f"got {_show(actual.session_attributes)}")
    if expected.directives != actual.directives:
        differences.append(f"directives: expected {_show(list(expected.directives))}, "
                           f"got {_show(list(actual.directives))}")
    for name in ("speech", "reprompt"):
        was, now = mask(getattr(expected, name)), mask(getattr(actual, name))
        if was != now:
            differences.append(f"{name}: {word_diff(was, now)}")
    return differences


def word_diff(expected: str, actual: str, context: int = 4) -> str:
    """The changed words with a little context: ``... kept [-removed-] {+added+} kept ...``."""
    before, after = expected.split(), actual.split()
    pieces: list[str] = []
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context or (first and len(words) > context) or (last and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                pieces.append(" ".join([*head, "...", *tail]).strip())
            else:
                pieces.append(" ".join(words))
            continue
        if i2 > i1:
            pieces.append(f"[-{' '.join(before[i1:i2])}-]")
        if j2 > j1:
            pieces.append(f"{{+{' '.join(after[j1:j2])}+}}")
    return " ".join(piece for piece in pieces if piece)


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


AppFactory = Callable[[Settings], Flask]
"""Builds the app for settings; the CLI and the app hand it down, so the console never imports the app."""


@contextmanager
def fresh_local_transport(settings: Settings, make_app: AppFactory) -> Iterator[Transport]:
    """The app in process over an empty, temporary data folder (nothing touches the real store)."""
    from skill.local.conversation import in_process

    with tempfile.TemporaryDirectory(prefix="legday-replay-") as folder:
        yield in_process(make_app(settings.replace(data_dir=Path(folder), store="sqlite", verify_requests=False)))


def read_transcript(path: Path) -> Transcript:
    """A transcript file, or ``TranscriptError`` saying what is wrong with it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TranscriptError(f"{path} is not a JSON file: {error}") from error
    return Transcript.from_dict(raw)


def replay_command(make_app: AppFactory) -> click.Command:
    """The ``legday replay FILE`` command, replaying in process against apps ``make_app`` builds."""

    @click.command("replay")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--url", help="Replay against a running `legday serve --dev` (e.g. http://127.0.0.1:5000/alexa) "
                                "instead of in process with an empty, temporary store.")
    @click.option("--update", is_flag=True, help="After an intended change: write what the skill answers now back "
                                                 "into FILE (same turns, new expected answers).")
    def replay_file(file: Path, url: str | None, update: bool) -> None:
        """Replay a transcript saved from the console and check every turn still gives the same answer.

        Each turn is re-sent from a fresh user: same intent and slots, shouldEndSession, session
        attributes and directives, and the same speech apart from prompt variants and clock-dependent
        values. Prints one line per turn (and what differs); exits 1 if any turn differs.

        \b
        Examples:
          legday replay tests/console/transcripts/beginner-leg-day.json
          legday replay --update tests/console/transcripts/beginner-leg-day.json
        """
        from skill.local.conversation import over_http

        try:
            transcript = read_transcript(file)
        except TranscriptError as error:
            raise click.ClickException(str(error)) from error
        if url:
            report = replay(transcript, over_http(url))
        else:
            with fresh_local_transport(cli_settings(), make_app) as transport:
                report = replay(transcript, transport)
        for result in report.results:
            said = f"say {json.dumps(result.turn.utterance)}" if result.turn.action == "say" else result.turn.action
            mark = "ok" if result.ok else "DIFFERS"
            click.echo(f"turn {result.number:>3}  {said:<48} {mark}")
            if result.error:
                click.secho(f"           {result.error}", fg="red")
            for difference in result.differences:
                click.secho(f"           {difference}", fg="red")
        click.echo(report.summary())
        if update:
            if any(result.actual is None for result in report.results):
                raise click.ClickException(f"not updating {file}: some turns could not be replayed")
            file.write_text(json.dumps(report.as_recorded().to_dict(), indent=2) + "\n", encoding="utf-8")
            click.echo(f"updated {file}")
            return
        if not report.ok:
            raise SystemExit(1)

    return replay_file
