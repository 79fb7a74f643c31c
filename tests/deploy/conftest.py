"""Fixtures for the Lambda deployment: a DynamoDB-compatible server over HTTP, tables, a Lambda transport.

The server is moto in server mode, in its own process on a free loopback port; the skill reaches
it with boto3 and ``endpoint_url``, exactly as it would reach a local DynamoDB. Nothing here talks
to AWS: credentials are dummies and every AWS config file is pointed at nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from skill.config import Settings
from skill.store.dynamodb import ATTRIBUTE_NAME, PARTITION_KEY
from tests.conftest import Answer, read_request, with_changes

REGION = "us-east-1"
SERVER_START_SECONDS = 30

# Run in a child process: pick a free port (port 0), say which, serve until stdin closes.
MOTO_SERVER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""


def aws_test_environment(home: Path) -> dict[str, str]:
    """Dummy credentials and a region, with no profile or config file that could reach a real account."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(home / "aws-config-none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials-none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


AWS_VARIABLES_TO_DROP = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                         "AWS_ENDPOINT_URL_DYNAMODB")


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """This test's process environment holds only dummy AWS settings."""
    for name in AWS_VARIABLES_TO_DROP:
        monkeypatch.delenv(name, raising=False)
    environment = aws_test_environment(tmp_path)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.fixture(scope="session")
def dynamodb_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a DynamoDB-compatible server (moto) running in its own process on loopback."""
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", MOTO_SERVER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
        )
    try:
        port = _read_port(server, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        assert server.stdout is not None
        server.stdout.close()


def _read_port(server: subprocess.Popen[str], log_path: Path) -> int:
    assert server.stdout is not None
    line = server.stdout.readline().strip()
    if not line.isdigit():
        server.kill()
        server.wait(timeout=SERVER_START_SECONDS)
        pytest.fail(f"moto server did not start: {line!r}\n{log_path.read_text()}")
    return int(line)


@pytest.fixture
def dynamodb(dynamodb_endpoint: str, aws_env: dict[str, str]) -> Any:
    """A boto3 DynamoDB resource on the test server."""
    import boto3

    return boto3.session.Session(region_name=REGION).resource("dynamodb", endpoint_url=dynamodb_endpoint)


@pytest.fixture
def progress_table(dynamodb: Any) -> Iterator[Any]:
    """A fresh, empty table shaped like the one serverless.yml creates (see test_serverless_package)."""
    table = dynamodb.create_table(
        TableName=f"legday-test-{uuid.uuid4().hex[:12]}",
        KeySchema=[{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": PARTITION_KEY, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()
    yield table
    table.delete()


@pytest.fixture
def dynamodb_settings(tmp_path: Path, progress_table: Any, dynamodb_endpoint: str) -> Settings:
    """Settings for a skill keeping progress in ``progress_table``."""
    return Settings(
        data_dir=tmp_path / "data",
        verify_requests=False,
        store="dynamodb",
        dynamodb_table=progress_table.name,
        dynamodb_endpoint=dynamodb_endpoint,
    )


def stored_record(table: Any, user_id: str = "amzn1.ask.account.LOCAL-DEVELOPER") -> dict[str, Any] | None:
    """The raw item DynamoDB holds for a user (numbers as Decimal), or None."""
    item = table.get_item(Key={PARTITION_KEY: user_id}, ConsistentRead=True).get("Item")
    return None if item is None else item[ATTRIBUTE_NAME]


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
