"""The skill's serializer reads requests exactly as the SDK's does, only faster."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.ui import SsmlOutputSpeech
from packaging.requirements import Requirement

from skill.builder import build_skill
from skill.config import Settings
from skill.envelope import missing_parts
from skill import serializer as serializer_module
from skill.serializer import SDK_PRIVATE, FastSerializer
from tests.conftest import REQUESTS_DIR, read_request
from tests.robustness.test_fuzz import FUZZ_SETTINGS, envelopes_to_send

# Session attributes for the generated envelopes: a cursor as the skill writes it (the fuzz
# strategies mutate it and every other field from there).
SNAPSHOTS = [("{}", {"position": [3, 2]})]


@pytest.mark.parametrize("sample", sorted(path.name for path in REQUESTS_DIR.glob("*.json")))
def test_every_sample_envelope_reads_as_the_sdk_reads_it(sample: str) -> None:
    body = (REQUESTS_DIR / sample).read_text(encoding="utf-8")
    fast = FastSerializer().deserialize(body, RequestEnvelope)
    assert fast == DefaultSerializer().deserialize(body, RequestEnvelope)
    assert fast.request.timestamp.tzinfo == timezone.utc


@pytest.mark.parametrize(
    "stamp", ["2026-11-25T18:00:00Z", "2026-11-25T18:00:00.123+01:00", "2026-11-25T18:00:00", "Nov 25 2026 6pm"]
)
def test_timestamps_match_the_sdk_including_its_fallback(stamp: str) -> None:
    payload = json.dumps({"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": stamp}})
    assert (FastSerializer().deserialize(payload, RequestEnvelope).request.timestamp
            == DefaultSerializer().deserialize(payload, RequestEnvelope).request.timestamp)


def test_unreadable_timestamps_fail_as_in_the_sdk() -> None:
    payload = json.dumps({"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": "not a time"}})
    with pytest.raises(SerializationException):
        FastSerializer().deserialize(payload, RequestEnvelope)


def test_dates_and_the_class_cache() -> None:
    serializer = FastSerializer()
    assert serializer._DefaultSerializer__deserialize_datetime("2026-11-25", date) == date(2026, 11, 25)
    assert isinstance(serializer._DefaultSerializer__deserialize_datetime("2026-11-25T01:02:03Z", datetime), datetime)
    serializer.deserialize((REQUESTS_DIR / "launch.json").read_text(encoding="utf-8"), RequestEnvelope)
    assert "ask_sdk_model.context.Context" in serializer._classes


@FUZZ_SETTINGS
@given(data=st.data())
def test_generated_envelopes_read_as_the_sdk_reads_them(data: st.DataObject) -> None:
    _, body = data.draw(envelopes_to_send(SNAPSHOTS))
    payload = json.dumps(body)
    outcomes = []
    for serializer in (FastSerializer(), DefaultSerializer()):
        try:
            outcomes.append(serializer.deserialize(payload, RequestEnvelope))
        except SerializationException:
            outcomes.append(SerializationException)
    fast, sdk = outcomes
    if fast is SerializationException and sdk is not SerializationException:
        assert names_python_internals(body), "the one refusal the SDK does not make"
    else:
        assert comparable(fast) == comparable(sdk)


def comparable(read: Any) -> Any:
    """What was read, as JSON text: a number the envelope spells "NaN" reads as a float NaN, which is
    not equal to itself, so the models themselves cannot be compared with ``==``. Walked by hand, not
    written by the SDK's serializer: a key the model does not define is kept on the object as it came
    (by both readers), and one named like the model's own tables (``deserialized_types``) hides them
    from that serializer."""
    if read is SerializationException:
        return read
    return json.dumps(plain(read), sort_keys=True, default=str)


def plain(value: Any) -> Any:
    """A model read from a request as plain values: every attribute it holds, by class."""
    if hasattr(type(value), "deserialized_types"):
        return {type(value).__name__: {name: plain(held) for name, held in vars(value).items()}}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def names_python_internals(node: Any) -> bool:
    """Whether any object in ``node`` has a key such as ``__dict__`` (free-form dicts included)."""
    if isinstance(node, dict):
        return any(str(key).startswith("__") or names_python_internals(value) for key, value in node.items())
    if isinstance(node, list):
        return any(names_python_internals(item) for item in node)
    return False


NOT_IN_A_LAUNCH = "ask_sdk_model.interfaces.geolocation.geolocation_state"
COLD_READ = f"""
import sys
from ask_sdk_model import RequestEnvelope
from skill.serializer import FastSerializer
FastSerializer().deserialize(open(sys.argv[1], encoding="utf-8").read(), RequestEnvelope)
print("{NOT_IN_A_LAUNCH}" in sys.modules)
"""


def test_reading_a_request_resolves_only_the_model_classes_it_holds() -> None:
    """Resolving a class imports its module: a fresh worker's first request would pay for every
    field of every class it reads (a launch took 20 ms more), not only the ones it holds."""
    launch = REQUESTS_DIR / "launch.json"
    assert "geolocation" not in launch.read_text(encoding="utf-8").lower()
    done = subprocess.run([sys.executable, "-c", COLD_READ, str(launch)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "False"


def test_a_payload_field_named_like_a_model_attribute_is_set_after_the_model_fields() -> None:
    payload = json.dumps({"version": "1.0", "request": {"type": "LaunchRequest", "requestId": "a", "request_id": "b"}})
    fast, sdk = (serializer.deserialize(payload, RequestEnvelope) for serializer in (FastSerializer(), DefaultSerializer()))
    assert fast == sdk
    assert fast.request.request_id == "b"


@pytest.mark.parametrize("path", [(), ("request",), ("context", "System", "user")])
@pytest.mark.parametrize("name", ["__dict__", "__class__", "__eq__"])
def test_a_payload_key_naming_a_python_internal_is_refused(path: tuple[str, ...], name: str) -> None:
    body = read_request("set_done")
    place = body
    for step in path:
        place = place[step]
    place[name] = {}
    with pytest.raises(SerializationException, match=name):
        FastSerializer().deserialize(json.dumps(body), RequestEnvelope)


def test_type_strings_the_fast_path_does_not_read_go_to_the_sdk() -> None:
    fast, sdk = FastSerializer(), DefaultSerializer()
    for type_string, payload in (("list[str, int]", ["a", "1"]), ("dict(str, list[str, int])", {"k": ["a", "2"]})):
        assert (fast._DefaultSerializer__deserialize(payload, type_string)
                == sdk._DefaultSerializer__deserialize(payload, type_string))


# --- writing responses ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def skill(tmp_path_factory: pytest.TempPathFactory) -> CustomSkill:
    return build_skill(Settings(data_dir=Path(tmp_path_factory.mktemp("data")), verify_requests=False))


def written(serializer: DefaultSerializer, envelope: ResponseEnvelope) -> str:
    """The response as it goes on the wire (key order included)."""
    return json.dumps(serializer.serialize(envelope))


def answered(skill: CustomSkill, body: str) -> Iterator[ResponseEnvelope]:
    """The skill's answer to a request the endpoint lets through (nothing for one it refuses)."""
    try:
        request = FastSerializer().deserialize(body, RequestEnvelope)
    except SerializationException:
        return
    if missing_parts(request):
        return
    yield skill.invoke(request_envelope=request, context=None)


