"""Fixtures for the Lambda deployment: a Lambda transport, and what a table holds for a user.

The DynamoDB-compatible server and its tables come from tests/aws_fixtures.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from skill.config import Settings
from skill.store.dynamodb import PARTITION_KEY
from tests.aws_fixtures import AWS_VARIABLES_TO_DROP, aws_test_environment  # noqa: F401 (re-exported)
from tests.conftest import Answer, read_request, with_changes

def stored_record(table: Any, user_id: str = "amzn1.ask.account.LOCAL-DEVELOPER") -> dict[str, Any] | None:
    """The live record DynamoDB holds for a user, or None."""
    item = table.get_item(Key={PARTITION_KEY: user_id}, ConsistentRead=True).get("Item")
    return None if item is None else json.loads(item["record"])


@dataclass
class FakeLambdaContext:
    """The attributes of the context object Lambda's Python runtime passes to a handler."""

    function_name: str = "leg-day-coach-test-skill"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:leg-day-coach-test-skill"
    memory_limit_in_mb: str = "1024"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"
    log_group_name: str = "/aws/lambda/leg-day-coach-test-skill"
    log_stream_name: str = "2026/11/25/[$LATEST]0000"

    def get_remaining_time_in_millis(self) -> int:
        return 7000


LambdaEntry = Callable[[dict[str, Any], Any], dict[str, Any]]
Transport = Callable[[dict[str, Any]], dict[str, Any]]


def as_lambda(entry: LambdaEntry) -> Transport:
    """Call ``entry`` as Lambda's runtime does: the event from JSON text, the result back to JSON text."""

    def invoke(body: dict[str, Any]) -> dict[str, Any]:
        event = json.loads(json.dumps(body))
        result = entry(event, FakeLambdaContext(aws_request_id=str(uuid.uuid4())))
        return json.loads(json.dumps(result))

    return invoke


Send = Callable[..., Answer]


def sender(transport: Transport) -> Send:
    """Like the Flask ``send`` fixture: a sample envelope by name (with changes) or a whole envelope."""

    def send(request: str | dict[str, Any], **changes: Any) -> Answer:
        body = read_request(request) if isinstance(request, str) else request
        if changes:
            body = with_changes(body, **changes)
        return Answer(200, transport(body))  # Lambda has no status code: an answer means success

    return send


@pytest.fixture
def send_to_lambda(dynamodb_settings: Settings) -> Send:
    """Sample envelopes through the Lambda entry of a skill keeping progress in DynamoDB."""
    from skill.lambda_function import make_handler

    return sender(as_lambda(make_handler(dynamodb_settings)))
