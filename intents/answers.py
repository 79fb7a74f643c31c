"""The answers kept for a request delivered twice (a network retry, a replay inside Alexa's 150 s window).

The live record keeps the answers to the last few requests that changed it, by request id. The
first request handler asks whether this request is one of them; if so it answers exactly as the
first time, and nothing is counted or saved again. Each answer is kept as one JSON text (cheap to
read back: the record is parsed every turn), with the workout's APL document left out: it is the
same file every time and is put back when the answer is replayed. Any other screen (the progress
chart, the end-of-workout summary) is not kept at all: its data runs to tens of kilobytes, and a
repeat is answered with the same speech, card and session without it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from ask_sdk_model import Response

from intents import screen
from skill.serializer import FastSerializer
from skill.store.records import REVISION_KEY
from skill.workout.progress import UserRecord, format_time, parse_time

log = logging.getLogger(__name__)
# Answers kept at most: a repeat comes within seconds, and the answer before the last covers a
# retry that arrives after the next request (a second device, a slow network). Each is about 1 KB
# of a record read and written on every turn, so no more are kept.
MAX_ANSWERS = 2
# Alexa refuses a request older than this, so an answer kept longer could never be asked for again.
REPLAY_SECONDS = 150
# Stands in a kept RenderDocument for the document left out (it is always screen.document()).
DOCUMENT_LEFT_OUT = {"leftOut": "legday-workout-document"}

_serializer = FastSerializer()
# The standard library's writer (the Lambda package carries no compiled JSON library), made once.
_writer = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def remember(record: UserRecord, request_id: str | None, now: datetime, response: Response,
             session: dict[str, Any]) -> None:
    """Keep the answer to this request (its response and session cursor) for a repeat of it."""
    if not request_id:
        return
    # Written once for this and for the envelope sent to Alexa (which has it as written): copied
    # where the kept answer differs, never changed.
    body = _serializer.serialize_kept(response)
    if "directives" in body:
        directives = []
        for directive in body["directives"]:
            if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
                if directive.get("token") != screen.TOKEN:
                    continue
                directive = {**directive, "document": DOCUMENT_LEFT_OUT}
            directives.append(directive)
        body = {**body, "directives": directives}
    oldest = now - timedelta(seconds=REPLAY_SECONDS)
    kept = [answer for answer in record.answers if answer["id"] != request_id and _when(answer) >= oldest]
    session = {key: value for key, value in session.items() if key != REVISION_KEY}
    text = _writer.encode(body)
    answer = {"id": request_id, "at": format_time(now), "text": text, "session": session}
    record.answers = [*kept, answer][-MAX_ANSWERS:]


def recall(record: UserRecord, request_id: str | None) -> tuple[Response, dict[str, Any]] | None:
    """The response and session cursor first given to this request, if it changed the record."""
    if not request_id:
        return None
    for answer in record.answers:
        if answer["id"] == request_id:
            response = _serializer.deserialize(answer["text"], Response)
            for directive in response.directives or []:
                if getattr(directive, "document", None) == DOCUMENT_LEFT_OUT:
                    directive.document = screen.document()
            return response, dict(answer.get("session") or {})
    return None


def _when(answer: dict[str, Any]) -> datetime:
    try:
        return parse_time(answer["at"])
    except (ValueError, OverflowError):
        return datetime.min.replace(tzinfo=timezone.utc)
