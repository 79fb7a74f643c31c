"""What every answer from the endpoint must be: a refusal with a reason, or a response Alexa will play."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

from intents.state import TURN_REQUESTS

MAX_SPEECH_CHARS = 8000
MAX_BREAK_MS = 10_000
MAX_RESPONSE_BYTES = 120 * 1024
_BREAK_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")
# Alexa's SSML uses the prefixes alexa: and amazon: without declaring them; an XML reader needs them declared.
SSML_PREFIXES = {"alexa": "urn:alexa-ssml", "amazon": "urn:amazon-ssml"}
NAME_TAG = f"{{{SSML_PREFIXES['alexa']}}}name"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "', "Exception:", "Error:")
# What only a turn of a conversation may carry; Alexa rejects them in answer to anything else.
SPOKEN_KEYS = ("outputSpeech", "reprompt", "card", "directives", "shouldEndSession")


def check_answer(status: int, raw: bytes) -> dict[str, Any]:
    """Assert ``status``/``raw`` is a 4xx JSON refusal or a valid Alexa response; return the JSON."""
    assert status < 500, (status, raw[:500])
    text = raw.decode("utf-8")
    assert "Traceback" not in text and 'File "/' not in text, text[:500]
    body = json.loads(text)
    assert isinstance(body, dict), text[:200]
    if status != 200:
        assert 400 <= status < 500, status
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"], body
        return body
    check_response_envelope(body, len(raw))
    return body


def check_response_envelope(body: dict[str, Any], size: int) -> None:
    """Assert ``body`` is a response envelope Alexa accepts and can speak."""
    assert size <= MAX_RESPONSE_BYTES, size
    assert body.get("version") == "1.0", body.get("version")
    response = body.get("response")
    assert isinstance(response, dict), body
    attributes = body.get("sessionAttributes")
    assert attributes is None or isinstance(attributes, dict)
    end = response.get("shouldEndSession")
    assert end is None or isinstance(end, bool)
    speech = response.get("outputSpeech")
    if speech is not None:
        check_output_speech(speech)
    reprompt = response.get("reprompt")
    if reprompt is not None:
        assert isinstance(reprompt, dict) and "outputSpeech" in reprompt, reprompt
        check_output_speech(reprompt["outputSpeech"])
        assert end is not True, "a reprompt makes no sense in a response that ends the session"
    card = response.get("card")
    if card is not None:
        assert card.get("type") in {"Simple", "Standard", "LinkAccount", "AskForPermissionsConsent"}, card
        for key in ("title", "content", "text"):
            assert card.get(key) is None or isinstance(card[key], str)
    directives = response.get("directives")
    assert directives is None or (isinstance(directives, list) and all(isinstance(d, dict) and d.get("type")
                                                                        for d in directives))


def ssml_tree(ssml: str) -> ElementTree.Element:
    """``ssml`` read as XML with Alexa's prefixes declared; raises on anything not well formed."""
    declared = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in SSML_PREFIXES.items())
    return ElementTree.fromstring(re.sub(r"^<speak\b", f"<speak{declared}", ssml))


def check_output_speech(speech: dict[str, Any]) -> None:
    """Well-formed SSML in one ``<speak>``, breaks of at most 10 s, under 8000 characters."""
    assert isinstance(speech, dict), speech
    if speech.get("type") == "PlainText":
        assert isinstance(speech.get("text"), str) and len(speech["text"]) < MAX_SPEECH_CHARS
        return
    assert speech.get("type") == "SSML", speech
    ssml = speech.get("ssml")
    assert isinstance(ssml, str), speech
    assert len(ssml) < MAX_SPEECH_CHARS, len(ssml)
    root = ssml_tree(ssml)
    assert root.tag == "speak", root.tag
    for element in root.iter():
        assert element.tag != "speak" or element is root, "nested <speak>"
        if element.tag == "break" and "time" in element.attrib:
            match = _BREAK_TIME.match(element.attrib["time"])
            assert match, element.attrib
            milliseconds = float(match.group(1)) * (1 if match.group(2) == "ms" else 1000)
            assert milliseconds <= MAX_BREAK_MS, element.attrib
        if element.tag == NAME_TAG:
            assert element.attrib.get("type") == "first" and element.attrib.get("personId"), element.attrib
            assert not element.text and not len(element), "the name tag is empty"
        if element.tag == "audio":
            source = element.attrib.get("src", "")
            assert source.startswith(("https://", "soundbank://")), source


def check_speech_is_allowed(request_type: Any, body: dict[str, Any]) -> None:
    """Assert that an answer to a request that is not a turn (an event, a session's end,
    CanFulfillIntentRequest, a type Alexa added later) carries no speech, card, directive or flag."""
    if not isinstance(request_type, str) or request_type in TURN_REQUESTS:
        return
    spoken = [key for key in SPOKEN_KEYS if key in body.get("response", {})]
    assert not spoken, f"{request_type} was answered with {spoken}"
