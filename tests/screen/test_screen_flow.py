"""An Echo Show gets a screen on every workout turn, a speaker never does; touches work like words."""

from __future__ import annotations

from typing import Any

import pytest

from skill.content import load_content
from skill.workout.plan import PlanOptions, build_plan
from tests.conftest import Answer, Send, read_request, with_changes
from tests.screen.test_apl_document import bound_paths

MAX_TURNS = 200
RENDER = "Alexa.Presentation.APL.RenderDocument"


def renders(answer: Answer) -> list[dict[str, Any]]:
    return [d for d in answer.response.get("directives") or [] if d.get("type") == RENDER]


def data(answer: Answer) -> dict[str, Any]:
    [directive] = renders(answer)
    return directive["datasources"]["legday"]


def whole_workout(send: Send, *, screen: bool) -> list[Answer]:
    answers = [send("start_workout_advanced_barbell", screen=screen)]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        answers.append(send("set_done", attributes=answers[-1].attributes, screen=screen))
    return answers


def test_every_workout_turn_on_a_screen_device_renders_the_set(send: Send) -> None:
    answers = whole_workout(send, screen=True)
    plan = build_plan(PlanOptions("advanced", 45, "barbell"), load_content())
    assert len(answers) == sum(item.sets for item in plan) + 1
    paths = bound_paths()
    for answer in answers:
        [directive] = renders(answer)
        assert directive["token"] == "legday-workout"
        assert directive["document"]["type"] == "APL"
        for path in paths:  # every field the document binds is in what was sent
            node: Any = directive["datasources"]
            for part in path.split("."):
                node = node[part]
    first = data(answers[0])
    assert (first["title"], first["setLine"], first["heading"]) == ("Leg swing", "Set 1 of 1", "Warm-up")
    assert first["rest"]["seconds"] == 0 and first["buttons"] is True
    assert first["cues"] == list(load_content().exercise("leg_swing").cues)

    rests = [answer for answer in answers if "Rest 2 and a half minutes" in answer.speech]
    assert rests
    rest = data(rests[0])
    assert rest["rest"]["seconds"] == 150
    assert rest["rest"]["note"] == "Next: Squat, set 2 of 3"
    assert (rest["title"], rest["setLine"], rest["amount"]) == ("Squat", "Set 2 of 3", "3 to 6 reps")

    finale = data(answers[-1])
    assert finale["heading"] == "Leg day done" and finale["buttons"] is False


def test_a_speaker_gets_no_screen_and_the_same_words(send: Send) -> None:
    on_screen = whole_workout(send, screen=True)
    send("session_ended", new=True)
    spoken = whole_workout(send, screen=False)
    assert all(not answer.response.get("directives") for answer in spoken)
    assert len(spoken) == len(on_screen)


def test_touching_done_and_skip_works_like_saying_them(send: Send) -> None:
    first = send("start_workout", screen=True)
    done = send("screen_touch_done", attributes=first.attributes)
    assert done.attributes["position"] == [1, 1]
    assert "Hip hinge drill" in done.speech
    assert data(done)["title"] == "Hip hinge drill"

    skip = with_changes(read_request("screen_touch_done"), attributes=done.attributes)
    skip["request"]["arguments"] = ["skip"]
    skipped = send(skip)
    assert "Skipping the hip hinge drill" in skipped.speech
    assert skipped.attributes["position"] == [2, 1]


@pytest.mark.parametrize("arguments", [["dance"], [], [42], None])
def test_other_screen_events_get_the_fallback(send: Send, arguments: Any) -> None:
    first = send("start_workout", screen=True)
    event = with_changes(read_request("screen_touch_done"), attributes=first.attributes)
    event["request"]["arguments"] = arguments
    answer = send(event)
    assert "Sorry, I didn't get that" in answer.speech
    assert answer.attributes["position"] == [0, 1]


def test_without_a_workout_nothing_is_rendered(send: Send) -> None:
    assert not renders(send("help", screen=True))
    assert not renders(send("why_train_legs", screen=True))
