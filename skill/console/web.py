"""``GET /console``: Alexa's Test tab, offline, in the browser, in development mode on loopback only.

The page is static (HTML, CSS, one small script under ``static/``); it talks to a JSON API here.
The server keeps no console state: the page holds the caller (user, session id, ``new`` flag,
session attributes) and sends it with every turn, which then goes through the real ``POST /alexa``
in process, exactly as ``legday say`` does. So any gunicorn worker can answer any turn.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory, url_for

from skill.config import Settings
from skill.console.replay import AppFactory, fresh_local_transport, replay
from skill.console.suggestions import quick_replies, suggestions
from skill.console.transcript import (
    ACTIONS,
    DEVICES,
    FORMAT,
    VERSION,
    Transcript,
    TranscriptError,
    Turn,
    perform,
    person_or_none,
    record,
)
from skill.local.conversation import Conversation, SkillRefused, in_process
from skill.content import DEFAULT_LOCALE, locales
from skill.local.envelopes import Caller
from skill.local.nlu import default_matcher
from skill.loopback import refusal

log = logging.getLogger(__name__)

CONSOLE_USER_PREFIX = "amzn1.ask.account.CONSOLE-"
APL_RENDER = "Alexa.Presentation.APL.RenderDocument"
MAX_UTTERANCE = 500
MAX_SSML = 16_000
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class BadInput(ValueError):
    """A console API call with a body the page would never send."""


def console_blueprint(settings: Settings, make_app: AppFactory) -> Blueprint:
    """The console page, its static files and its JSON API; refuses everything unless ``settings.dev``.

    ``make_app`` builds the app a replay runs against (handed down, so the console never imports the app).
    """
    blueprint = Blueprint("console", __name__, static_folder="static", static_url_path="/console/static")

    @blueprint.before_request
    def guard() -> tuple[Response, int] | None:
        if not settings.dev:
            return jsonify(error="the console runs only in development mode (legday serve --dev)"), 404
        reason = refusal(request, "the console")
        if reason is not None:
            log.warning("console refused %s %s from %s: %s", request.method, request.path, request.remote_addr,
                        reason)
            return jsonify(error=reason), 403
        if request.method == "POST" and not request.is_json:
            return jsonify(error="send JSON (Content-Type: application/json)"), 415
        return None

    @blueprint.after_request
    def secure(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @blueprint.errorhandler(BadInput)
    def bad_input(error: BadInput) -> tuple[Response, int]:
        return jsonify(error=str(error)), 400

    @blueprint.get("/console")
    @blueprint.get("/console/")
    def page() -> Response:
        return send_from_directory(blueprint.static_folder or "", "console.html", max_age=0)

    @blueprint.get("/console/api/model")
    def model() -> Response:
        matcher = default_matcher(locale_from(request.args.get("locale")))
        return jsonify(invocation=matcher.model.invocation_name, devices=list(DEVICES),
                       groups=suggestions(matcher.model), quick=quick_replies(matcher.model))

    @blueprint.post("/console/api/turn")
    def turn() -> Response | tuple[Response, int]:
        body = _body()
        action = body.get("action")
        if action not in ACTIONS:
            raise BadInput(f"action must be one of {', '.join(ACTIONS)}")
        device = body.get("device", "speaker")
        if device not in DEVICES:
            raise BadInput(f"device must be one of {', '.join(DEVICES)}")
        try:
            person = person_or_none(body.get("person"))
        except ValueError as error:
            raise BadInput(str(error)) from error
        locale = locale_from(body.get("locale"))
        utterance = body.get("utterance")
        if action == "say":
            if not isinstance(utterance, str) or not utterance.strip():
                raise BadInput("type something to say")
            if len(utterance) > MAX_UTTERANCE:
                raise BadInput(f"say it in at most {MAX_UTTERANCE} characters")
            utterance = " ".join(utterance.split())
        # Through the app's own POST /alexa, as Alexa would send it (verification is off in dev mode).
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        conversation = Conversation(in_process(app), default_matcher(locale), caller_from(body.get("caller")))
        conversation.caller.locale = locale
        try:
            performed = perform(conversation, action, utterance, device, person)
        except SkillRefused as error:
            return jsonify(error=f"the skill refused the request: {error}"), 502
        caller = conversation.to_dict()
        if performed is None:
            return jsonify(turn=None, note="no session is open, so there is nothing to end", caller=caller)
        recorded = record(action, device, utterance, *performed, person=person)
        return jsonify(turn=recorded.to_dict(), view=view_of(recorded, conversation.in_session), caller=caller)

    @blueprint.post("/console/api/audio")
    def audio() -> Response | tuple[Response, int]:
        from audio.engines import EngineUnavailable
        from audio.render import render_ssml

        body = _body()
        ssml = body.get("ssml")
        locale = locale_from(body.get("locale"))
        if not isinstance(ssml, str) or len(ssml) > MAX_SSML:
            raise BadInput(f"ssml must be a string of at most {MAX_SSML} characters")
        if "audio" not in current_app.blueprints:
            return jsonify(error="this server does not serve rendered audio (/audio/<clip_id>.mp3)"), 501
        try:
            rendering = render_ssml(ssml, settings, locale=locale)
        except EngineUnavailable as error:
            return jsonify(error=f"no speech engine could speak: {error}"), 503
        return jsonify(src=url_for("audio.clip", clip_id=rendering.clip_id), clip_id=rendering.clip_id,
                       seconds=round(rendering.seconds, 2), engines=list(rendering.engines),
                       notes=list(rendering.notes))

    @blueprint.post("/console/api/transcript")
    def transcript() -> Response:
        turns = _body().get("turns")
        if not isinstance(turns, list) or not turns:
            raise BadInput("there are no turns to save yet")
        built = _transcript({"format": FORMAT, "version": VERSION, "turns": turns})
        answer = jsonify(built.to_dict())
        answer.headers["Content-Disposition"] = "attachment; filename=legday-transcript.json"
        return answer

    @blueprint.post("/console/api/replay")
    def replay_transcript() -> Response:
        built = _transcript(_body().get("transcript"))
        with fresh_local_transport(settings, make_app) as transport:
            report = replay(built, transport)
        return jsonify(report.to_dict())

    return blueprint


def locale_from(raw: Any) -> str:
    """The locale the page chose (en-US when it chose none); one the skill is not published in is refused."""
    if raw is None:
        return DEFAULT_LOCALE
    if raw not in locales():
        raise BadInput(f"locale must be one of {', '.join(sorted(locales()))}")
    return str(raw)


def caller_from(raw: Any) -> Caller:
    """The caller the page sent back (checked field by field), or a new console user with no session."""
    if raw is None:
        return Caller(user_id=f"{CONSOLE_USER_PREFIX}{uuid.uuid4().hex[:12].upper()}")
    if not isinstance(raw, dict):
        raise BadInput("caller must be an object")
    caller = Caller()
    for name in ("user_id", "device_id"):
        value = raw.get(name, getattr(caller, name))
        if not isinstance(value, str) or not 0 < len(value) <= 200:
            raise BadInput(f"caller.{name} must be a short string")
        setattr(caller, name, value)
    session_id = raw.get("session_id")
    if session_id is not None and (not isinstance(session_id, str) or not 0 < len(session_id) <= 200):
        raise BadInput("caller.session_id must be a short string or null")
    attributes = raw.get("attributes", {})
    if not isinstance(attributes, dict):
        raise BadInput("caller.attributes must be an object")
    new_session = raw.get("new_session", True)
    if not isinstance(new_session, bool):
        raise BadInput("caller.new_session must be true or false")
    caller.session_id, caller.attributes, caller.new_session = session_id, attributes, new_session
    return caller


def view_of(turn: Turn, session_open: bool) -> dict[str, Any]:
    """What the page shows for a turn beyond the transcript: speech with its breaks, SSML, screen."""
    from audio.script import Pause, Say, parse

    response = turn.response.get("response") or {}
    ssml = ((response.get("outputSpeech") or {}).get("ssml")) or ""
    parts: list[dict[str, Any]] = []
    for segment in parse(ssml).segments if ssml else ():
        if isinstance(segment, Say):
            if parts and parts[-1]["kind"] == "say":
                parts[-1]["text"] += " " + segment.text
            else:
                parts.append({"kind": "say", "text": segment.text})
        elif isinstance(segment, Pause):
            parts.append({"kind": "pause", "ms": segment.milliseconds})
        else:
            parts.append({"kind": "sound", "src": segment.src})
    screen = None
    if DEVICES[turn.device]:
        documents = [directive for directive in response.get("directives") or [] if directive.get("type") == APL_RENDER]
        screen = {"documents": [{"token": document.get("token"), "datasources": document.get("datasources") or {},
                                 "texts": _texts(document.get("datasources") or {})} for document in documents]}
    return {"ssml": ssml, "speech_parts": parts, "screen": screen, "session_open": session_open}


HEADLINE_KEYS = ("title", "headline", "heading", "primaryText", "subtitle", "secondaryText")
# Path data (the progress chart's lines and dots) is drawn, not read.
HIDDEN_KEYS = {"type", "objectId", "token", "icon", "image", "imageSource", "url", "src", "source", "line", "dots"}


def _texts(value: Any, limit: int = 8) -> list[str]:
    """The words in an APL datasource for a rough screen preview: title-like fields first, then the rest in order."""
    found: list[tuple[int, str]] = []

    def walk(item: Any, key: str) -> None:
        if isinstance(item, str):
            if item.strip() and key not in HIDDEN_KEYS and not item.startswith(("http://", "https://")):
                rank = HEADLINE_KEYS.index(key) if key in HEADLINE_KEYS else len(HEADLINE_KEYS)
                found.append((rank, item.strip()))
        elif isinstance(item, dict):
            for child_key, child in item.items():
                if child_key not in HIDDEN_KEYS:
                    walk(child, str(child_key))
        elif isinstance(item, list):
            for child in item:
                walk(child, key)

    walk(value, "")
    ordered = [text for _, text in sorted(found, key=lambda entry: entry[0])]  # stable: document order within a rank
    return list(dict.fromkeys(ordered))[:limit]


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("the request body must be a JSON object")
    return body


def _transcript(raw: Any) -> Transcript:
    try:
        return Transcript.from_dict(raw)
    except TranscriptError as error:
        raise BadInput(str(error)) from error

