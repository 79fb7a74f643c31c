"""An app over a store whose every call is counted, and envelopes spoken by a recognised person."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.config import Settings
from skill.store import make_store
from skill.store.records import RecordStore


class CountingStore:
    """The real store, with every call counted by method name (the count is what the tests read)."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted


@pytest.fixture
def store(settings: Settings) -> CountingStore:
    return CountingStore(make_store(settings))


@pytest.fixture
def app(settings: Settings, store: CountingStore) -> Flask:
    return create_app(settings, store=store)


def as_person(body: dict[str, Any], person_id: str | None) -> dict[str, Any]:
    """``body`` as spoken by the person Alexa recognised as ``person_id`` (None: nobody recognised)."""
    body = copy.deepcopy(body)
    system = body["context"]["System"]
    system.pop("person", None)
    if person_id is not None:
        system["person"] = {"personId": person_id, "accessToken": "local-person-token"}
    return body
