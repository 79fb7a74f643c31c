"""The console's page and JSON API through Flask's test client: session carried as Alexa would, guards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from skill.app import create_app
from skill.config import Settings
from skill.console.transcript import FORMAT, Transcript
from skill.console.web import view_of
from skill.loopback import is_loopback
from skill.local.nlu import default_matcher
from tests.console.conftest import Play, with_console

API_CALLS = [
    ("GET", "/console", None),
    ("GET", "/console/static/console.js", None),
    ("GET", "/console/api/model", None),
    ("POST", "/console/api/turn", {"caller": None, "action": "launch"}),
    ("POST", "/console/api/audio", {"ssml": "<speak>Hi.</speak>"}),
    ("POST", "/console/api/transcript", {"turns": []}),
    ("POST", "/console/api/replay", {"transcript": {}}),
]


def call(client: FlaskClient, method: str, path: str, body: object, **options: object):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path, **options)
    return client.post(path, json=body, **options)


def test_page_and_static_files_are_served_with_a_strict_policy(console: FlaskClient) -> None:
    page = console.get("/console")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<script src="/console/static/console.js"' in html
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    page.close()
    for asset, kind in (("console.js", "javascript"), ("console.css", "text/css")):
        answer = console.get(f"/console/static/{asset}")
        assert answer.status_code == 200
        assert kind in answer.headers["Content-Type"]
        answer.close()


def test_the_page_script_never_writes_html() -> None:
    script = (Path(__file__).parents[2] / "skill" / "console" / "static" / "console.js").read_text(encoding="utf-8")
    assert not re.search(r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write", script)
    assert "textContent" in script


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
    ("localhost", True), ("LOCALHOST", True), ("10.0.0.5", False), ("192.168.1.20", False), ("0.0.0.0", False),
    ("localhost.evil.example", False), ("", False), (None, False),
])
def test_loopback_addresses(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(("method", "path", "body"), API_CALLS)
@pytest.mark.parametrize(("options", "reason"), [
    ({"environ_base": {"REMOTE_ADDR": "192.168.1.20"}}, "only on loopback"),
    ({"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}, "only on loopback"),
    ({"headers": {"X-Forwarded-For": "203.0.113.7"}}, "forwarded"),
    ({"headers": {"Forwarded": "for=203.0.113.7"}}, "forwarded"),
    ({"headers": {"CF-Connecting-IP": "203.0.113.7"}}, "forwarded"),
    ({"headers": {"True-Client-IP": "203.0.113.7"}}, "forwarded"),
    ({"headers": {"Via": "1.1 tunnel.example"}}, "forwarded"),
    ({"headers": {"X-Original-Forwarded-For": "203.0.113.7"}}, "forwarded"),
    ({"headers": {"Host": "rebound.example:5000"}}, "127.0.0.1:PORT"),
])
def test_anything_but_a_local_browser_is_refused(console: FlaskClient, method: str, path: str, body: object,
                                                 options: dict, reason: str) -> None:
    answer = call(console, method, path, body, **options)
    assert answer.status_code == 403
    assert reason in answer.get_json()["error"]


def test_a_post_from_another_origin_is_refused_and_json_is_required(console: FlaskClient) -> None:
    other = console.post("/console/api/turn", json={"caller": None, "action": "launch"},
                         headers={"Origin": "http://evil.example"})
    assert other.status_code == 403
    assert "its own page" in other.get_json()["error"]
    same = console.post("/console/api/turn", json={"caller": None, "action": "launch"},
                        headers={"Origin": "http://localhost"})
    assert same.status_code == 200
    form = console.post("/console/api/turn", data="action=launch", content_type="text/plain")
    assert form.status_code == 415


@pytest.mark.parametrize(("method", "path", "body"), API_CALLS)
def test_outside_development_mode_the_console_is_not_there(tmp_path: Path, method: str, path: str,
                                                           body: object) -> None:
    settings = Settings(data_dir=tmp_path / "data", verify_requests=False, dev=False)
    client = with_console(create_app(settings), settings).test_client()
    answer = call(client, method, path, body)
    assert answer.status_code == 404
    assert "development mode" in answer.get_json()["error"]


def test_suggestions_cover_every_intent_with_samples_and_each_is_understood_as_its_intent(
        console: FlaskClient) -> None:
    model = console.get("/console/api/model").get_json()
    assert model["devices"] == ["speaker", "screen"]
    groups = {group["intent"]: group["utterances"] for group in model["groups"]}
    matcher = default_matcher()
    with_samples = {name for name, intent in matcher.model.intents.items() if intent.samples}
    assert set(groups) == with_samples | {None}
    invocations = [matcher.understand(utterance) for utterance in groups.pop(None)]
    assert invocations[0].launch and all(meaning.one_shot for meaning in invocations[1:])
    for intent, utterances in groups.items():
        assert 1 <= len(utterances) <= 6, intent
        for utterance in utterances:
            assert matcher.understand(utterance).intent == intent, utterance
            assert "{" not in utterance, utterance
    assert any(default_matcher().understand(u).slots for u in groups["StartWorkoutIntent"])


def test_quick_replies_are_all_there_and_each_means_its_intent(console: FlaskClient) -> None:
    from skill.console.suggestions import QUICK_REPLIES

    quick = console.get("/console/api/model").get_json()["quick"]
    assert quick == list(QUICK_REPLIES.values())
    for intent, utterance in QUICK_REPLIES.items():
        assert default_matcher().understand(utterance).intent == intent


def test_the_session_carries_on_from_turn_to_turn_as_alexa_would(play: Play) -> None:
    opened = play("say", "open leg day coach")
    assert opened["turn"]["heard"] == {"request": "LaunchRequest", "intent": None, "slots": {}, "one_shot": False,
                                       "new_session": True}
    assert opened["view"]["session_open"] is True
    session_id = opened["caller"]["session_id"]
    assert opened["turn"]["request"]["session"]["sessionId"] == session_id
    # The session carries the revision of the saved record it last saw; transcripts compare the rest.
    revision = opened["turn"]["response"]["sessionAttributes"]["revision"]
    assert opened["caller"]["attributes"] == opened["turn"]["response"]["sessionAttributes"] == {"pending": "start",
                                                                                            "revision": revision}
    assert opened["turn"]["expected"]["session_attributes"] == {"pending": "start"}

    started = play("say", "yes")
    request = started["turn"]["request"]
    assert request["session"]["new"] is False
    assert request["session"]["sessionId"] == session_id
    assert request["session"]["attributes"] == {"pending": "start", "revision": revision}
    assert started["turn"]["heard"]["intent"] == "AMAZON.YesIntent"
    assert started["turn"]["expected"]["session_attributes"] == {"position": [0, 1]}
    assert "leg day" in started["turn"]["expected"]["speech"]

    done = play("say", "done")
    assert done["turn"]["request"]["session"]["attributes"] == {"position": [0, 1], "revision": revision + 1}
    assert done["turn"]["expected"]["session_attributes"] == {"position": [1, 1]}

    ended = play("end")
    assert ended["turn"]["heard"]["request"] == "SessionEndedRequest"
    assert ended["turn"]["request"]["request"]["reason"] == "USER_INITIATED"
    assert ended["caller"]["session_id"] is None
    assert ended["view"]["session_open"] is False
    again = play("end")
    assert again["turn"] is None
    assert "no session" in again["note"]

    # Progress was saved: a one-shot in a new session goes on from where the user stopped.
    one_shot = play("say", "tell leg day coach I'm done")
    assert one_shot["turn"]["heard"]["one_shot"] is True
    assert one_shot["turn"]["heard"]["new_session"] is True
    assert one_shot["turn"]["expected"]["session_attributes"] == {"position": [2, 1]}
    assert one_shot["caller"]["user_id"] == opened["caller"]["user_id"]


def test_each_page_starts_as_a_new_user(play: Play, console: FlaskClient) -> None:
    first = play("launch")
    other = console.post("/console/api/turn", json={"caller": None, "action": "launch"}).get_json()
    assert first["caller"]["user_id"].startswith("amzn1.ask.account.CONSOLE-")
    assert first["caller"]["user_id"] != other["caller"]["user_id"]


def test_speech_shows_its_breaks_and_slots_their_resolution(play: Play) -> None:
    play("launch")
    started = play("say", "start a fifteen minute beginner leg day with no equipment")
    assert started["turn"]["heard"]["slots"] == {
        "length": {"value": "fifteen minute", "id": "15"},
        "level": {"value": "beginner", "id": "beginner"},
        "equipment": {"value": "no equipment", "id": "bodyweight"},
    }
    for _ in range(4):  # the warm-up flows without rests; the first rest follows the first main set
        rested = play("say", "done")
    parts = rested["view"]["speech_parts"]
    pauses = [part["ms"] for part in parts if part["kind"] == "pause"]
    assert pauses and all(ms > 0 for ms in pauses)
    assert sum(pauses) >= 5000  # a rest: most of it is silence between the spoken marks
    assert parts[0]["kind"] == "say"
    assert " ".join(part["text"] for part in parts if part["kind"] == "say") in rested["turn"]["expected"]["speech"]
    assert rested["view"]["ssml"].startswith("<speak>")


def test_the_person_switch_speaks_as_that_person_and_the_name_shows_as_a_plain_name(play: Play) -> None:
    anna = play("launch", person="amzn1.ask.person.anna")
    assert anna["turn"]["request"]["context"]["System"]["person"] == {"personId": "amzn1.ask.person.anna"}
    assert anna["turn"]["person"] == "amzn1.ask.person.anna"
    assert '<alexa:name type="first" personId="amzn1.ask.person.anna"/>' in anna["view"]["ssml"]
    first_words = anna["view"]["speech_parts"][0]["text"].split()
    assert first_words[1].strip("!,") == "Anna" and "alexa" not in anna["turn"]["expected"]["speech"]
    started = play("say", "start leg day", person="amzn1.ask.person.anna")
    assert started["turn"]["expected"]["session_attributes"] == {"position": [0, 1]}

    nobody = play("say", "how many sets left", person=None)
    assert "person" not in nobody["turn"]["request"]["context"]["System"] and "person" not in nobody["turn"]
    assert "no workout" in nobody["turn"]["expected"]["speech"].lower(), "the account's state, not Anna's"
    ben = play("launch", person="amzn1.ask.person.ben")
    assert "Ben" in ben["turn"]["expected"]["speech"] and ben["turn"]["expected"]["session_attributes"] == {
        "pending": "start"}, "Ben has no workout to resume"


def test_a_transcript_spoken_by_persons_replays_as_them(console: FlaskClient, play: Play) -> None:
    turns = [play("launch", person="amzn1.ask.person.anna")["turn"],
             play("say", "start leg day", person="amzn1.ask.person.anna")["turn"],
             play("launch", person="amzn1.ask.person.ben")["turn"],
             play("launch", person="amzn1.ask.person.anna")["turn"]]
    transcript = console.post("/console/api/transcript", json={"turns": turns}).get_json()
    assert [turn.get("person") for turn in transcript["turns"]] == ["amzn1.ask.person.anna"] * 2 + [
        "amzn1.ask.person.ben", "amzn1.ask.person.anna"]
    report = console.post("/console/api/replay", json={"transcript": transcript}).get_json()
    assert report["ok"] is True, report

    for turn in transcript["turns"]:
        turn.pop("person")
    report = console.post("/console/api/replay", json={"transcript": transcript}).get_json()
    assert report["ok"] is False, "spoken by nobody recognised, the last launch has no workout to resume"


def test_a_screen_device_says_so_and_gets_a_screen_preview(play: Play) -> None:
    speaker = play("launch", device="speaker")
    assert speaker["turn"]["request"]["context"]["System"]["device"]["supportedInterfaces"] == {}
    assert speaker["view"]["screen"] is None
    screen = play("say", "why train legs", device="screen")
    interfaces = screen["turn"]["request"]["context"]["System"]["device"]["supportedInterfaces"]
    assert "Alexa.Presentation.APL" in interfaces
    assert screen["turn"]["device"] == "screen"
    # One preview per RenderDocument directive (none until the skill draws on screens).
    directives = screen["turn"]["response"]["response"].get("directives", [])
    rendered = [d for d in directives if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
    assert [document["datasources"] for document in screen["view"]["screen"]["documents"]] == \
        [d.get("datasources", {}) for d in rendered]


def test_the_screen_preview_shows_a_render_document_s_datasources() -> None:
    turn = Transcript.from_dict({"format": FORMAT, "version": 1, "turns": [{
        "action": "launch", "device": "screen", "heard": {"request": "LaunchRequest"},
        "expected": {"speech": "Hi."},
        "response": {"response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Hi.</speak>"}, "directives": [{
            "type": "Alexa.Presentation.APL.RenderDocument", "token": "exercise",
            "document": {"type": "APL"},
            "datasources": {"exercise": {"type": "object", "title": "Goblet squat", "sets": "Set 1 of 3",
                                         "image": "https://example.com/squat.png", "cues": ["Chest up", "Knees out"]}},
        }, {"type": "Dialog.Delegate"}]}},
    }]}).turns[0]
    view = view_of(turn, session_open=True)
    assert view["screen"]["documents"] == [{
        "token": "exercise",
        "datasources": turn.response["response"]["directives"][0]["datasources"],
        "texts": ["Goblet squat", "Set 1 of 3", "Chest up", "Knees out"],
    }]
    assert view["speech_parts"] == [{"kind": "say", "text": "Hi."}]


def test_the_screen_preview_puts_title_like_fields_first_and_skips_icons_and_links() -> None:
    turn = Transcript.from_dict({"format": FORMAT, "version": 1, "turns": [{
        "action": "launch", "device": "screen", "heard": {"request": "LaunchRequest"}, "expected": {},
        "response": {"response": {"directives": [{
            "type": "Alexa.Presentation.APL.RenderDocument", "token": "t",
            "datasources": {"data": {"amount": "10 reps", "icon": "warmup", "cues": ["Chest up"], "heading": "Warm-up",
                                     "logo": "https://example.com/logo.png", "title": "Leg swing", "seconds": 0}},
        }]}},
    }]}).turns[0]
    assert view_of(turn, session_open=True)["screen"]["documents"][0]["texts"] == [
        "Leg swing", "Warm-up", "10 reps", "Chest up"]


def test_a_speaker_gets_no_screen_preview_even_with_a_directive() -> None:
    turn = Transcript.from_dict({"format": FORMAT, "version": 1, "turns": [{
        "action": "launch", "device": "speaker", "heard": {"request": "LaunchRequest"}, "expected": {},
        "response": {"response": {"directives": [{"type": "Alexa.Presentation.APL.RenderDocument"}]}},
    }]}).turns[0]
    assert view_of(turn, session_open=False)["screen"] is None
    assert view_of(turn, session_open=False)["speech_parts"] == []


def test_audio_renders_the_reply_with_its_real_pauses_and_is_playable(console: FlaskClient) -> None:
    answer = console.post("/console/api/audio", json={
        "ssml": '<speak>Rest 5 seconds. <break time="4000ms"/> 1. <break time="800ms"/> Go!</speak>'})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    clip = answer.get_json()
    assert re.fullmatch(r"/audio/[0-9a-f]{32}\.mp3", clip["src"])
    assert clip["engines"] == ["espeak-ng"]
    assert 4.8 <= clip["seconds"] <= 12
    mp3 = console.get(clip["src"])
    assert mp3.status_code == 200
    assert mp3.mimetype == "audio/mpeg"
    assert len(mp3.get_data()) > 1000
    mp3.close()


@pytest.mark.parametrize(("body", "message"), [
    ({"caller": None, "action": "shout"}, "action must be one of"),
    ({"caller": None, "action": "say", "utterance": "  "}, "type something"),
    ({"caller": None, "action": "say", "utterance": "done " * 200}, "at most 500"),
    ({"caller": None, "action": "launch", "device": "fridge"}, "device must be one of"),
    ({"caller": "me", "action": "launch"}, "caller must be an object"),
    ({"caller": {"user_id": 7}, "action": "launch"}, "caller.user_id"),
    ({"caller": {"user_id": "u", "attributes": []}, "action": "launch"}, "caller.attributes"),
    ({"caller": {"user_id": "u", "new_session": "yes"}, "action": "launch"}, "caller.new_session"),
    ({"caller": None, "action": "launch", "person": "anna smith"}, "person must be a short id"),
    ({"caller": None, "action": "launch", "person": ""}, "person must be a short id"),
    ({"caller": None, "action": "launch", "person": "a" * 101}, "person must be a short id"),
    ({"caller": None, "action": "launch", "person": 7}, "person must be a short id"),
    ({"caller": None, "action": "launch", "person": ["anna"]}, "person must be a short id"),
])
def test_bad_turn_requests_get_a_400_with_a_reason(console: FlaskClient, body: dict, message: str) -> None:
    answer = console.post("/console/api/turn", json=body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/console/api/audio", {"ssml": 5}, "ssml must be a string"),
    ("/console/api/transcript", {"turns": []}, "no turns"),
    ("/console/api/transcript", {"turns": [{"action": "say", "device": "speaker"}]}, "non-empty utterance"),
    ("/console/api/transcript", {"turns": [{"action": "launch", "person": "<b>", "heard": {"request": "x"},
                                            "expected": {}}]}, "person must be a short id"),
    ("/console/api/replay", {"transcript": {"format": "something else"}}, "not a console transcript"),
    ("/console/api/replay", {}, "not a console transcript"),
])
def test_bad_api_bodies_get_a_400_with_a_reason(console: FlaskClient, path: str, body: dict, message: str) -> None:
    answer = console.post(path, json=body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]


def test_a_saved_transcript_replays_through_the_api(console: FlaskClient, play: Play) -> None:
    turns = [play("say", "open leg day coach")["turn"], play("say", "start leg day")["turn"],
             play("say", "done")["turn"], play("say", "stop")["turn"]]
    saved = console.post("/console/api/transcript", json={"turns": turns})
    assert saved.status_code == 200
    assert "attachment" in saved.headers["Content-Disposition"]
    transcript = saved.get_json()
    assert transcript["format"] == FORMAT and len(transcript["turns"]) == 4
    report = console.post("/console/api/replay", json={"transcript": transcript}).get_json()
    assert report["ok"] is True, report
    assert report["summary"] == "replayed 4 turns: 4 matched, 0 differed"
    assert [turn["ok"] for turn in report["turns"]] == [True] * 4

    transcript["turns"][2]["expected"]["session_attributes"] = {"position": [5, 1]}
    report = console.post("/console/api/replay", json={"transcript": transcript}).get_json()
    assert report["ok"] is False
    assert report["turns"][2]["differences"] == [
        'session attributes: expected {"position": [5, 1]}, got {"position": [1, 1]}']
