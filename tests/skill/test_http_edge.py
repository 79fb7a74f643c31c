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


# --- errors a developer reads ----------------------------------------------------------------


def test_a_json_list_is_refused_in_the_projects_words(client: FlaskClient) -> None:
    answer = client.post("/alexa", data=b"[1,2]", content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json()["error"] == ("request body is not an Alexa request: it must be a JSON object "
                                          "(an Alexa request envelope), as Alexa sends")


def test_a_300_kb_body_is_refused_naming_the_limit_and_the_setting(client: FlaskClient) -> None:
    answer = client.post("/alexa", data=b"{" + b" " * 300_000 + b"}", content_type="application/json")
    assert answer.status_code == 413
    error = answer.get_json()["error"]
    assert "larger than the limit of 131072 bytes" in error and "LEGDAY_MAX_BODY_BYTES" in error


@pytest.mark.parametrize("dev", [False, True])
def test_the_root_path_names_the_endpoints(settings, dev: bool) -> None:
    client = create_app(settings.replace(dev=dev)).test_client()
    answer = client.get("/")
    assert answer.status_code == 404
    error = answer.get_json()["error"]
    assert "POST /alexa" in error and "GET /healthz" in error
    assert ("/console" in error) is dev
    assert "POST /alexa" in client.get("/alexa").get_json()["error"]


# --- JSON too deep -------------------------------------------------------------------------


def nested(levels: int) -> object:
    value: object = "bottom"
    for level in range(levels):
        value = {"d": value} if level % 2 else [value]
    return value


@pytest.mark.parametrize("levels", [70, 500, 950, 50_000])
def test_json_nested_too_deep_is_a_400_with_one_log_line(client: FlaskClient, caplog: pytest.LogCaptureFixture,
                                                         levels: int) -> None:
    body = read_request("set_done")
    body["session"]["attributes"]["deep"] = "DEEP"
    raw = json.dumps(body).replace('"DEEP"', "[" * levels + "]" * levels)
    with caplog.at_level("DEBUG"):
        answer = client.post("/alexa", data=raw, content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "request body is not an Alexa request: JSON nested deeper than 64 levels"
    assert [record.getMessage() for record in caplog.records] == [
        "refused a request: JSON nested deeper than 64 levels"]
    assert all(record.exc_info is None for record in caplog.records)


def test_nesting_within_the_bound_is_answered(client: FlaskClient) -> None:
    body = read_request("session_ended")
    body["session"]["attributes"]["deep"] = nested(50)
    assert client.post("/alexa", data=json.dumps(body), content_type="application/json").status_code == 200


def test_brackets_inside_strings_do_not_count_as_nesting(client: FlaskClient) -> None:
    body = read_request("session_ended")
    body["session"]["attributes"]["note"] = "[{" * 500 + '\\"' + "}]" * 500
    assert client.post("/alexa", data=json.dumps(body), content_type="application/json").status_code == 200


# --- development mode stays on this machine ----------------------------------------------------


@pytest.fixture
def dev_client(settings) -> FlaskClient:
    return create_app(settings.replace(dev=True)).test_client()


def test_a_cross_site_text_plain_post_cannot_drive_the_dev_endpoint(dev_client: FlaskClient) -> None:
    launch = json.dumps(read_request("start_workout"))
    answer = dev_client.post("/alexa", data=launch, content_type="text/plain",
                             headers={"Origin": "http://evil.example", "Host": "evil.example"})
    assert answer.status_code == 403
    # The page's next move (with a loopback Host) is refused for its origin, and nothing was started.
    answer = dev_client.post("/alexa", data=launch, content_type="text/plain",
                             headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403 and "evil.example" in answer.get_json()["error"]
    answer = dev_client.post("/alexa", data=launch, content_type="text/plain", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    opened = dev_client.post("/alexa", json=read_request("launch")).get_json()
    assert "Shall we start?" in opened["response"]["outputSpeech"]["ssml"]  # no workout was started


@pytest.mark.parametrize("headers", [
    {"Host": "legday.example.com"},
    {"Host": "127.0.0.1.nip.io:5000"},
    {"Origin": "null"},
], ids=["foreign-host", "rebinding-name", "null-origin"])
def test_the_dev_endpoint_refuses_foreign_hosts_and_origins(dev_client: FlaskClient, headers: dict) -> None:
    assert dev_client.post("/alexa", json=read_request("launch"), headers=headers).status_code == 403


PROXY_HEADERS = ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP", "Via",
                 "CF-Connecting-IP", "True-Client-IP", "X-Original-Forwarded-For", "Fastly-Client-IP",
                 "X-Client-IP", "X-Cluster-Client-IP", "X-Originating-IP", "Client-IP"]


@pytest.mark.parametrize("header", PROXY_HEADERS)
def test_the_dev_endpoint_refuses_anything_that_came_through_a_proxy(dev_client: FlaskClient, header: str) -> None:
    answer = dev_client.post("/alexa", json=read_request("launch"), headers={header: "203.0.113.7"})
    assert answer.status_code == 403
    assert "forwarded" in answer.get_json()["error"]


def test_the_dev_endpoint_answers_this_machine(dev_client: FlaskClient) -> None:
    for headers in ({}, {"Origin": "http://localhost"}, {"Host": "127.0.0.1:5000", "Origin": "http://127.0.0.1:5000"},
                    {"Sec-Fetch-Site": "same-origin"}):
        assert dev_client.post("/alexa", json=read_request("launch"), headers=headers).status_code == 200


def test_a_dev_request_from_another_machine_is_refused(dev_client: FlaskClient) -> None:
    answer = dev_client.post("/alexa", json=read_request("launch"), environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert answer.status_code == 403
