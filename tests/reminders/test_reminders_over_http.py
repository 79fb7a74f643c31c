"""Leg day reminders by voice: real envelopes through the endpoint, Alexa's Reminders and Settings services fakes."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from skill.content import load_content
from skill.services import Failure, WeeklySchedule
from tests.reminders.conftest import Echo, directives, set_reminders
from tests.reminders.fake import FakeAlexa

USER = "amzn1.ask.account.LOCAL-DEVELOPER"
SCOPE = "alexa::alerts:reminders:skill:readwrite"
TOKEN = "legday-reminders:MO,TH@18:00"
PROMPTS = load_content().prompts
MONDAY_THURSDAY_6PM = "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0;BYSECOND=0;INTERVAL=1"


def saved(settings: Any) -> dict[str, Any]:
    with sqlite3.connect(settings.database_path) as connection:
        row = connection.execute("SELECT attributes FROM user_attributes WHERE user_id = ?", (USER,)).fetchone()
    return json.loads(row[0])


def rules(alexa: FakeAlexa) -> list[str]:
    return [spec.schedule.rule() for spec in alexa.reminders.reminders.values()]


def test_setting_reminders_asks_for_permission_first_then_sets_them_weekly_in_the_persons_time_zone(
    echo: Echo, alexa: FakeAlexa, settings: Any
) -> None:
    alexa.reminders.permitted = False
    asked = echo.say("set_reminders")
    [ask_for] = directives(asked, "Connections.SendRequest")
    assert ask_for["name"] == "AskFor" and ask_for["token"] == TOKEN
    assert ask_for["payload"] == {"@type": "AskForPermissionsConsentRequest", "@version": "2",
                                  "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}]}
    assert "I need your permission" in asked.speech
    assert asked.ends_session is None and "reprompt" not in asked.response  # Alexa takes the conversation
    assert alexa.reminders.reminders == {}

    alexa.reminders.permitted = True  # the person said yes to Alexa
    accepted = echo.answer_permission("ACCEPTED", TOKEN)
    assert accepted.speech.startswith("Thanks.") and " Mondays and Thursdays at 6 pm." in accepted.speech
    assert accepted.ends_session is False
    [reminder] = alexa.reminders.reminders.values()
    assert reminder.schedule.rule() == MONDAY_THURSDAY_6PM
    assert reminder.time_zone == "America/Chicago"
    assert reminder.text == "Time for leg day: say, Alexa, open Leg Day Coach."
    [create] = alexa.reminders.requests("create")
    assert create.access.locale == "en-US" and create.access.api_access_token == "local-access-token"
    [asked_zone] = alexa.settings.asked
    assert asked_zone.device_id == "amzn1.ask.device.LOCAL"
    # Kept: the weekly streak counts weeks in the person's zone from now on.
    assert saved(settings)["time_zone"] == "America/Chicago"


def test_six_without_am_or_pm_is_6_pm_said_back_and_yes_moves_the_reminders_to_6_am(
    echo: Echo, alexa: FakeAlexa
) -> None:
    first = echo.say("set_reminders")
    assert "Mondays and Thursdays at 6 pm" in first.speech
    assert "I took 6 as 6 pm. Would you like 6 am instead?" in first.speech
    assert first.ends_session is False and "Say yes for 6 am, or no to keep 6 pm" in first.reprompt
    assert rules(alexa) == [MONDAY_THURSDAY_6PM]

    moved = echo.say("yes")
    assert "Mondays and Thursdays at 6 am" in moved.speech and "I took" not in moved.speech
    assert rules(alexa) == ["FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=6;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert len(alexa.reminders.requests("delete")) == 1


def test_no_keeps_6_pm(echo: Echo, alexa: FakeAlexa) -> None:
    echo.say("set_reminders")
    kept = echo.say("no")
    assert "Okay, 6 pm it is." in kept.speech
    assert rules(alexa) == [MONDAY_THURSDAY_6PM] and alexa.reminders.requests("delete") == []


def test_a_later_yes_to_something_else_never_moves_the_reminders(echo: Echo, alexa: FakeAlexa) -> None:
    echo.say("set_reminders")
    echo.say("help")  # the question lapses: answered at once or not at all
    echo.say("yes")
    assert rules(alexa) == [MONDAY_THURSDAY_6PM]


@pytest.mark.parametrize(("body", "said", "rule"), [
    (set_reminders("6", ("in the morning", "am"), "30"), "Mondays and Thursdays at 6:30 am",
     "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=6;BYMINUTE=30;BYSECOND=0;INTERVAL=1"),
    (set_reminders("7", ("pm", "pm"), days=(("weekday", "WEEKDAYS"),)), "on weekdays at 7 pm",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
    (set_reminders("18", days=(("saturday", "SA"), ("tuesday", "TU"))), "Tuesdays and Saturdays at 6 pm",
     "FREQ=WEEKLY;BYDAY=TU,SA;BYHOUR=18;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
    (set_reminders("630", days=(("day", "EVERYDAY"),)), "every day at 6:30 pm",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=18;BYMINUTE=30;BYSECOND=0;INTERVAL=1"),
    (set_reminders("12", days=(("sunday", "SU"),)), "Sundays at noon",
     "FREQ=WEEKLY;BYDAY=SU;BYHOUR=12;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
], ids=["6:30 in the morning", "weekdays 7 pm", "18 hundred", "six thirty as 630", "noon"])
def test_times_and_days_are_set_and_said_as_people_say_them(
    echo: Echo, alexa: FakeAlexa, body: dict[str, Any], said: str, rule: str
) -> None:
    answer = echo.say(body)
    assert said in answer.speech
    assert rules(alexa) == [rule]


def test_what_reminders_do_i_have_says_them_naturally(echo: Echo, alexa: FakeAlexa) -> None:
    echo.say("set_reminders")
    listed = echo.say("list_reminders")
    assert "Mondays and Thursdays at 6 pm." in listed.speech
    assert listed.ends_session is False


def test_a_new_schedule_replaces_the_earlier_reminders(echo: Echo, alexa: FakeAlexa) -> None:
    echo.say("set_reminders")
    replaced = echo.say(set_reminders("7", ("am", "am"), days=(("tuesday", "TU"),)))
    assert "That replaces your earlier leg day reminders." in replaced.speech
    assert rules(alexa) == ["FREQ=WEEKLY;BYDAY=TU;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]


def test_cancel_my_leg_day_reminders_deletes_every_one(echo: Echo, alexa: FakeAlexa) -> None:
    echo.say("set_reminders")
    cancelled = echo.say("cancel_reminders")
    assert PROMPTS.say("reminder.cancelled") in cancelled.speech
    assert alexa.reminders.reminders == {}
    assert PROMPTS.say("reminder.none") in echo.say("list_reminders").speech
    assert PROMPTS.say("reminder.nothing_to_cancel") in echo.say("cancel_reminders").speech


def test_a_refused_permission_gets_a_kind_answer_and_is_not_asked_again_unprompted(
    echo: Echo, alexa: FakeAlexa
) -> None:
    alexa.reminders.permitted = False
    echo.say("set_reminders")
    denied = echo.answer_permission("DENIED", TOKEN)
    assert PROMPTS.say("reminder.denied") in denied.speech
    assert denied.ends_session is False
    assert directives(denied, "Connections.SendRequest") == [] and "card" not in denied.response
    assert alexa.reminders.reminders == {}

    listed = echo.say("list_reminders")
    assert PROMPTS.say("reminder.no_permission") in listed.speech
    assert directives(listed, "Connections.SendRequest") == []
    # Only asking for reminders again asks Alexa again.
    again = echo.say("set_reminders")
    assert directives(again, "Connections.SendRequest")


@pytest.mark.parametrize(("status", "code", "key"), [
    ("NOT_ANSWERED", "200", "reminder.not_answered"),
    ("DENIED", "400", "reminder.card"),  # the device could not ask by voice
], ids=["not answered", "no voice prompt here"])
def test_no_answer_or_no_voice_prompt_sends_a_consent_card(
    echo: Echo, alexa: FakeAlexa, status: str, code: str, key: str
) -> None:
    alexa.reminders.permitted = False
    echo.say("set_reminders")
    answer = echo.answer_permission(status, TOKEN, code)
    assert PROMPTS.say(key) in answer.speech
    assert answer.response["card"] == {"type": "AskForPermissionsConsent", "permissions": [SCOPE]}
    assert alexa.reminders.reminders == {}


def test_without_a_time_zone_nothing_is_set_and_the_person_hears_why(echo: Echo, alexa: FakeAlexa) -> None:
    alexa.settings.fail_with = Failure.UNAVAILABLE
    answer = echo.say("set_reminders")
    assert PROMPTS.say("reminder.no_time_zone") in answer.speech
    assert "remind you to train legs" not in answer.speech
    assert alexa.reminders.requests("create") == []


def test_a_time_zone_known_from_before_stands_in_when_the_settings_api_fails(
    echo: Echo, alexa: FakeAlexa, settings: Any
) -> None:
    alexa.settings.zone = "Europe/Berlin"
    echo.say("set_reminders")
    alexa.settings.fail_with = TimeoutError("no answer in time")
    echo.say(set_reminders("7", ("am", "am")))
    assert [spec.time_zone for spec in alexa.reminders.reminders.values()] == ["Europe/Berlin"]
    assert saved(settings)["time_zone"] == "Europe/Berlin"


@pytest.mark.parametrize("sample", ["set_reminders", "list_reminders", "cancel_reminders"])
def test_a_reminders_service_out_of_reach_changes_nothing_and_says_so(
    echo: Echo, alexa: FakeAlexa, sample: str
) -> None:
    alexa.reminders.fail_with = Failure.UNAVAILABLE
    answer = echo.say(sample)
    assert PROMPTS.say("reminder.unavailable") in answer.speech
    assert answer.ends_session is False and alexa.reminders.reminders == {}


def test_missing_days_or_time_are_asked_for(echo: Echo, alexa: FakeAlexa) -> None:
    body = set_reminders(days=())
    del body["request"]["intent"]["slots"]["hour"]["value"]
    assert PROMPTS.say("reminder.which_days") in echo.say(body).speech
    body = set_reminders(days=(("monday", "MO"), ("thursday", "TH")))
    body["request"]["intent"]["slots"]["hour"]["value"] = "?"
    asked = echo.say(body)
    assert "At what time on Mondays and Thursdays?" in asked.speech
    assert "remind me every Monday and Thursday at six" in asked.speech
    assert alexa.reminders.calls == []


def test_the_schedule_and_its_token_survive_the_round_trip() -> None:
    from intents.timers import reminders_token, schedule_from_token

    schedule = WeeklySchedule(("TH", "MO"), 18, 5)
    assert schedule.days == ("MO", "TH")
    assert schedule_from_token(reminders_token(schedule)) == schedule
    assert WeeklySchedule.from_rule(schedule.rule()) == schedule
    for broken in ("legday-reminders:XX@18:00", "legday-reminders:MO@25:00", "legday-rest-timer:120", None, 7):
        assert schedule_from_token(broken) is None
