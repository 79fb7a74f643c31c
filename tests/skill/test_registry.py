"""The handler registry: handlers imported on first use answer exactly what they would built up front."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.request import Request

import intents
from intents.base import IntentHandler, SkillHandler
from intents.registry import HANDLED_INTENTS, INTENT_HANDLERS, SKILL_DISABLED, Deferred, request_handlers
from intents.skill_events import read_disabled_body
from skill.content import load_content
from skill.conversation.coach import Coach
from skill.local import envelopes
from skill.local.envelopes import Caller
from skill.serializer import FastSerializer
from tests.conftest import REQUESTS_DIR

REPO = Path(__file__).resolve().parents[2]
# What a request's "type" may be overwritten with (an extra JSON key), to try each gate on.
ODD_TYPES = ("AlexaSkillEvent.SkillEnabled", "Alexa.Presentation.APL.UserEvent", "LaunchRequest", "")


def handlers() -> list[AbstractRequestHandler]:
    """The registry's handlers (nothing of the coach, services or store is used to ask who handles)."""
    return request_handlers(Coach(load_content()), cast(Any, None), cast(Any, None))


def bodies() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sample request, an intent request for every handled intent, and each with its type overwritten."""
    samples = [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(REQUESTS_DIR.glob("*.json"))]
    caller = Caller(user_id="amzn1.ask.account.REGISTRY")
    samples += [(name, envelopes.envelope(caller, envelopes.intent_request(name))) for name in sorted(HANDLED_INTENTS)]
    samples += [("unknown intent", envelopes.envelope(caller, envelopes.intent_request("NoSuchIntent")))]
    for name, body in samples:
        yield name, body
        for kind in ODD_TYPES:
            odd = copy.deepcopy(body)
            odd["request"]["object_type"] = kind
            yield f"{name} read as {kind!r}", odd


def handler_input(body: dict[str, Any]) -> HandlerInput:
    envelope = FastSerializer().read(body, RequestEnvelope)
    return HandlerInput(request_envelope=envelope, attributes_manager=AttributesManager(request_envelope=envelope))


def outcome(test: Callable[[HandlerInput], bool], given: HandlerInput) -> bool | str:
    """``test``'s answer, or the name of what it raised."""
    try:
        return bool(test(given))
    except Exception as error:  # noqa: BLE001 - a raising can_handle is an outcome the registry must keep
        return type(error).__name__


def answerer(registered: list[AbstractRequestHandler], given: HandlerInput) -> str:
    """The class of the first handler that takes the request (as the SDK asks them), or what was raised."""
    for handler in registered:
        taken = outcome(handler.can_handle, given)
        if taken is True:
            return type(handler.handler if isinstance(handler, Deferred) else handler).__name__
        if taken is not False:
            return f"raised {taken}"
    return "none"


CASES = list(bodies())


@pytest.mark.parametrize(("name", "body"), CASES, ids=[name for name, _ in CASES])
def test_each_request_is_answered_by_the_handler_that_would_answer_it_with_every_handler_built(
    name: str, body: dict[str, Any]
) -> None:
    lazy, built = handlers(), handlers()
    for handler in built:
        if isinstance(handler, Deferred):
            assert isinstance(handler.handler, AbstractRequestHandler)
    given = handler_input(body)
    assert answerer(lazy, given) == answerer(built, given)
    for handler in built:
        if isinstance(handler, Deferred) and outcome(handler.handler.can_handle, given) is not False:
            assert outcome(handler.gate, given) is not False, f"{handler.path} takes {name} but its gate refuses it"


def test_the_intents_named_in_the_registry_are_each_handlers_own() -> None:
    for path, names in INTENT_HANDLERS:
        module, _, name = path.rpartition(".")
        handler = getattr(importlib.import_module(module), name)
        assert issubclass(handler, IntentHandler) and handler.intents == names, path
    assert len(HANDLED_INTENTS) == sum(len(names) for _, names in INTENT_HANDLERS), "one handler per intent"


def test_every_request_handler_of_the_intents_package_is_registered() -> None:
    registered = {type(handler.handler if isinstance(handler, Deferred) else handler) for handler in handlers()}
    defined = set()
    for module in pkgutil.iter_modules(intents.__path__):
        for _, value in inspect.getmembers(importlib.import_module(f"intents.{module.name}"), inspect.isclass):
            if (issubclass(value, AbstractRequestHandler) and value.__module__.startswith("intents.")
                    and value not in (SkillHandler, IntentHandler, Deferred)):
                defined.add(value)
    assert defined == registered


def test_skill_disabled_is_read_with_its_body_before_its_handler_is_imported() -> None:
    handlers()
    assert Request.discriminator_value_class_map[SKILL_DISABLED[0]] == SKILL_DISABLED[1]
    read_disabled_body()
    assert Request.discriminator_value_class_map[SKILL_DISABLED[0]] == SKILL_DISABLED[1]


def test_a_cold_start_answering_a_launch_imports_no_deferred_handler_and_no_zone_database(tmp_path: Path) -> None:
    script = """
import json, sys
from pathlib import Path
from skill.config import Settings
from skill.lambda_function import make_handler
answer = make_handler(Settings(data_dir=Path(sys.argv[1]), verify_requests=False))(json.loads(sys.argv[2]), None)
assert answer["response"]["outputSpeech"], answer
print(json.dumps(sorted(sys.modules)))
"""
    launch = (REQUESTS_DIR / "launch.json").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path), launch], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    deferred = {handler.path.rpartition(".")[0] for handler in handlers() if isinstance(handler, Deferred)}
    assert deferred == {"intents.skill_events", "intents.can_fulfill", "intents.workout", "intents.knowledge",
                        "intents.conversation", "intents.your_data", "intents.history", "intents.reminders"}
    assert not deferred & loaded, "a launch needs none of them"
    assert "intents.registry" in loaded
    assert "zoneinfo" not in loaded, "a new user's record names no time zone"
