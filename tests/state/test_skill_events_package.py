"""The skill package subscribes to SkillDisabled at the skill's endpoint, and the one SDK table we
extend (to read SkillDisabled's body) still has the shape we rely on."""

from __future__ import annotations

import json
from pathlib import Path

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.events.skillevents import SkillDisabledRequest
from ask_sdk_model.request import Request

from intents.skill_events import SKILL_DISABLED, SkillDisabledEvent, persistence_status, read_disabled_body
from skill.serializer import FastSerializer
from tests.conftest import read_request

MANIFEST = Path(__file__).parents[2] / "intents" / "skill-package" / "skill.json"


def test_the_manifest_subscribes_to_skill_disabled_at_the_skills_endpoint() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]
    events = manifest["events"]
    assert events["endpoint"] == manifest["apis"]["custom"]["endpoint"]
    assert {"eventName": "SKILL_DISABLED"} in events["subscriptions"]


def test_the_sdk_names_skill_disabled_by_a_dotted_path_we_can_point_at_our_model() -> None:
    table = Request.discriminator_value_class_map
    assert table[SKILL_DISABLED] in (
        "ask_sdk_model.events.skillevents.skill_disabled_request.SkillDisabledRequest",
        "intents.skill_events.SkillDisabledEvent",
    )
    assert "body" not in SkillDisabledRequest.deserialized_types, "the SDK reads the body itself now: drop ours"
    read_disabled_body()
    for serializer in (DefaultSerializer(), FastSerializer()):
        for sample, status in (("skill_disabled", "NOT_PERSISTED"), ("skill_disabled_persisted", "PERSISTED")):
            envelope = serializer.deserialize(json.dumps(read_request(sample)), RequestEnvelope)
            assert isinstance(envelope.request, SkillDisabledEvent)
            assert persistence_status(envelope.request) == status


def test_a_status_that_is_missing_or_odd_reads_as_none() -> None:
    assert persistence_status(SkillDisabledEvent()) is None
    assert persistence_status(SkillDisabledEvent(body={"userInformationPersistenceStatus": 7})) is None
    assert persistence_status(SkillDisabledRequest()) is None
