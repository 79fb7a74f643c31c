"""A conversation with the skill from typed utterances, carried from turn to turn as Alexa would.

The session id, the ``new`` flag and the session attributes the skill returned go back with the
next request; a response that ends the session ends it here too. Requests go through a transport:
the Flask app in process, or a running server over HTTP.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask

from intents.model import InteractionModel
from skill.local import envelopes
from skill.local.envelopes import Caller
from skill.local.nlu import Matcher, Understanding
from skill.ssml import plain_text

Transport = Callable[[dict[str, Any]], dict[str, Any]]


class SkillRefused(Exception):
    """The endpoint answered with an HTTP error instead of an Alexa response."""


def in_process(app: Flask) -> Transport:
    """Send envelopes to ``app``'s ``/alexa`` route without a network."""
    client = app.test_client()

    def send(body: dict[str, Any]) -> dict[str, Any]:
        answer = client.post("/alexa", json=body)
        if answer.status_code != 200:
            raise SkillRefused(f"HTTP {answer.status_code}: {answer.get_data(as_text=True).strip()}")
        return answer.get_json()

    return send


def over_http(url: str, timeout: float = 10.0) -> Transport:
    """Send envelopes to a running server's endpoint, e.g. http://127.0.0.1:5000/alexa."""

    def send(body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body).encode("utf-8")
        post = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(post, timeout=timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            raise SkillRefused(f"HTTP {error.code}: {error.read().decode('utf-8', 'replace').strip()}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise SkillRefused(f"cannot reach {url}: {getattr(error, 'reason', error)}") from error

    return send


@dataclass(frozen=True)
class Exchange:
    """One turn: the envelope sent and the response envelope received."""

    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def ssml(self) -> str:
        return ((self.response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return plain_text(self.ssml)

    @property
    def reprompt_ssml(self) -> str:
        reprompt = (self.response.get("response") or {}).get("reprompt") or {}
        return (reprompt.get("outputSpeech") or {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        return plain_text(self.reprompt_ssml)

    @property
    def ends_session(self) -> bool:
        return bool((self.response.get("response") or {}).get("shouldEndSession"))

    @property
    def session_attributes(self) -> dict[str, Any]:
        return self.response.get("sessionAttributes") or {}


class Conversation:
    """Typed utterances in, Alexa responses out, one session at a time."""

    def __init__(self, transport: Transport, matcher: Matcher, caller: Caller | None = None) -> None:
        self.transport = transport
        self.matcher = matcher
        self.caller = caller or Caller()

    @property
    def model(self) -> InteractionModel:
        return self.matcher.model

    @property
    def in_session(self) -> bool:
        return self.caller.session_id is not None

    def say(self, utterance: str) -> tuple[Understanding, Exchange]:
        """Resolve ``utterance`` and send it: "open leg day coach" launches, "tell leg day coach ..." is one-shot.

        Anything else said outside a session is sent as a one-shot request, as if prefixed with
        "Alexa, tell Leg Day Coach".
        """
        meaning = self.matcher.understand(utterance)
        if meaning.launch:
            return meaning, self.launch()
        if meaning.one_shot or not self.in_session:
            self.caller.start_session()
            meaning = Understanding(meaning.intent, meaning.slots, one_shot=True)
        return meaning, self.intent(meaning)

    def launch(self) -> Exchange:
        self.caller.start_session()
        return self.send(envelopes.launch_request())

    def intent(self, meaning: Understanding) -> Exchange:
        assert meaning.intent is not None
        declared = self.model.intents.get(meaning.intent)
        slot_names = tuple(declared.slots) if declared else ()
        return self.send(envelopes.intent_request(meaning.intent, meaning.slots, slot_names))

    def end(self, reason: str = "USER_INITIATED") -> Exchange | None:
        """Tell the skill the session ended (as Alexa does after silence or "exit")."""
        if not self.in_session:
            return None
        exchange = self.send(envelopes.session_ended_request(reason))
        self.caller.end_session()
        return exchange

    def send(self, request: dict[str, Any]) -> Exchange:
        """Send one request in the current session and carry the session on (or end it)."""
        body = envelopes.envelope(self.caller, request)
        exchange = Exchange(body, self.transport(body))
        if exchange.ends_session or request["type"] == "SessionEndedRequest":
            self.caller.end_session()
        else:
            self.caller.new_session = False
            self.caller.attributes = exchange.session_attributes
        return exchange

    def to_dict(self) -> dict[str, Any]:
        return asdict(self.caller)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], transport: Transport, matcher: Matcher) -> Conversation:
        known = {key: raw[key] for key in Caller.__dataclass_fields__ if key in raw}
        return cls(transport, matcher, Caller(**known))
