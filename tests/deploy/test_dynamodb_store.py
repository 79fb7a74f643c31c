"""The DynamoDB store as Lambda runs it: against a DynamoDB-compatible server over HTTP (moto), and
against an endpoint that never answers.

Whole conversations go through the Lambda entry with the sample envelopes, as on AWS; the raw
items are read back with boto3 to see what the tables really hold. The store's contract (revisions,
log, pages, deletion) is proven on both stores in tests/store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.config import Settings
from skill.lambda_function import make_handler
from skill.store import make_store
from skill.store.dynamodb import DynamoDbStore, aws_region, from_dynamodb
from skill.store.records import NO_RECORD, Owner, StoreUnavailable
from tests.conftest import Answer, read_request
from tests.deploy.conftest import AWS_VARIABLES_TO_DROP, Send, as_lambda, aws_test_environment, sender, stored_record

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
        ({"N": "3"}, 3),
        ({"N": "0"}, 0),
        ({"N": "-2"}, -2),
        ({"N": "1.5"}, 1.5),
        ({"N": "2.0"}, 2),
        ({"M": {"a": {"L": [{"N": "1"}, {"M": {"b": {"N": "2.25"}}}]}, "c": {"S": "text"},
                "d": {"BOOL": True}, "e": {"NULL": True}}},
         {"a": [1, {"b": 2.25}], "c": "text", "d": True, "e": None}),
    ],
)
def test_values_saved_before_revisions_come_back_as_plain_numbers_and_containers(stored: Any, expected: Any) -> None:
    value = from_dynamodb(stored)
    assert value == expected
    assert type(value) is type(expected)


def test_a_stored_type_no_record_holds_is_refused() -> None:
    with pytest.raises(ValueError, match="type B"):
        from_dynamodb({"B": b"x"})


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


def test_one_setting_picks_dynamodb_and_its_two_tables(dynamodb_settings: Settings) -> None:
    store = make_store(dynamodb_settings)
    assert isinstance(store, DynamoDbStore)
    assert (store.table, store.log_table) == (dynamodb_settings.dynamodb_table, dynamodb_settings.dynamodb_log_table)
    config = store.client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.0, 2.0)
    # botocore retries nothing: the deadline client retries reads only (skill.store.deadline_client).
    assert config.retries == {"total_max_attempts": 1, "mode": "standard"}
    assert store.client.attempts == 2
    assert Settings.from_env({"LEGDAY_STORE": "dynamodb"}).store == "dynamodb"
    assert Settings.from_env({}).store == "sqlite"


def test_a_record_is_one_item_holding_json_text_and_its_revision(
    dynamodb_settings: Settings, progress_table: Any
) -> None:
    store = make_store(dynamodb_settings)
    revision = store.save(Owner("amzn1.ask.account.LOCAL-DEVELOPER"), {"rest": 1.5, "sets": [1, 2]}, NO_RECORD)
    item = progress_table.get_item(Key={"id": "amzn1.ask.account.LOCAL-DEVELOPER"})["Item"]
    assert set(item) == {"id", "record", "revision", "updated_at"}
    assert json.loads(item["record"]) == {"rest": 1.5, "sets": [1, 2]} and item["revision"] == revision


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


def test_a_missing_table_is_unhealthy_and_a_spoken_apology_not_a_crash(
    dynamodb_settings: Settings, dynamodb: Any
) -> None:
    settings = dynamodb_settings.replace(dynamodb_table="legday-no-such-table")
    store = make_store(settings)
    with pytest.raises(StoreUnavailable, match="could not read progress"):
        store.load(Owner("amzn1.ask.account.LOCAL-DEVELOPER"))
    assert store.health() is not None and "legday-no-such-table" in store.health()  # type: ignore[operator]
    assert "legday-no-such-table" not in [table.name for table in dynamodb.tables.all()], "the store made a table"
    log_missing = make_store(dynamodb_settings.replace(dynamodb_log_table="legday-no-log"))
    assert "legday-no-log" in (log_missing.health() or "")

    send = sender(as_lambda(make_handler(settings)))
    answer = send("launch")
    assert answer.speech and answer.ends_session is False
    assert "legday-no-such-table" not in answer.speech


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and never answers (a hung proxy, a stuck local server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    acceptor.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()


def test_an_endpoint_that_never_answers_fails_a_call_within_a_few_seconds(
    dynamodb_settings: Settings, silent_endpoint: str
) -> None:
    store = make_store(dynamodb_settings.replace(dynamodb_endpoint=silent_endpoint))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="could not read progress"):
        store.load(Owner("amzn1.ask.account.LOCAL-DEVELOPER"))
    elapsed = time.monotonic() - started
    # Two attempts of a 2 s read timeout, and the retry's short back-off.
    assert 3.5 < elapsed < 6, elapsed


def test_a_turn_on_an_endpoint_that_never_answers_is_answered_inside_alexas_eight_seconds(
    dynamodb_settings: Settings, silent_endpoint: str
) -> None:
    settings = dynamodb_settings.replace(dynamodb_endpoint=silent_endpoint, dynamodb_read_timeout=1.0)
    send = sender(as_lambda(make_handler(settings)))
    started = time.monotonic()
    answer = send("set_done")
    assert time.monotonic() - started < 4
    assert answer.speech and answer.ends_session is False


def test_the_store_imports_and_works_with_no_aws_region_configured(
    dynamodb_endpoint: str, dynamodb_settings: Settings, tmp_path: Path
) -> None:
    # A fresh process: nothing in the store's import or client depends on a configured region.
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(aws_test_environment(tmp_path))
    del environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]
    for name in AWS_VARIABLES_TO_DROP:
        environment.pop(name, None)
    script = f"""
import json
from skill.config import Settings
from skill.store import make_store
from skill.store.records import NO_RECORD, Owner
settings = Settings(store="dynamodb", dynamodb_table={dynamodb_settings.dynamodb_table!r},
                    dynamodb_log_table={dynamodb_settings.dynamodb_log_table!r},
                    dynamodb_endpoint={dynamodb_endpoint!r})
store = make_store(settings)
store.save(Owner("amzn1.ask.account.NO-REGION"), {{"count": 7}}, NO_RECORD)
print(json.dumps(store.load(Owner("amzn1.ask.account.NO-REGION")).attributes))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"count": 7}
