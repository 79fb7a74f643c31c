"""A person Alexa recognised is greeted by name with Alexa's own tag (the skill never learns the name);
anyone else is not; local tools read the tag as a plain name."""

from __future__ import annotations

import pytest

from audio.script import Say, parse
from skill.local.conversation import Conversation
from skill.ssml import plain_text
from tests.conftest import Send, read_request
from tests.robustness.alexa_response import NAME_TAG, check_response_envelope, ssml_tree
from tests.state.conftest import as_person

ANNA = "amzn1.ask.person.ANNA"


def name_tags(ssml: str) -> list[dict[str, str]]:
    """The attributes of every ``<alexa:name>`` in ``ssml``, read as XML."""
    return [dict(element.attrib) for element in ssml_tree(ssml).iter(NAME_TAG)]


@pytest.mark.parametrize("request_name", ["launch", "launch_person"])
def test_the_welcome_greets_a_recognised_person_with_alexas_name_tag(send: Send, request_name: str) -> None:
    answer = send(as_person(read_request(request_name), ANNA))
    check_response_envelope(answer.body, len(str(answer.body)))
    assert answer.ssml.count(f'<alexa:name type="first" personId="{ANNA}"/>') == 1
    assert answer.ssml.count("<alexa:name") == 1
    assert name_tags(answer.ssml) == [{"type": "first", "personId": ANNA}]
    assert "alexa:name" not in str(answer.response["reprompt"]), "the name is spoken once, in the welcome"
    assert answer.speech.split()[1].strip("!,") == "Anna", "read locally as the person id's word"


def test_a_voice_alexa_does_not_recognise_is_welcomed_without_a_name(send: Send) -> None:
    answer = send(as_person(read_request("launch_person"), None))
    assert "alexa:name" not in answer.ssml and "Anna" not in answer.speech
    assert answer.speech.startswith(("Welcome to Leg Day Coach", "Hi, I'm your Leg Day Coach"))


def test_a_person_id_is_written_into_the_tag_escaped_and_everything_else_stays_escaped(send: Send) -> None:
    odd = 'amzn1.ask.person.A"B&C<D>'
    answer = send(as_person(read_request("launch"), odd))
    check_response_envelope(answer.body, len(str(answer.body)))
    assert name_tags(answer.ssml) == [{"type": "first", "personId": odd}]
    assert answer.speech.split()[1].strip("!,") == "friend", "an id that is no word reads as friend"


def test_a_returning_person_with_a_workout_is_greeted_then_offered_to_resume(send: Send) -> None:
    started = send(as_person(read_request("start_workout"), ANNA))
    send(as_person(read_request("set_done"), ANNA), attributes=started.attributes)
    answer = send(as_person(read_request("launch"), ANNA))
    assert answer.ssml.count("<alexa:name") == 1 and answer.attributes["pending"] == "resume"


@pytest.mark.parametrize(("ssml", "spoken"), [
    (f'<speak>Hi <alexa:name type="first" personId="{ANNA}"/>! Ready?</speak>', "Hi Anna! Ready?"),
    ('<speak>Hi <alexa:name type="first" personId="amzn1.ask.person.AFQX3ZS2K7WZDFHJ6LSYQ2"/>!</speak>', "Hi friend!"),
    ("<speak>Hi <alexa:name type='first' personId='amzn1.ask.person.ben'/>.</speak>", "Hi Ben."),
    ('<speak>Hi <alexa:name type="first"/>.</speak>', "Hi friend."),
])
def test_local_tools_read_the_name_tag_as_a_plain_name(ssml: str, spoken: str) -> None:
    assert plain_text(ssml) == spoken
    script = parse(ssml)
    assert " ".join(script.says) == spoken and script.well_formed


def test_broken_markup_still_reads_the_name_tag_as_a_name() -> None:
    script = parse(f'<speak>Hi <alexa:name type="first" personId="{ANNA}"/> & welcome <emphasis>back</speak>')
    assert not script.well_formed and script.segments[0] == Say("Hi Anna & welcome back")


def test_legday_say_as_a_person_prints_the_greeting_with_a_plain_name(conversation: Conversation) -> None:
    conversation.caller.person_id = "amzn1.ask.person.anna"
    _, exchange = conversation.say("open leg day coach")
    assert exchange.request["context"]["System"]["person"] == {"personId": "amzn1.ask.person.anna"}
    assert exchange.speech.split()[1].strip("!,") == "Anna"
