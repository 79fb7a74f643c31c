"""The three apps the benchmark serves, each built by a factory the same server runs.

- ``skill``: Leg Day Coach, exactly as ``legday serve`` builds it (verification off, as for the
  baselines; progress in SQLite, saved on every turn that changes it and read unless the
  worker holds the revision the session saw).
- ``hello``: the hello-world ASK SDK skill behind the SDK's own ``WebserviceSkillHandler``.
- ``hello_saving``: the same, counting visits in persistent attributes saved on every request
  (``bench.hello_saving``, data in ``LEGDAY_DATA_DIR``).
- ``flask``: a bare Flask route that parses the JSON and returns a canned Alexa response.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

CANNED: dict[str, Any] = {
    "version": "1.0",
    "sessionAttributes": {},
    "response": {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>Hello World!</speak>"},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Say hello again?</speak>"}},
        "shouldEndSession": False,
    },
}


def skill_app() -> Flask:
    """Leg Day Coach, data in ``LEGDAY_DATA_DIR``."""
    from skill.app import create_app

    return create_app({"verify_requests": False})


def hello_app(builder: Any = None) -> Flask:
    """The hello-world ASK skill (or the skill ``builder`` builds) served the way the SDK documents
    for web services."""
    from flask import jsonify, request

    from bench import oscrypto_compat

    oscrypto_compat.install()  # the SDK's webservice module cannot be imported on OpenSSL 3.0.10+ without it
    from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler

    from bench.hello_skill import skill_builder

    skill = (builder or skill_builder()).create()
    handler = WebserviceSkillHandler(skill, verify_signature=False, verify_timestamp=False)
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa() -> Any:
        return jsonify(handler.verify_request_and_dispatch(request.headers, request.get_data(as_text=True)))

    return app


def hello_saving_app() -> Flask:
    """The hello-world that saves its attributes on every request, data in ``LEGDAY_DATA_DIR``."""
    from bench.hello_saving import saving_skill_builder

    return hello_app(saving_skill_builder(Path(os.environ["LEGDAY_DATA_DIR"])))


def flask_app() -> Flask:
    """Parse the JSON, answer with a canned response."""
    from flask import jsonify, request

    app = Flask(__name__)

    @app.post("/alexa")
    def alexa() -> Any:
        body = request.get_json()
        assert isinstance(body, dict)
        return jsonify(CANNED)

    return app


FACTORIES = {"skill": skill_app, "hello": hello_app, "hello_saving": hello_saving_app, "flask": flask_app}


def make(target: str) -> Flask:
    """Build the app for ``target``, with a /healthz every target answers."""
    app = FACTORIES[target]()
    if "healthz" not in app.view_functions:
        app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app


if __name__ == "__main__":  # pragma: no cover - run by bench.run in a subprocess
    import sys

    from skill.serve import serve

    target, port, workers, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.environ.setdefault("LEGDAY_LOG_LEVEL", "WARNING")
    serve(lambda: make(target), host="127.0.0.1", port=port, workers=workers, threads=threads, log_level="warning")
