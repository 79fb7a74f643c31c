"""Progress in DynamoDB: the ASK SDK adapter against a DynamoDB-compatible server over HTTP (moto).

Whole conversations go through the Lambda entry with the sample envelopes, as on AWS; the raw
items are read back with boto3 to see what the table really holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.exceptions import PersistenceException

from skill.config import Settings
from skill.lambda_function import make_handler
from skill.store import make_adapter
from skill.store.dynamodb import DynamoDbStore, aws_region, from_dynamodb, make_dynamodb_adapter, to_dynamodb
from tests.conftest import Answer, envelope_model, read_request
from tests.deploy.conftest import (
    AWS_VARIABLES_TO_DROP,
    Send,
    as_lambda,
    aws_test_environment,
    sender,
    stored_record,
)

pytestmark = pytest.mark.slow  # starts a DynamoDB-compatible server
MAX_TURNS = 200
SOMEONE_ELSE = "amzn1.ask.account.SOMEONE-ELSE"
REPO = Path(__file__).resolve().parents[2]


def start(send: Send, level: str, length: str, equipment: str, **changes: Any) -> Answer:
    body = read_request("start_workout_advanced_barbell")
    for name, value in (("level", level), ("length", length), ("equipment", equipment)):
        slot = body["request"]["intent"]["slots"][name]
        slot["value"] = value
        slot["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] = value
    return send(body, **changes)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (Decimal("3"), 3),
        (Decimal("0"), 0),
        (Decimal("-2"), -2),
        (Decimal("1.5"), 1.5),
        ({"a": [Decimal("1"), {"b": Decimal("2.25")}], "c": "text", "d": True, "e": None},
         {"a": [1, {"b": 2.25}], "c": "text", "d": True, "e": None}),
    ],
)
def test_numbers_come_back_as_the_ints_and_floats_that_were_saved(stored: Any, expected: Any) -> None:
    value = from_dynamodb(stored)
    assert value == expected
    assert type(value) is type(expected)


def test_floats_are_stored_as_decimals_and_everything_else_as_is() -> None:
    assert to_dynamodb({"rest": 1.5, "sets": [3, 2.0], "pair": (1, 2), "done": False}) == {
        "rest": Decimal("1.5"), "sets": [3, Decimal("2.0")], "pair": [1, 2], "done": False,
    }


@pytest.mark.parametrize(
    ("environ", "region"),
    [
        ({"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"}, "eu-west-1"),
        ({"AWS_DEFAULT_REGION": "us-west-2"}, "us-west-2"),
        ({}, "us-east-1"),
    ],
)
def test_the_region_is_lambdas_then_the_default_then_us_east_1(environ: dict[str, str], region: str) -> None:
    assert aws_region(environ) == region


def test_one_setting_picks_dynamodb(dynamodb_settings: Settings) -> None:
    adapter = make_adapter(dynamodb_settings)
    assert isinstance(adapter, DynamoDbStore)
    assert adapter.table_name == dynamodb_settings.dynamodb_table
    assert Settings.from_env({"LEGDAY_STORE": "dynamodb"}).store == "dynamodb"
    assert Settings.from_env({}).store == "sqlite"


def test_attributes_round_trip_through_the_table_under_the_alexa_user_id(
    dynamodb_settings: Settings, progress_table: Any
) -> None:
    adapter = make_dynamodb_adapter(dynamodb_settings)
    request = envelope_model("launch")
    attributes = {"workout": {"position": 2, "sets": [1, 2, 3]}, "rest": 1.5, "name": "", "done": True}

    assert adapter.get_attributes(request) == {}
    adapter.save_attributes(request, attributes)
    assert adapter.get_attributes(request) == attributes
    raw = progress_table.get_item(Key={"id": "amzn1.ask.account.LOCAL-DEVELOPER"})["Item"]
    assert raw["attributes"]["workout"]["position"] == Decimal(2)

    adapter.delete_attributes(request)
    assert adapter.get_attributes(request) == {}


def test_a_whole_workout_is_saved_and_resumed_in_a_new_session(send_to_lambda: Send, progress_table: Any) -> None:
    send = send_to_lambda
    first = start(send, "beginner", "15", "bodyweight")
    assert first.ends_session is False
    second = send("set_done", attributes=first.attributes)
    saved = stored_record(progress_table)
    assert saved is not None and saved["workout"]["position"] == 1
    send("session_ended", attributes=second.attributes)  # the user walks away

    launch = send("launch", session_id="amzn1.echo-api.session.second")
    assert "You stopped at" in launch.speech
    answers = [send("yes", attributes=launch.attributes, session_id="amzn1.echo-api.session.second")]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        answers.append(send("set_done", attributes=answers[-1].attributes, session_id="amzn1.echo-api.session.second"))

    assert "leg day done" in answers[-1].speech
    finished = send("launch", session_id="amzn1.echo-api.session.third")
    assert "today" in finished.speech
    assert "You stopped at" not in finished.speech


def test_two_users_do_not_see_each_others_progress(send_to_lambda: Send, progress_table: Any) -> None:
    send = send_to_lambda
    mine = start(send, "beginner", "30", "dumbbells")
    send("set_done", attributes=mine.attributes)
    my_record = stored_record(progress_table)

    stranger = send("launch", user_id=SOMEONE_ELSE)
    assert "You stopped at" not in stranger.speech
    theirs = start(send, "advanced", "45", "barbell", user_id=SOMEONE_ELSE)
    assert "45 minute advanced leg day" in theirs.speech

    assert stored_record(progress_table) == my_record
    assert stored_record(progress_table, SOMEONE_ELSE) != my_record
    assert {item["id"] for item in progress_table.scan()["Items"]} == {
        "amzn1.ask.account.LOCAL-DEVELOPER", SOMEONE_ELSE,
    }
    back = send("launch", session_id="amzn1.echo-api.session.mine-again")
    assert "You stopped at" in back.speech


def test_a_missing_table_is_a_spoken_apology_not_a_crash(dynamodb_settings: Settings, dynamodb: Any) -> None:
    settings = dynamodb_settings.replace(dynamodb_table="legday-no-such-table")
    adapter = make_dynamodb_adapter(settings)
    with pytest.raises(PersistenceException):
        adapter.get_attributes(envelope_model("launch"))

    send = sender(as_lambda(make_handler(settings)))
    answer = send("launch")
    assert answer.speech and answer.ends_session is False
    assert "legday-no-such-table" not in answer.speech
    assert "legday-no-such-table" not in [table.name for table in dynamodb.tables.all()], "the skill made a table"


def test_the_adapter_imports_and_works_with_no_aws_region_configured(
    dynamodb_endpoint: str, dynamodb_settings: Settings, tmp_path: Path
) -> None:
    # ask-sdk-dynamodb-persistence-adapter builds a boto3 resource while it is imported, which
    # needs a region; a fresh process shows the import itself no longer depends on one.
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(aws_test_environment(tmp_path))
    del environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]
    for name in AWS_VARIABLES_TO_DROP:
        environment.pop(name, None)
    script = f"""
import json
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from skill.config import Settings
from skill.lambda_function import make_handler
from skill.store import make_adapter
settings = Settings(store="dynamodb", dynamodb_table={dynamodb_settings.dynamodb_table!r},
                    dynamodb_endpoint={dynamodb_endpoint!r})
adapter = make_adapter(settings)
request = DefaultSerializer().deserialize({json.dumps(json.dumps(read_request("launch")))}, RequestEnvelope)
adapter.save_attributes(request, {{"count": 7}})
print(json.dumps(adapter.get_attributes(request)))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"count": 7}
