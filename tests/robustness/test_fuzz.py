"""Generated envelopes and saved state thrown at the endpoint: never a 5xx, never a traceback.

Every 200 must be a response Alexa can play (well-formed SSML in one ``<speak>``, no break over
10 s, speech under 8000 characters, the whole response within Alexa's size limit); every refusal
a 4xx with a JSON reason. No handler may fail behind a spoken apology either, and after an
answered request the user's saved record must read back cleanly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intents.model import load_model
from skill.content import load_content
from skill.local import envelopes
from skill.local.envelopes import API_ENDPOINTS, Caller, Device
from skill.local.nlu import SlotMatch
from skill.workout.progress import UserRecord
from tests.robustness.alexa_response import check_answer, check_speech_is_allowed
from tests.robustness.conftest import ErrorLog, Harness

MODEL = load_model()
USERS = ["amzn1.ask.account.FUZZ-A", "amzn1.ask.account.FUZZ-B", "amzn1.ask.account.FUZZ-C"]
# FUZZ_EXAMPLES=5000 for a deeper search than the quick default the suite runs with.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies ------------------------------------------------------------------------------------

NASTY_TEXT = [
    "", " ", "&", "&amp;", "<", ">", "]]>", "<speak>", "</speak>", '<break time="100s"/>', "<audio src='http://x'/>",
    "\u0000", "\ud800", "\udfff", "\ufeff", "\u202e", "💪🦵🏋️", "ǅ", "Ⅻ", "١٢٣", "fifteen", "forty five", "ninety",
    "one hundred twenty", "a thousand", "-1", "0", "99999999999999999999", "1e309", "NaN", "Infinity", "null", "true",
    "²", "①", "5²", "٣٠", "３０", "½", "' OR 1=1 --", "%s%s%n", "{0}", "${jndi:ldap://x}", "../../etc/passwd", "\n\r\t", "SquAt", "DEADLIFT", "  lunge ",
]
huge_text = st.integers(min_value=2_000, max_value=60_000).map(lambda n: ("wall sit & <squat> ü " * (n // 20 + 1))[:n])
texts = st.one_of(st.text(max_size=30), st.sampled_from(NASTY_TEXT), huge_text)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), texts,
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)

REQUEST_TYPES = [
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "System.ExceptionEncountered",
    "CanFulfillIntentRequest", "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackFailed",
    "PlaybackController.PlayCommandIssued", "Alexa.Presentation.APL.UserEvent", "Display.ElementSelected",
    "Connections.Response", "Messaging.MessageReceived", "AlexaSkillEvent.SkillEnabled", "Dialog.API.Invoked",
]
SESSION_END_REASONS = ["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]


def slot_values_for(slot_type: str) -> st.SearchStrategy[SlotMatch | None]:
    custom = MODEL.types.get(slot_type)
    known: list[str] = []
    ids: list[str | None] = [None]
    if custom:
        known = [phrase for value in custom.values for phrase in value.phrases]
        ids += [value.id for value in custom.values]
    value = st.one_of(st.sampled_from(known) if known else st.nothing(), texts, st.integers().map(str))
    return st.one_of(
        st.none(),
        st.builds(lambda v, i: SlotMatch("?", v, slot_type, i), value, st.sampled_from(ids) | texts),
    )


@st.composite
def intent_requests(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(MODEL.intents)) | texts)
    declared = MODEL.intents.get(name)
    slot_types = dict(declared.slots) if declared else {}
    if draw(st.booleans()):
        slot_types.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), st.just("AMAZON.NUMBER"), max_size=2)))
    slots = {}
    for slot_name, slot_type in slot_types.items():
        match = draw(slot_values_for(slot_type))
        if match is not None:
            slots[slot_name] = SlotMatch(slot_name, match.value, slot_type, match.resolved_id)
    request = envelopes.intent_request(name, slots, tuple(slot_types))
    request["dialogState"] = draw(st.sampled_from(["COMPLETED", "STARTED", "IN_PROGRESS"]))
    request["intent"]["confirmationStatus"] = draw(st.sampled_from(["NONE", "CONFIRMED", "DENIED"]))
    return request


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(REQUEST_TYPES) | texts)
    if kind == "IntentRequest" or draw(st.integers(0, 3)) == 0:
        return draw(intent_requests())
    if kind == "SessionEndedRequest":
        error = draw(st.none() | st.fixed_dictionaries({"type": texts, "message": texts}))
        return envelopes.session_ended_request(draw(st.sampled_from(SESSION_END_REASONS) | texts), error)
    if kind == "System.ExceptionEncountered":
        return {"type": kind, "error": {"type": "INVALID_RESPONSE", "message": draw(texts)},
                "cause": {"requestId": draw(texts)}}
    return {"type": kind}


# The SDK turns unknown JSON keys into attributes of its model objects, so keys that collide
# with the models' own attribute names are the interesting extra fields.
SDK_ATTRIBUTE_NAMES = [
    "object_type", "intent", "slots", "user_id", "session_id", "application_id", "attributes", "new", "request_id",
    "timestamp", "to_dict", "to_str", "deserialized_types", "attribute_map", "discriminator_value_class_map",
    "json_discriminator_key", "__dict__", "__class__", "resolutions", "value", "name", "status", "code",
]
extra_keys = st.sampled_from(SDK_ATTRIBUTE_NAMES) | st.text(max_size=12)


def all_places(node: Any, parent: Any = None, key: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) pair in a JSON tree, the root's being (None, None)."""
    yield parent, key
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from all_places(child, node, child_key)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from all_places(child, node, index)