@pytest.mark.parametrize("sample", sorted(path.name for path in REQUESTS_DIR.glob("*.json")))
def test_every_sample_answer_is_written_as_the_sdk_writes_it(skill: CustomSkill, sample: str) -> None:
    (envelope,) = answered(skill, (REQUESTS_DIR / sample).read_text(encoding="utf-8"))
    assert written(FastSerializer(), envelope) == written(DefaultSerializer(), envelope)


@FUZZ_SETTINGS
@given(data=st.data())
def test_answers_to_generated_envelopes_are_written_as_the_sdk_writes_them(
    skill: CustomSkill, data: st.DataObject
) -> None:
    _, body = data.draw(envelopes_to_send(SNAPSHOTS))
    for envelope in answered(skill, json.dumps(body)):
        assert written(FastSerializer(), envelope) == written(DefaultSerializer(), envelope)


class Colour(str, Enum):
    RED = "red"


def test_values_outside_the_models_are_written_as_the_sdk_writes_them() -> None:
    speech = SsmlOutputSpeech(ssml="<speak>Hi</speak>")
    odd = {
        "enum": Colour.RED, "decimal": [Decimal("2"), Decimal("2.5")], "when": datetime(2026, 11, 26, tzinfo=timezone.utc),
        "day": date(2026, 11, 26), "pair": (speech, None), "nested": {"speech": [speech]}, "none": None,
    }
    fast, sdk = FastSerializer().serialize(odd), DefaultSerializer().serialize(odd)
    assert fast == sdk
    assert fast["pair"] == ({"type": "SSML", "ssml": "<speak>Hi</speak>"}, None)
    assert fast["decimal"] == [2, 2.5] and fast["when"] == "2026-11-26T00:00:00+00:00"


