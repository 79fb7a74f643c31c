"""The training log by voice, through the HTTP endpoint with real request envelopes: loads said in
kilos and pounds, the next workout's suggestion, personal bests, check-backs, the unit switch and
the end-of-workout card."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from skill.content import load_content
from skill.store.records import Owner
from skill.store.sqlite import SQLiteStore
from skill.workout.plan import PlanItem, PlanOptions, build_plan
from tests.conftest import Answer, Send, read_request
from tests.skill.test_workout_flow import saved_record

LOCAL_DEVELOPER = Owner("amzn1.ask.account.LOCAL-DEVELOPER")

MAX_TURNS = 80
# What to say for one set: a request body, given the plan item and its set number.
Say = Callable[[PlanItem, int], dict[str, Any]]



def saved_summary(settings) -> dict[str, Any]:
    """The training summary the store keeps apart from the live record, read as a new worker would."""
    store = SQLiteStore(settings.database_path)
    summary = store.load_summary(LOCAL_DEVELOPER, store.load(LOCAL_DEVELOPER).summary_at)
    assert summary is not None, "no summary was saved"
    return summary

def in_locale(body: dict[str, Any], locale: str) -> dict[str, Any]:
    body["request"]["locale"] = locale
    return body


def done(locale: str = "en-US") -> dict[str, Any]:
    return in_locale(read_request("set_done"), locale)


def said(locale: str = "en-US", *, reps: int | None = None, load: int | None = None, unit: str | None = None,
         fraction: str | None = None, effort: str | None = None) -> dict[str, Any]:
    """A LogSetIntent as Alexa sends it: the slots heard filled (resolved where Alexa resolves them), the rest empty."""
    body = in_locale(read_request("log_set"), locale)
    slots = body["request"]["intent"]["slots"]
    template = copy.deepcopy(slots["unit"])
    for name in ("reps", "load"):
        value = {"reps": reps, "load": load}[name]
        slots[name] = ({"name": name, "confirmationStatus": "NONE"} if value is None
                       else {**slots[name], "value": str(value), "slotValue": {"type": "Simple", "value": str(value)}})
    for name, kind, value in (("unit", "WEIGHT_UNIT", unit), ("fraction", "LOAD_FRACTION", fraction),
                              ("effort", "EFFORT", effort)):
        if value is None:
            slots[name] = {"name": name, "confirmationStatus": "NONE"}
            continue
        slot = copy.deepcopy(template)
        slot["name"] = name
        slot["value"] = slot["slotValue"]["value"] = value
        authority = slot["resolutions"]["resolutionsPerAuthority"][0]
        authority["authority"] = authority["authority"].rsplit(".", 1)[0] + f".{kind}"
        authority["values"][0]["value"] = {"name": value, "id": value}
        slots[name] = slot
    return body


def start_body(options: PlanOptions, locale: str) -> dict[str, Any]:
    body = in_locale(read_request("start_workout_advanced_barbell"), locale)
    slots = body["request"]["intent"]["slots"]
    for name, value in (("level", options.level), ("length", str(options.length)), ("equipment", options.equipment)):
        slots[name]["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] = value
        slots[name]["value"] = value
    return body


def workout(send: Send, options: PlanOptions, say: Say, locale: str = "en-US") -> list[Answer]:
    """A whole workout: each set answered with ``say`` (plain "done" where it returns None)."""
    plan = build_plan(options, load_content())
    answers = [send(start_body(options, locale))]
    while answers[-1].ends_session is False:
        assert len(answers) < MAX_TURNS, "the workout never ended"
        position, set_number = answers[-1].attributes["position"]
        body = say(plan[position], set_number) or done(locale)
        answers.append(send(body, attributes=answers[-1].attributes))
    return answers


def working(item: PlanItem, exercise: str) -> bool:
    return item.exercise_id == exercise and item.block == "main" and not item.ramp_up


def intro_of(answers: list[Answer], text: str) -> str:
    return next(answer.speech for answer in answers if text in answer.speech)


INTERMEDIATE_BARBELL = PlanOptions("intermediate", 30, "barbell")
BEGINNER_DUMBBELLS = PlanOptions("beginner", 30, "dumbbells")


def test_loads_in_kilos_every_set_at_the_top_of_the_range_and_next_time_a_step_up(send: Send, settings) -> None:
    def squat_ten_at_sixty(item: PlanItem, number: int) -> dict[str, Any] | None:
        return said("en-GB", reps=10, load=60, unit="kg") if working(item, "squat") else None

    first = workout(send, INTERMEDIATE_BARBELL, squat_ten_at_sixty, "en-GB")
    assert "First time with weight on this one: pick a weight you could lift two more times" in intro_of(
        first, "Now your working weight")
    assert sum("10 at 60 kilos." in answer.speech for answer in first) == 3
    finale = first[-1]
    assert "You moved 1800 kilos in all." in finale.speech
    assert "Next time: squat up to 62 and a half kilos." in finale.speech
    card = finale.response["card"]
    assert card["type"] == "Simple" and card["title"] == "Leg day done"
    assert "Volume: 1800 kilos." in card["content"] and "Next time: squat 62 and a half kilos." in card["content"]

    second = workout(send, INTERMEDIATE_BARBELL, lambda item, number: None, "en-GB")
    intro = intro_of(second, "Now your working weight")
    assert "Last time 60 kilos for 10, 10 and 10." in intro
    assert "62 and a half kilos today." in intro
    # A plain "done" logged the suggested load: the next time starts from 62.5 kg for 6 (the bottom of 6-10).
    squat = saved_summary(settings)["exercises"]["squat"]["sets"]
    assert [(logged.get("load"), logged.get("unit"), logged["reps"]) for logged in squat][-3:] == [(62.5, "kg", 6)] * 3


def test_pounds_by_default_in_en_us_and_too_heavy_brings_the_load_down(send: Send) -> None:
    def goblet(item: PlanItem, number: int) -> dict[str, Any] | None:
        if not working(item, "goblet_squat"):
            return None
        return said(reps=8, load=40, effort="too_heavy" if number == item.sets else None)

    first = workout(send, BEGINNER_DUMBBELLS, goblet)
    assert any("8 at 40 pounds." in answer.speech for answer in first)
    assert any("Take some weight off for the next set" in answer.speech for answer in first)
    assert "Next time: goblet squat down to 35 pounds." in first[-1].speech

    second = workout(send, BEGINNER_DUMBBELLS, lambda item, number: None)
    intro = intro_of(second, "Goblet squat:")
    assert "Last time 40 pounds for 8 and 8. Take it down to 35 pounds today" in intro


def test_under_the_range_two_sessions_running_brings_the_load_down_one_session_keeps_it(send: Send) -> None:
    def squat_five_at_sixty(item: PlanItem, number: int) -> dict[str, Any] | None:
        return said("en-GB", reps=5, load=60, unit="kg") if working(item, "squat") else None

    workout(send, INTERMEDIATE_BARBELL, squat_five_at_sixty, "en-GB")
    second = workout(send, INTERMEDIATE_BARBELL, squat_five_at_sixty, "en-GB")
    assert "Stay at 60 kilos and go for more reps." in intro_of(second, "Now your working weight")
    third = workout(send, INTERMEDIATE_BARBELL, lambda item, number: None, "en-GB")
    assert "Take it down to 55 kilos today" in intro_of(third, "Now your working weight")


def test_a_personal_best_is_celebrated_once_when_it_happens(send: Send) -> None:
    def squat(reps: int) -> Say:
        return lambda item, number: said("en-GB", reps=reps, load=60, unit="kg") if working(item, "squat") else None

    first = workout(send, INTERMEDIATE_BARBELL, squat(8), "en-GB")
    assert not any("best" in answer.speech.lower() for answer in first), "nothing to beat the first time"
    second = workout(send, INTERMEDIATE_BARBELL, squat(10), "en-GB")
    rep_best = ("Personal best: 10 reps at 60 kilos!", "That's a rep record: 10 at 60 kilos!")
    celebrated = [answer.speech for answer in second if any(words in answer.speech for words in rep_best)]
    assert len(celebrated) == 1 and "10 at 60 kilos." in celebrated[0]
    assert "Personal bests today: squat, 10 at 60 kilos." in second[-1].speech


def test_a_number_more_likely_misheard_is_checked_back_and_logged_only_after_yes(send: Send, settings) -> None:
    plan = build_plan(INTERMEDIATE_BARBELL, load_content())
    answer = send(start_body(INTERMEDIATE_BARBELL, "en-GB"))
    while not working(plan[answer.attributes["position"][0]], "squat"):
        answer = send(done("en-GB"), attributes=answer.attributes)
    at = answer.attributes["position"]

    asked = send(said("en-GB", reps=8, load=900, unit="kg"), attributes=answer.attributes)
    assert asked.speech == "Did you say 900 kilos? Say yes, or tell me again."
    assert asked.ends_session is False and asked.attributes["position"] == at
    assert saved_record(settings)["workout"]["performed"][-1].get("load") is None
    again = send(in_locale(read_request("no"), "en-GB"), attributes=asked.attributes)
    assert again.speech.startswith("Okay, tell me again") and again.attributes["position"] == at

    zero = send(said("en-GB", reps=0, load=60, unit="kg"), attributes=again.attributes)
    assert zero.speech == "Did you say 0 reps? Say yes, or tell me again."
    asked = send(said("en-GB", reps=8, load=900, unit="kg"), attributes=zero.attributes)
    logged = send(read_request("yes"), attributes=asked.attributes)
    assert "8 at 900 kilos." in logged.speech and logged.attributes["position"] != at
    performed = saved_record(settings)["workout"]["performed"][-1]
    assert (performed["load"], performed["unit"], performed["reps"]) == (900, "kg", 8)


def test_use_kilos_changes_the_unit_a_load_without_one_is_logged_in(send: Send, settings) -> None:
    answer = send(start_body(INTERMEDIATE_BARBELL, "en-US"))
    switched = send("set_unit", attributes=answer.attributes)
    assert switched.speech.split(".")[0] in ("Okay, kilos from now on", "Got it: I'll use kilos")
    assert saved_record(settings)["unit"] == "kg"
    plan = build_plan(INTERMEDIATE_BARBELL, load_content())
    answer = switched
    while not working(plan[answer.attributes["position"][0]], "squat"):
        answer = send(done(), attributes=answer.attributes)
    logged = send(said(reps=8, load=60), attributes=answer.attributes)
    assert "8 at 60 kilos." in logged.speech
    performed = saved_record(settings)["workout"]["performed"][-1]
    assert (performed["load"], performed["unit"]) == (60, "kg")


def test_a_load_for_a_bodyweight_exercise_gets_one_sentence_and_the_reps_are_logged(send: Send, settings) -> None:
    answer = send(start_body(PlanOptions("beginner", 15, "bodyweight"), "en-US"))
    logged = send(said(reps=12, load=20, unit="lb"), attributes=answer.attributes)
    assert logged.speech.startswith("This one's bodyweight today, so I've logged the reps only. 12 reps.")
    performed = saved_record(settings)["workout"]["performed"][-1]
    assert performed["reps"] == 12 and "load" not in performed


def test_half_a_step_said_as_and_a_half_is_logged_and_spoken_back(send: Send, settings) -> None:
    plan = build_plan(INTERMEDIATE_BARBELL, load_content())
    answer = send(start_body(INTERMEDIATE_BARBELL, "en-GB"))
    while not working(plan[answer.attributes["position"][0]], "squat"):
        answer = send(done("en-GB"), attributes=answer.attributes)
    logged = send(said("en-GB", reps=8, load=62, fraction="0.5", unit="kg", effort="hard"),
                  attributes=answer.attributes)
    assert "8 at 62 and a half kilos. Hard is good." in logged.speech
    performed = saved_record(settings)["workout"]["performed"][-1]
    assert (performed["load"], performed["rpe"]) == (62.5, 9)


def test_an_echo_show_ends_the_workout_on_the_summary_the_card_gives_with_the_chart(send: Send) -> None:
    def squat_ten_at_sixty(item: PlanItem, number: int) -> dict[str, Any] | None:
        return said("en-GB", reps=10, load=60, unit="kg") if working(item, "squat") else None

    def on_a_show(body: str | dict[str, Any], **changes: Any) -> Answer:
        return send(body, screen=True, **changes)

    finale = workout(on_a_show, INTERMEDIATE_BARBELL, squat_ten_at_sixty, "en-GB")[-1]
    renders = [directive for directive in finale.response["directives"]
               if directive["type"] == "Alexa.Presentation.APL.RenderDocument"]
    assert [render["token"] for render in renders] == ["legday-progress"]
    progress = renders[0]["datasources"]["progress"]
    card_lines = finale.response["card"]["content"].split("\n")
    assert progress["facts"][1:] == card_lines[1:], "the screen says what the card says"
    assert "Volume: 1800 kilos." in progress["facts"] and "Next time: squat 62 and a half kilos." in progress["facts"]
    assert [lift["name"] for lift in progress["lifts"]] == ["Squat"] and progress["lifts"][0]["dots"].count("M") == 1
