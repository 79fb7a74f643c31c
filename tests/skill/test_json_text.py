"""JSON written for answers and records reads back as the standard library's would."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.json_text import dumps, dumps_text
from tests.robustness.test_fuzz import FUZZ_SETTINGS

# Plain JSON values, any size of integer and any text, lone surrogates included.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


def standard(value: Any) -> Any:
    return json.loads(json.dumps(value))


@FUZZ_SETTINGS
@given(value=JSON_VALUES)
def test_any_plain_value_reads_back_as_the_standard_library_writes_it(value: Any) -> None:
    written = dumps(value)
    assert isinstance(written, bytes)
    assert json.loads(written) == standard(value)
    assert dumps_text(value) == written.decode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        2**70,  # beyond 64 bits
        -(2**64),
        "\ud800 half of a pair",
        {"nested": ["\udfff"]},
        {1: "a key that is not text", None: "and null"},
    ],
    ids=["big-int", "negative-big-int", "lone-surrogate", "nested-surrogate", "non-text-keys"],
)
def test_what_the_fast_encoder_refuses_is_written_by_the_standard_library(value: Any) -> None:
    assert dumps(value) == json.dumps(value, separators=(",", ":")).encode("utf-8")


def test_text_beside_what_the_fast_encoder_refuses_stays_utf8_not_escaped() -> None:
    # Escaped, "Zoë 💪" would take 22 bytes instead of 9, and an answer could outgrow Alexa's limit.
    assert dumps({"count": 2**70, "name": "Zoë 💪"}) == '{"count":1180591620717411303424,"name":"Zoë 💪"}'.encode()


def test_output_is_compact_utf8_and_keeps_key_order() -> None:
    assert dumps({"b": 1, "a": [1, 2], "é": "💪"}) == '{"b":1,"a":[1,2],"é":"💪"}'.encode("utf-8")


@dataclass
class Point:
    x: int


@pytest.mark.parametrize("value", [datetime(2026, 11, 26), date(2026, 11, 26), Point(1), object(), {"set": {1, 2}}])
def test_values_json_cannot_hold_still_raise_type_error(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        dumps(value)


def test_a_float_that_is_not_a_number_is_written_as_null() -> None:
    assert json.loads(dumps({"rest": math.nan, "hold": math.inf})) == {"rest": None, "hold": None}