def test_a_response_written_for_a_kept_answer_is_written_once_for_its_envelope_then_afresh() -> None:
    response = Response(output_speech=SsmlOutputSpeech(ssml="<speak>Set two.</speak>"), should_end_session=False)
    envelope = ResponseEnvelope(version="1.0", response=response, session_attributes={"position": [3, 2]})
    kept = FastSerializer().serialize_kept(response)
    first, again = (FastSerializer().serialize(envelope) for _ in range(2))
    assert first["response"] is kept, "the envelope's write takes the response as it was written"
    assert again["response"] is not kept and first == again == DefaultSerializer().serialize(envelope)
    other = Response(output_speech=SsmlOutputSpeech(ssml="<speak>Set two.</speak>"), should_end_session=False)
    FastSerializer().serialize_kept(other)
    assert FastSerializer().serialize(envelope)["response"] is not kept, "only the very object, by identity"


# --- the SDK internals the serializer relies on ----------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
# Production no longer depends on ask-sdk-webservice-support (verification is its own, on cryptography).
SDK_DISTRIBUTIONS = ("ask-sdk-core", "ask-sdk-model", "ask-sdk-runtime")
CHANGED_SDK = ("skill/serializer.py overrides or calls this private method of the SDK's DefaultSerializer; the "
               "installed ask-sdk-core ({version}) is not the one it was checked against: check the serializer "
               "against the new SDK's source, update SDK_PRIVATE and the pin in pyproject.toml, or pin back")


def pinned(name: str) -> str:
    """The exact version pyproject.toml pins ``name`` to (the test fails if it is not pinned exactly)."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for dependency in map(Requirement, dependencies):
        if dependency.name == name:
            (spec,) = dependency.specifier
            assert spec.operator == "==", f"{name} must be pinned exactly in pyproject.toml (the serializer relies on its internals)"
            return spec.version
    raise AssertionError(f"{name} is not a dependency in pyproject.toml")


@pytest.mark.parametrize("name", SDK_DISTRIBUTIONS)
def test_the_sdk_is_pinned_exactly_and_installed_at_that_version(name: str) -> None:
    assert metadata.version(name) == pinned(name), (
        f"{name} {metadata.version(name)} is installed but pyproject.toml pins {pinned(name)}: run `make install`")


@pytest.mark.parametrize("name", sorted(SDK_PRIVATE))
def test_every_private_sdk_method_the_serializer_relies_on_is_there_as_it_was(name: str) -> None:
    message = f"DefaultSerializer.{name}: " + CHANGED_SDK.format(version=metadata.version("ask-sdk-core"))
    method = DefaultSerializer.__dict__.get(name)
    assert callable(method), f"gone: {message}"
    assert tuple(inspect.signature(method).parameters) == SDK_PRIVATE[name], f"parameters changed: {message}"


def test_the_sdk_still_calls_every_method_the_serializer_overrides() -> None:
    called: set[str] = set()

    class Watched(FastSerializer):
        pass

    for name in SDK_PRIVATE:
        if name in FastSerializer.__dict__:
            def watch(self: Any, *args: Any, _name: str = name, **kwargs: Any) -> Any:
                called.add(_name)
                return getattr(FastSerializer, _name)(self, *args, **kwargs)

            setattr(Watched, name, watch)
    overridden = {name for name in SDK_PRIVATE if name in FastSerializer.__dict__}
    Watched().deserialize((REQUESTS_DIR / "set_done.json").read_text(encoding="utf-8"), RequestEnvelope)
    missing = overridden - called
    assert not missing, (f"DefaultSerializer.deserialize no longer calls {sorted(missing)}: the fast paths are dead; "
                         + CHANGED_SDK.format(version=metadata.version("ask-sdk-core")))
    assert overridden == {name for name in SDK_PRIVATE if name != "_DefaultSerializer__get_obj_by_discriminator"}


def test_a_parsed_payload_reads_as_its_text_does() -> None:
    body = read_request("set_done")
    assert FastSerializer().read(body, RequestEnvelope) == DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)
    assert FastSerializer().read(None, RequestEnvelope) is None


def test_an_sdk_without_a_method_the_serializer_needs_stops_its_import_with_the_reason(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(DefaultSerializer, "_DefaultSerializer__deserialize_model")
    reason = (f"ask-sdk-core {metadata.version('ask-sdk-core')} has no DefaultSerializer."
              "_DefaultSerializer__deserialize_model, which skill/serializer.py relies on")
    with pytest.raises(ImportError, match=re.escape(reason)):
        serializer_module._sdk_private("_DefaultSerializer__deserialize_model")
