"""Console turns and the transcript file that records them; one place reads and writes the format.

A turn is what the developer did (say an utterance, press Launch or End session, on a speaker or
a screen device, as a person Alexa recognised or not), what the model heard, the envelopes that
went back and forth, and what the skill answered, kept as the ``expected`` outcome a replay checks
against. Pure data: no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.local import envelopes
from skill.local.conversation import Conversation, Exchange
from skill.local.nlu import Understanding
from skill.store.records import REVISION_KEY

FORMAT = "leg-day-coach/console-transcript"
VERSION = 1
ACTIONS = ("say", "launch", "end")
DEVICES = {"speaker": False, "screen": True}
"""Device name -> whether it has a screen (sends ``Alexa.Presentation.APL`` in supportedInterfaces)."""
_PERSON_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


class TranscriptError(ValueError):
    """A transcript file that cannot be read: wrong format, version or shape."""


def person_or_none(value: Any) -> str | None:
    """The person a console turn speaks as: a short id (letters, digits, ".", "_", "-"), or None for a
    voice Alexa does not recognise; ValueError for anything else."""
    if value is None or (isinstance(value, str) and _PERSON_ID.fullmatch(value)):
        return value
    raise ValueError("person must be a short id (up to 100 letters, digits, '.', '_' or '-') or null")


@dataclass(frozen=True)
class Heard:
    """What the request carried: its type, the intent and slots the model resolved, the session flag."""

    request: str
    intent: str | None = None
    slots: dict[str, dict[str, str | None]] = field(default_factory=dict)
    one_shot: bool = False
    new_session: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request, "intent": self.intent, "slots": self.slots, "one_shot": self.one_shot,
                "new_session": self.new_session}


@dataclass(frozen=True)
class Outcome:
    """What the skill answered, in the terms a replay compares."""

    speech: str
    reprompt: str
    end_session: bool
    session_attributes: dict[str, Any]
    directives: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"speech": self.speech, "reprompt": self.reprompt, "end_session": self.end_session,
                "session_attributes": self.session_attributes, "directives": list(self.directives)}


@dataclass(frozen=True)
class Turn:
    """One console action and its result."""

    action: str
    device: str
    heard: Heard
    expected: Outcome
    utterance: str | None = None
    request: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)
    # The person Alexa recognised (None: nobody); left out of the file when None.
    person: str | None = None

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"action": self.action}
        if self.utterance is not None:
            raw["utterance"] = self.utterance
        raw["device"] = self.device
        if self.person is not None:
            raw["person"] = self.person
        raw |= {"heard": self.heard.to_dict(), "expected": self.expected.to_dict(), "request": self.request,
                "response": self.response}
        return raw

    @classmethod
    def from_dict(cls, raw: Any, where: str = "turn") -> Turn:
        """Read one turn, raising ``TranscriptError`` that names ``where`` for anything missing or wrong."""
        if not isinstance(raw, dict):
            raise TranscriptError(f"{where}: expected an object")
        action = raw.get("action")
        if action not in ACTIONS:
            raise TranscriptError(f"{where}: action must be one of {', '.join(ACTIONS)}, got {action!r}")
        utterance = raw.get("utterance")
        if action == "say" and (not isinstance(utterance, str) or not utterance.strip()):
            raise TranscriptError(f"{where}: a say turn needs a non-empty utterance")
        device = raw.get("device", "speaker")
        if device not in DEVICES:
            raise TranscriptError(f"{where}: device must be one of {', '.join(DEVICES)}, got {device!r}")
        heard = _object(raw, "heard", where)
        expected = _object(raw, "expected", where)
        try:
            return cls(
                action=action,
                device=device,
                person=person_or_none(raw.get("person")),
                utterance=utterance if action == "say" else None,
                heard=Heard(
                    request=_text(heard, "request", where),
                    intent=heard.get("intent"),
                    slots={str(name): {"value": slot.get("value"), "id": slot.get("id")}
                           for name, slot in (heard.get("slots") or {}).items()},
                    one_shot=bool(heard.get("one_shot", False)),
                    new_session=bool(heard.get("new_session", False)),
                ),
                expected=Outcome(
                    speech=str(expected.get("speech", "")),
                    reprompt=str(expected.get("reprompt", "")),
                    end_session=bool(expected.get("end_session", False)),
                    session_attributes=dict(expected.get("session_attributes") or {}),
                    directives=tuple(str(kind) for kind in expected.get("directives") or ()),
                ),
                request=dict(raw.get("request") or {}),
                response=dict(raw.get("response") or {}),
            )
        except (AttributeError, TypeError, ValueError) as error:
            raise TranscriptError(f"{where}: {error}") from error


@dataclass(frozen=True)
class Transcript:
    """A console session as a file: turns in order, replayable from a fresh user."""

    turns: tuple[Turn, ...]
    recorded_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "recorded_at": self.recorded_at or envelopes.timestamp(datetime.now(UTC)),
            "turns": [turn.to_dict() for turn in self.turns],
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Transcript:
        """Read a transcript (as parsed JSON), raising ``TranscriptError`` for anything else."""
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise TranscriptError(f"not a console transcript (expected \"format\": \"{FORMAT}\")")
        if raw.get("version") != VERSION:
            raise TranscriptError(f"transcript version {raw.get('version')!r} is not supported (expected {VERSION})")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not turns:
            raise TranscriptError("a transcript needs a non-empty list of turns")
        return cls(
            turns=tuple(Turn.from_dict(turn, f"turn {number}") for number, turn in enumerate(turns, start=1)),
            recorded_at=str(raw.get("recorded_at", "")),
        )


def perform(conversation: Conversation, action: str, utterance: str | None = None,
            device: str = "speaker", person: str | None = None) -> tuple[Understanding, Exchange] | None:
    """Do one console action on ``conversation``, as ``person`` (None: a voice Alexa does not
    recognise); None for End session when no session is open.

    Raises ``SkillRefused`` when the endpoint answers with an HTTP error.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    conversation.caller.screen = DEVICES[device]
    conversation.caller.person_id = person
    if action == "say":
        if not utterance or not utterance.strip():
            raise ValueError("say what? the utterance is empty")
        return conversation.say(utterance)
    if action == "launch":
        return Understanding(intent=None, launch=True), conversation.launch()
    exchange = conversation.end()
    return None if exchange is None else (Understanding(intent=None), exchange)