@st.composite
def mutated(draw: st.DrawFn, tree: Any, max_changes: int = 3) -> Any:
    """``tree`` with up to ``max_changes`` fields deleted, replaced by other types, or added."""
    for _ in range(draw(st.integers(0, max_changes))):
        places = [(p, k) for p, k in all_places(tree) if p is not None]
        if not places:
            break
        parent, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["delete", "replace", "add", "wrap"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_values)
        elif action == "wrap":
            parent[key] = [parent[key]]
        elif isinstance(parent[key], dict):
            parent[key][draw(extra_keys)] = draw(json_values)
    return tree


@st.composite
def session_attributes(draw: st.DrawFn, snapshots: list[tuple[str, dict[str, Any]]]) -> Any:
    realistic = st.sampled_from([cursor for _, cursor in snapshots]).map(lambda c: json.loads(json.dumps(c)))
    shaped = st.fixed_dictionaries(
        {},
        optional={
            "pending": st.sampled_from(["resume", "start", "restart", "replace", "more_benefits"]) | json_values,
            "requested": st.fixed_dictionaries({"level": json_values, "length": json_values,
                                                "equipment": json_values}) | json_values,
            "position": st.lists(st.integers(-3, 40), max_size=3) | json_values,
        },
    )
    return draw(st.one_of(realistic, shaped, st.dictionaries(st.text(max_size=10), json_values, max_size=3)))


