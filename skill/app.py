"""The Flask app: ``POST /alexa`` (the skill endpoint) and ``GET /healthz``.

Request parsing, verification and dispatch follow the ASK SDK's web-service interface
(``skill.verification``); this module turns what can go wrong at the HTTP edge into a 4xx with a
short JSON reason in the project's words, so Alexa, a developer's curl or an attacker never sees
a 500 or a traceback. In development mode ``/alexa`` keeps to this machine (``skill.loopback``).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_runtime.exceptions import AskSdkException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill import deadline, json_text
from skill.builder import build_skill
from skill.config import Settings, resolve_settings
from skill.envelope import EnvelopeShapeVerifier, NotAnEnvelope, body_problem
from skill.loopback import refusal
from skill.services import ServicesFactory
from skill.store import make_store
from skill.store.records import RecordStore
from skill.verification import AbstractVerifier, VerificationException, WebserviceSkillHandler, build_verifiers

log = logging.getLogger(__name__)

SKILL_ID_MISMATCH = "Skill ID Verification failed"


def create_app(
    config: Settings | Mapping[str, Any] | None = None,
    *,
    verifiers: Sequence[AbstractVerifier] | None = None,
    store: RecordStore | None = None,
    rng: random.Random | None = None,
    services: ServicesFactory | None = None,
) -> Flask:
    """Build a fresh app and skill.

    ``config`` is a ``Settings``, a mapping of overrides on top of the environment, or None (the
    environment alone). ``verifiers`` replaces the signature and timestamp verifiers that the
    settings call for (tests use it to trust their own certificate authority); ``store``
    replaces the store; ``rng`` fixes the choice of prompt variants (for word-for-word comparisons);
    ``services`` replaces Alexa's services (tests hand in fakes).
    """
    settings = resolve_settings(config)
    store = store if store is not None else make_store(settings)
    skill = build_skill(settings, store=store, rng=rng, services=services)
    chosen = list(build_verifiers(settings) if verifiers is None else verifiers)
    handler = WebserviceSkillHandler(skill, verifiers=[EnvelopeShapeVerifier(), *chosen])

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["legday.settings"] = settings
    app.extensions["legday.skill"] = skill
    if settings.dev:  # development tools, imported only here: production loads neither
        from audio.web import audio_blueprint
        from skill.console.web import console_blueprint

        app.register_blueprint(audio_blueprint(settings))
        app.register_blueprint(console_blueprint(settings, create_app))

    too_large = (f"request body is larger than the limit of {settings.max_body_bytes} bytes "
                 "(LEGDAY_MAX_BODY_BYTES); Alexa's requests are a few kilobytes")

    @app.post("/alexa")
    def alexa() -> tuple[Response, int] | Response:
        # The turn's budget starts on arrival: verification's time counts too (skill.deadline).
        with deadline.turn(deadline.turn_for(settings)):
            return answer_alexa()

    def answer_alexa() -> tuple[Response, int] | Response:
        if settings.dev and (reason := refusal(request, "the development endpoint")) is not None:
            log.warning("refused %s %s from %s: %s", request.method, request.path, request.remote_addr, reason)
            return _refuse(403, reason)
        raw = request.get_data(cache=False)
        # Werkzeug stops a chunked body at MAX_CONTENT_LENGTH without complaint; anything left
        # unread means the body was larger than allowed.
        if len(raw) >= settings.max_body_bytes and request.environ["wsgi.input"].read(1):
            return _refuse(413, too_large)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(400, "request body is not UTF-8 text")
        if (problem := body_problem(body)) is not None:
            log.warning("refused a request: %s", problem)
            return _refuse(400, f"request body is not an Alexa request: {problem}")
        try:
            answer = handler.verify_request_and_dispatch(request.headers, body)
        except SerializationException as error:
            # The SDK words a body that is not JSON as "Couldn't parse response body".
            detail = "not valid JSON" if "parse response body" in str(error) else _first_line(error)
            return _refuse(400, f"request body is not an Alexa request: {detail}")
        except NotAnEnvelope as error:
            return _refuse(400, f"request body is not an Alexa request: {_first_line(error)}")
        except VerificationException as error:
            log.warning("refused a request: %s", error)
            return _refuse(400, f"request verification failed: {_first_line(error)}")
        except AskSdkException as error:
            if SKILL_ID_MISMATCH in str(error):
                return _refuse(400, "request is for a different skill")
            log.exception("the skill could not answer")
            return _refuse(400, f"the skill could not answer this request: {_first_line(error)}")
        return app.response_class(json_text.dumps(answer), mimetype="application/json")

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        # 503 when progress cannot be read or written, so a load balancer stops sending turns
        # that could only apologise.
        problem = store.health()
        status = "ok" if problem is None else "store unavailable"
        body = jsonify(status=status, store=settings.store, verify_requests=settings.verify_requests,
                       **({} if problem is None else {"problem": problem}))
        return body, 200 if problem is None else 503

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        endpoints = "this server answers Alexa at POST /alexa and reports its health at GET /healthz"
        if settings.dev:
            endpoints += "; the console is at /console"
        reasons = {
            404: f"there is nothing at {request.path}: {endpoints}",
            405: f"{request.method} is not answered at {request.path}: {endpoints}",
            413: too_large,
        }
        return _refuse(status, reasons.get(status, error.description or error.name))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        log.exception("unexpected error at the HTTP edge")
        return _refuse(500, "internal error")

    return app


def _refuse(status: int, reason: str) -> tuple[Response, int]:
    return jsonify(error=reason), status


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