def record(action: str, device: str, utterance: str | None, meaning: Understanding, exchange: Exchange,
           person: str | None = None) -> Turn:
    """The transcript turn for one performed action."""
    request = exchange.request.get("request", {})
    session = exchange.request.get("session") or {}
    heard = Heard(
        request=str(request.get("type", "")),
        intent=(request.get("intent") or {}).get("name"),
        slots={name: {"value": slot.value, "id": slot.resolved_id} for name, slot in meaning.slots.items()},
        one_shot=meaning.one_shot,
        new_session=bool(session.get("new", False)),
    )
    return Turn(action=action, device=device, utterance=utterance if action == "say" else None, heard=heard,
                expected=outcome_of(exchange), request=exchange.request, response=exchange.response, person=person)


def outcome_of(exchange: Exchange) -> Outcome:
    """The comparable part of a response (the store's revision is not: it counts earlier writes)."""
    directives = (exchange.response.get("response") or {}).get("directives") or []
    return Outcome(
        speech=exchange.speech,
        reprompt=exchange.reprompt,
        end_session=exchange.ends_session,
        session_attributes={key: value for key, value in exchange.session_attributes.items() if key != REVISION_KEY},
        directives=tuple(str(directive.get("type", "")) for directive in directives),
    )


def _object(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise TranscriptError(f"{where}: {key!r} must be an object")
    return value


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise TranscriptError(f"{where}: {key!r} must be a non-empty string")
    return value
