"""The skill's serializer reads requests exactly as the SDK's does, only faster."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.serializer import FastSerializer
from tests.conftest import REQUESTS_DIR


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
