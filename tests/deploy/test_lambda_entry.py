"""The Lambda entry: real Alexa event JSON in, the same answers as the Flask endpoint out."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_runtime.exceptions import AskSdkException

from skill import lambda_function
from skill.app import create_app
from skill.config import Settings
from skill.lambda_function import lambda_settings, make_handler
from skill.local.conversation import in_process
from skill.store.records import REVISION_KEY
from tests.conftest import REQUESTS_DIR, read_request, with_changes
from tests.deploy.conftest import FakeLambdaContext, Transport, as_lambda, stored_record

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(path.stem for path in REQUESTS_DIR.glob("*.json"))
SEED = 20261125
NOT_ON_LAMBDA = ("flask", "werkzeug", "gtts", "jinja2", "click", "lameenc", "miniaudio")

# A conversation that touches the store on every turn, across three sessions.
CONVERSATION = (
    "launch", "start_workout", "set_done", "exercise_info_lunge", "set_done", "progress", "set_rest_shorter",
    "skip_exercise", "previous", "repeat", "help", "pause", "resume", "why_train_legs", "fallback",
    "set_done", "stop", "launch", "yes", "set_done", "session_ended",
)


def flask_and_lambda(tmp_path: Path, lambda_settings: Settings | None = None) -> tuple[Transport, Transport]:
    """A Flask app and a Lambda entry, each with its own empty store, choosing prompt variants alike."""
    flask_settings = Settings(data_dir=tmp_path / "flask", verify_requests=False)
    lambda_side = lambda_settings or Settings(data_dir=tmp_path / "lambda", verify_requests=False)
    return (
        in_process(create_app(flask_settings, rng=random.Random(SEED))),
        as_lambda(make_handler(lambda_side, rng=random.Random(SEED))),
    )


def without_revision(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer less the saved record's revision: new records start at a random one, and only
    SQLite keeps revisions (DynamoDB reads every turn), so it differs between two stores."""
    revision = answer.get("sessionAttributes", {}).pop(REVISION_KEY, None)
    assert revision is None or type(revision) is int
    return answer


def test_importing_the_entry_loads_no_web_server_no_speech_engine_and_no_boto3() -> None:
    script = "import json, sys, skill.lambda_function; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert loaded.isdisjoint(NOT_ON_LAMBDA)
    assert "boto3" not in loaded, "boto3 should wait for the first event (and only for LEGDAY_STORE=dynamodb)"


def test_on_lambda_the_store_is_dynamodb_unless_the_environment_says_otherwise() -> None:
    assert lambda_settings({}).store == "dynamodb"
    assert lambda_settings({"LEGDAY_DYNAMODB_TABLE": "t"}).dynamodb_table == "t"
    assert lambda_settings({"LEGDAY_STORE": "sqlite"}).store == "sqlite"


def test_on_lambda_the_data_dir_is_the_temporary_dir_and_platformdirs_is_not_imported(tmp_path: Path) -> None:
    assert lambda_settings({}).data_dir == Path(tempfile.gettempdir()) / "legday"
    assert lambda_settings({"LEGDAY_DATA_DIR": str(tmp_path)}).data_dir == tmp_path
    script = "import sys; from skill.lambda_function import lambda_settings; lambda_settings(); print(sorted(sys.modules))"
    env = {name: value for name, value in os.environ.items() if name != "LEGDAY_DATA_DIR"}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert "'platformdirs'" not in result.stdout, "only a local run's default data dir needs platformdirs"


def test_the_handler_builds_the_skill_once_per_container(
    monkeypatch: pytest.MonkeyPatch, aws_env: dict[str, str], dynamodb_endpoint: str, progress_table: Any
) -> None:
    monkeypatch.delenv("LEGDAY_STORE", raising=False)
    monkeypatch.setenv("LEGDAY_DYNAMODB_TABLE", progress_table.name)
    monkeypatch.setenv("LEGDAY_DYNAMODB_ENDPOINT", dynamodb_endpoint)
    monkeypatch.setenv("LEGDAY_SKILL_ID", "amzn1.ask.skill.00000000-0000-0000-0000-000000000000")
    lambda_function.container_handler.cache_clear()
    try:
        launch = lambda_function.handler(read_request("launch"), FakeLambdaContext())
        helped = lambda_function.handler(
            with_changes(read_request("help"), attributes=launch["sessionAttributes"]), FakeLambdaContext()
        )
        built = lambda_function.container_handler.cache_info()
    finally:
        lambda_function.container_handler.cache_clear()
    assert (built.misses, built.hits) == (1, 1)
    assert launch["response"]["shouldEndSession"] is False
    assert helped["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert stored_record(progress_table) is not None, "the default store on Lambda is DynamoDB"


@pytest.mark.parametrize("sample", SAMPLES)
def test_lambda_answers_every_sample_request_like_the_flask_endpoint(
    sample: str, tmp_path: Path
) -> None:
    flask, on_lambda = flask_and_lambda(tmp_path)
    body = read_request(sample)
    assert without_revision(on_lambda(body)) == without_revision(flask(body))


@pytest.mark.slow  # starts a DynamoDB-compatible server
def test_a_conversation_goes_alike_on_flask_with_sqlite_and_lambda_with_dynamodb(
    tmp_path: Path, dynamodb_settings: Settings
) -> None:
    flask, on_lambda = flask_and_lambda(tmp_path, dynamodb_settings)
    sides: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"flask": flask, "lambda": on_lambda}
    attributes: dict[str, Any] = {}
    session, new = 0, True
    for turn, sample in enumerate(CONVERSATION):
        body = with_changes(
            read_request(sample), new=new, session_id=f"amzn1.echo-api.session.{session}", attributes=attributes
        )
        answers = {side: without_revision(send(body)) for side, send in sides.items()}
        assert answers["lambda"] == answers["flask"], f"turn {turn}: {sample}"
        if answers["flask"]["response"].get("shouldEndSession") is False:
            attributes, new = answers["flask"].get("sessionAttributes", {}), False
        else:
            attributes, session, new = {}, session + 1, True


def test_both_entries_read_requests_with_the_skills_own_serializer(tmp_path: Path) -> None:
    # The skill's serializer refuses a payload key naming a Python internal, where the SDK's
    # default one sets it: a request both entries refuse shows both read with the skill's.
    flask_app = create_app(Settings(data_dir=tmp_path / "flask", verify_requests=False))
    on_lambda = as_lambda(make_handler(Settings(data_dir=tmp_path / "lambda", verify_requests=False)))
    body = read_request("launch")
    body["request"]["__dict__"] = {}
    answer = flask_app.test_client().post("/alexa", json=body)
    assert answer.status_code == 400
    assert "'__dict__' is not a field of LaunchRequest" in answer.get_json()["error"]
    with pytest.raises(SerializationException, match="'__dict__' is not a field of LaunchRequest"):
        on_lambda(body)


def test_a_request_for_another_skill_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, verify_requests=False, skill_id="amzn1.ask.skill.ours")
    on_lambda = as_lambda(make_handler(settings))
    with pytest.raises(AskSdkException, match="Skill ID Verification failed"):
        on_lambda(read_request("launch"))