@st.composite
def saved_states(draw: st.DrawFn, snapshots: list[tuple[str, dict[str, Any]]]) -> str | None:
    """What the store holds for the user before the request: nothing, a real record, or damage."""
    real = draw(st.sampled_from([record for record, _ in snapshots]))
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return None
    if choice == 1:
        return real
    if choice == 2:
        return json.dumps(draw(mutated(json.loads(real), max_changes=2)))
    if choice == 3:
        return json.dumps(draw(json_values))
    if choice == 4:
        return draw(st.sampled_from([
            "", "{", "null", "[]", '"text"', "Infinity", '{"schema": 1, "workout": {"active_seconds": 1e999}}',
            real.replace('"active_seconds":', '"active_seconds":1e400,"x":'), "[" * 5000 + "]" * 5000,
            real.replace('"sets":', '"sets":NaN,"y":'), real[: len(real) // 2],
        ]))
    return draw(st.text(max_size=50))


devices = st.builds(
    Device, viewport=st.booleans(), viewports=st.booleans(), extensions=st.booleans(),
    audio_player=st.none() | st.sampled_from(["IDLE", "PLAYING", "PAUSED", "STOPPED", "FINISHED", "BUFFER_UNDERRUN"]),
    unit=st.booleans(), person_id=st.none() | st.sampled_from(["amzn1.ask.person.FUZZ"]),
    api_endpoint=st.sampled_from(API_ENDPOINTS),
)


@st.composite
def envelopes_to_send(draw: st.DrawFn, snapshots: list[tuple[str, dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
    caller = Caller(user_id=draw(st.sampled_from(USERS)), screen=draw(st.booleans()))
    caller.start_session()
    caller.new_session = draw(st.booleans())
    caller.attributes = draw(session_attributes(snapshots))
    body = envelopes.envelope(caller, draw(requests()), in_session=draw(st.integers(0, 4)) > 0)
    # What real devices add to context (a copy: the envelope shares nested dicts with module constants).
    body = draw(devices).dress(body)
    return caller.user_id, draw(mutated(body))


# --- checks ------------------------------------------------------------------------------------------

def sent_user(body: Any) -> Any:
    """The user id the envelope really carries (a mutation may have moved or retyped it)."""
    try:
        return body["context"]["System"]["user"]["userId"]
    except (KeyError, TypeError, IndexError):
        return None


def sent_type(body: Any) -> Any:
    """The request type the envelope really carries (a mutation may have moved or retyped it)."""
    try:
        return body["request"]["type"]
    except (KeyError, TypeError, IndexError):
        return None


def post(harness: Harness, raw: bytes) -> tuple[int, bytes]:
    answer = harness.client.post("/alexa", data=raw, content_type="application/json")
    return answer.status_code, answer.get_data()


def encode(body: Any, ascii_only: bool) -> bytes:
    return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@FUZZ_SETTINGS
@given(data=st.data(), ascii_only=st.booleans())
def test_generated_envelopes_and_saved_state_never_break_the_endpoint(
    harness: Harness, error_log: ErrorLog, data: st.DataObject, ascii_only: bool
) -> None:
    saved = data.draw(saved_states(harness.snapshots), label="saved state")
    user_id, body = data.draw(envelopes_to_send(harness.snapshots), label="envelope")
    harness.store.write(user_id, saved)
    error_log.failures.clear()

    status, raw = post(harness, encode(body, ascii_only))

    answer = check_answer(status, raw)
    assert error_log.failures == []
    if status == 200:
        check_speech_is_allowed(sent_type(body), answer)
    if status == 200 and sent_user(body) == user_id:
        stored = harness.store.read(user_id)
        # Whatever the skill wrote must read back (a request that reads no record, such as
        # SessionEndedRequest, leaves damaged state as it was, for the next turn to recover from).
        if stored is not None and stored != saved:
            UserRecord.from_dict(json.loads(stored), load_content())  # raises if the skill saved damage


raw_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"[" * 50_000, b'{"a":' * 20_000, b"\xef\xbb\xbf{}", b"\x00" * 10, b'{"version": "1.0"}' * 3]),
)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_bodies)
def test_arbitrary_bytes_are_refused_with_a_reason(harness: Harness, error_log: ErrorLog, raw: bytes) -> None:
    error_log.failures.clear()
    status, answer = post(harness, raw)
    body = check_answer(status, answer)
    assert status != 200 or "response" in body
    assert error_log.failures == []


@FUZZ_SETTINGS
@given(data=st.data())
def test_a_valid_envelope_with_one_byte_changed_never_breaks_the_endpoint(
    harness: Harness, error_log: ErrorLog, data: st.DataObject
) -> None:
    _, body = data.draw(envelopes_to_send(harness.snapshots))
    raw = bytearray(json.dumps(body).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    error_log.failures.clear()
    check_answer(*post(harness, bytes(raw)))
    assert error_log.failures == []
