"""The HTTP edge: bad input is a 4xx with a short JSON reason, never a 500 or a traceback."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from skill.app import create_app
from tests.conftest import read_request


def test_healthz_answers(client: FlaskClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "store": "sqlite", "verify_requests": False}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "request body is not an Alexa request: not valid JSON"),
        (b"[1, 2, 3]", "request body is not an Alexa request"),
        (b"{}", "missing version"),
        (b'{"version": "1.0", "request": {"type": "NoSuchRequest"}}', "request body is not an Alexa request"),
        (b"\xff\xfe\x00", "request body is not UTF-8 text"),
        (b"", "request body is not an Alexa request"),
    ],
)
def test_malformed_bodies_are_refused_with_a_reason(client: FlaskClient, body: bytes, reason: str) -> None:
    answer = client.post("/alexa", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert reason in answer.get_json()["error"]
    assert "Traceback" not in answer.get_data(as_text=True)


def test_an_envelope_without_a_user_is_refused(client: FlaskClient) -> None:
    body = read_request("launch")
    del body["context"]["System"]["user"]
    answer = client.post("/alexa", json=body)
    assert answer.status_code == 400
    assert "context.System.user.userId" in answer.get_json()["error"]


@pytest.mark.parametrize("part", ["request", "session", "context"])
def test_an_envelope_naming_python_internals_is_refused(client: FlaskClient, part: str) -> None:
    body = read_request("set_done")
    body[part]["__dict__"] = {}  # would wipe the part's fields, which the SDK reads before any handler runs
    answer = client.post("/alexa", json=body)
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith("request body is not an Alexa request: '__dict__' is not a field")


def test_oversized_bodies_are_refused_before_parsing(tmp_path) -> None:
    client = create_app({"data_dir": tmp_path, "verify_requests": False, "max_body_bytes": 2048}).test_client()
    body = read_request("launch")
    body["padding"] = "x" * 4096
    answer = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 413
    assert "error" in answer.get_json()


def test_wrong_method_and_unknown_path_get_json_errors(client: FlaskClient) -> None:
    assert client.get("/alexa").status_code == 405
    assert "error" in client.get("/alexa").get_json()
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert "error" in missing.get_json()


def test_verification_is_on_by_default_and_refuses_unsigned_requests(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("LEGDAY_VERIFY_REQUESTS", raising=False)
    client = create_app({"data_dir": tmp_path}).test_client()
    answer = client.post("/alexa", json=read_request("launch"))
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith("request verification failed")


def test_other_skill_ids_are_refused_when_a_skill_id_is_set(tmp_path) -> None:
    client = create_app(
        {"data_dir": tmp_path, "verify_requests": False, "skill_id": "amzn1.ask.skill.the-real-one"}
    ).test_client()
    answer = client.post("/alexa", json=read_request("launch"))
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "request is for a different skill"

    mine = read_request("launch")
    mine["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.the-real-one"
    mine["session"]["application"]["applicationId"] = "amzn1.ask.skill.the-real-one"
    assert client.post("/alexa", json=mine).status_code == 200


def test_speech_with_xml_characters_is_escaped(client: FlaskClient) -> None:
    body = read_request("exercise_info_unknown")
    body["request"]["intent"]["slots"]["exercise"]["value"] = "squats & <lunges>"
    answer = client.post("/alexa", json=body)
    assert answer.status_code == 200
    ssml = answer.get_json()["response"]["outputSpeech"]["ssml"]
    assert "squats &amp; &lt;lunges&gt;" in ssml


def test_session_attributes_json_text_can_hardly_hold_are_handed_back_intact(client: FlaskClient) -> None:
    body = read_request("session_ended")
    kept = {"count": 2**70, "note": "\ud800 half of a pair", "name": "Zoë 💪"}
    body["session"]["attributes"] = kept
    answer = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    assert answer.content_type == "application/json"
    assert json.loads(answer.get_data(as_text=True))["sessionAttributes"] == kept
