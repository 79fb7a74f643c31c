"""The Flask app: ``POST /alexa`` (the skill endpoint) and ``GET /healthz``.

Request parsing, verification and dispatch are the ASK SDK's (``WebserviceSkillHandler``); this
module only turns what can go wrong at the HTTP edge into a 4xx with a short JSON reason, so
Alexa, a developer's curl or an attacker never sees a 500 or a traceback.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_runtime.exceptions import AskSdkException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill import json_text
from skill.builder import build_skill
from skill.config import Settings, resolve_settings
from skill.envelope import EnvelopeShapeVerifier, NotAnEnvelope
from skill.verification import AbstractVerifier, VerificationException, WebserviceSkillHandler, build_verifiers

log = logging.getLogger(__name__)

SKILL_ID_MISMATCH = "Skill ID Verification failed"


def create_app(
    config: Settings | Mapping[str, Any] | None = None,
    *,
    verifiers: Sequence[AbstractVerifier] | None = None,
    adapter: AbstractPersistenceAdapter | None = None,
    rng: random.Random | None = None,
) -> Flask:
    """Build a fresh app and skill.

    ``config`` is a ``Settings``, a mapping of overrides on top of the environment, or None (the
    environment alone). ``verifiers`` replaces the signature and timestamp verifiers that the
    settings call for (tests use it to trust their own certificate authority); ``adapter``
    replaces the store; ``rng`` fixes the choice of prompt variants (for word-for-word comparisons).
    """
    settings = resolve_settings(config)
    skill = build_skill(settings, adapter=adapter, rng=rng)
    chosen = list(build_verifiers(settings) if verifiers is None else verifiers)
    handler = WebserviceSkillHandler(
        skill,
        verify_signature=False,
        verify_timestamp=False,
        verifiers=[EnvelopeShapeVerifier(), *chosen],
    )

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["legday.settings"] = settings
    app.extensions["legday.skill"] = skill
    if settings.dev:  # development tools, imported only here: production loads neither
        from audio.web import audio_blueprint
        from skill.console.web import console_blueprint

        app.register_blueprint(audio_blueprint(settings))
        app.register_blueprint(console_blueprint(settings, create_app))

    @app.post("/alexa")
    def alexa() -> tuple[Response, int] | Response:
        raw = request.get_data(cache=False)
        # Werkzeug stops a chunked body at MAX_CONTENT_LENGTH without complaint; anything left
        # unread means the body was larger than allowed.
        if len(raw) >= settings.max_body_bytes and request.environ["wsgi.input"].read(1):
            return _refuse(413, f"request body is larger than {settings.max_body_bytes} bytes")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(400, "request body is not UTF-8 text")
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
    def healthz() -> Response:
        return jsonify(status="ok", store=settings.store, verify_requests=settings.verify_requests)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        return _refuse(error.code or 500, error.description or error.name)

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
