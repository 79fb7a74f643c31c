"""Fixtures for DynamoDB tests: a DynamoDB-compatible server over HTTP, and tables shaped as the stack makes them.

The server is moto in server mode, in its own process on a free loopback port, started once per
test run; the skill reaches it with botocore and ``endpoint_url``, exactly as it would reach a
local DynamoDB. Nothing here talks to AWS: credentials are dummies and every AWS config file is
pointed at nothing. Loaded for every test folder as a plugin (tests/conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.config import Settings
from skill.store.dynamodb import PARTITION_KEY, SORT_KEY

REGION = "us-east-1"
SERVER_START_SECONDS = 30

# Run in a child process: pick a free port (port 0), say which, serve until stdin closes.
# DynamoDB applies each write, conditions and transactions included, atomically; moto checks a
# condition and then writes, so two threads can both pass one condition. The server therefore
# handles one request at a time (connections still come and go in parallel): without that, the
# tests of concurrent saves would test moto's race, not our conditions. It does not hide a missing
# condition: two saves that do not compare revisions still both succeed, one after the other.
MOTO_SERVER = """
import sys, threading
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
moto = DomainDispatcherApplication(create_backend_app)
one_at_a_time = threading.Lock()
def app(environ, start_response):
    with one_at_a_time:
        return list(moto(environ, start_response))
server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
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


def create_table(dynamodb: Any, *keys: str) -> Any:
    """A fresh, empty table keyed as serverless.yml keys it (test_serverless_package checks the shapes)."""
    kinds = ("HASH", "RANGE")
    table = dynamodb.create_table(
        TableName=f"legday-test-{uuid.uuid4().hex[:12]}",
        KeySchema=[{"AttributeName": key, "KeyType": kind} for key, kind in zip(keys, kinds)],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()
    return table


@pytest.fixture
def progress_table(dynamodb: Any) -> Iterator[Any]:
    """A fresh live-record table (partition key ``id``)."""
    table = create_table(dynamodb, PARTITION_KEY)
    yield table
    table.delete()


@pytest.fixture
def log_table(dynamodb: Any) -> Iterator[Any]:
    """A fresh training-log table (partition key ``id``, sort key ``sk``)."""
    table = create_table(dynamodb, PARTITION_KEY, SORT_KEY)
    yield table
    table.delete()


@pytest.fixture
def dynamodb_settings(tmp_path: Path, progress_table: Any, log_table: Any, dynamodb_endpoint: str) -> Settings:
    """Settings for a skill keeping its state in ``progress_table`` and ``log_table``."""
    return Settings(
        data_dir=tmp_path / "data",
        verify_requests=False,
        store="dynamodb",
        dynamodb_table=progress_table.name,
        dynamodb_log_table=log_table.name,
        dynamodb_endpoint=dynamodb_endpoint,
    )
