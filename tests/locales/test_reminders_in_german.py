"""Leg day reminders from a German device over HTTP, against the fake Reminders and Settings services:
set, said back on a 24-hour clock, moved to the morning, listed and cancelled, all in German."""

from __future__ import annotations

from datetime import datetime, timezone

from skill.services import ReminderSpec, WeeklySchedule
from skill.services.alexa_reminders import reminder_request
from tests.conftest import Answer
from tests.locales.german import english_left, german
from tests.reminders.conftest import Echo, alexa, app, echo, set_reminders  # noqa: F401
from tests.reminders.fake import FakeAlexa

MONDAY_THURSDAY = (("montags", "MO"), ("donnerstags", "TH"))
REMINDER_TEXT = "Zeit für den Beintag! Sag einfach: Alexa, öffne Beintag Trainer."


def rules(alexa: FakeAlexa) -> list[str]:  # noqa: F811 (the fixture, passed in)
    return [spec.schedule.rule() for spec in alexa.reminders.reminders.values()]


def said(*answers: Answer) -> str:
    return " ".join(answer.speech for answer in answers)


def test_um_sechs_is_18_uhr_said_back_in_german_and_ja_moves_it_to_6_uhr_morgens(
    echo: Echo, alexa: FakeAlexa  # noqa: F811
) -> None:
    # "erinnere mich montags und donnerstags um sechs ans beintraining"
    first = echo.say(german(set_reminders("6", days=MONDAY_THURSDAY)))
    assert "Ich erinnere dich montags und donnerstags um 18 Uhr ans Beintraining." in first.speech \
        or "Du bekommst montags und donnerstags um 18 Uhr eine Beintag-Erinnerung." in first.speech, first.speech
    assert "Bei 6 habe ich 18 Uhr genommen. Lieber 6 Uhr morgens?" in first.speech
    assert first.reprompt == "Sag ja für 6 Uhr morgens, oder nein, dann bleibt es bei 18 Uhr."
    assert rules(alexa) == ["FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    [created] = alexa.reminders.requests("create")
    assert created.access.locale == "de-DE"
    [reminder] = alexa.reminders.reminders.values()
    assert reminder.text == REMINDER_TEXT

    moved = echo.say(german("yes"))
    assert "montags und donnerstags um 6 Uhr morgens" in moved.speech and "genommen" not in moved.speech
    assert rules(alexa) == ["FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=6;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert english_left(said(first, moved)) == []


def test_nein_keeps_18_uhr(echo: Echo) -> None:  # noqa: F811
    echo.say(german(set_reminders("6", days=MONDAY_THURSDAY)))
    assert "Okay, es bleibt bei 18 Uhr." in echo.say(german("no")).speech


def test_what_reminders_do_i_have_and_cancelling_them_in_german(echo: Echo, alexa: FakeAlexa) -> None:  # noqa: F811
    set_answer = echo.say(german(set_reminders("7", ("morgens", "am"), "30", days=(("werktags", "WEEKDAYS"),))))
    assert "von Montag bis Freitag um 7:30 Uhr morgens" in set_answer.speech, set_answer.speech
    assert "genommen" not in set_answer.speech, "morgens was said: nothing to offer"

    listed = echo.say(german("list_reminders"))
    assert listed.speech.startswith(("Deine Beintag-Erinnerungen: von Montag bis Freitag um 7:30 Uhr morgens.",
                                     "Ich erinnere dich von Montag bis Freitag um 7:30 Uhr morgens an den Beintag.")), \
        listed.speech
    cancelled = echo.say(german("cancel_reminders"))
    assert cancelled.speech.startswith("Erledigt. Ich habe deine Beintag-Erinnerungen gelöscht.")
    assert alexa.reminders.reminders == {}
    none = echo.say(german("list_reminders"))
    assert none.speech.startswith("Du hast keine Beintag-Erinnerungen.")
    assert english_left(said(set_answer, listed, cancelled, none)) == []


def test_days_said_the_german_way(echo: Echo) -> None:  # noqa: F811
    every_day = echo.say(german(set_reminders("19", days=(("jeden tag", "EVERYDAY"),))))
    assert "jeden Tag um 19 Uhr" in every_day.speech
    weekend = echo.say(german(set_reminders("12", days=(("am wochenende", "WEEKEND"),))))
    assert "samstags und sonntags um 12 Uhr mittags" in weekend.speech
    assert "Deine bisherigen Beintag-Erinnerungen habe ich damit ersetzt." in weekend.speech
    three = echo.say(german(set_reminders("5", days=(("montags", "MO"), ("mittwochs", "WE"), ("freitags", "FR")))))
    assert "montags, mittwochs und freitags um 17 Uhr" in three.speech
    assert english_left(said(every_day, weekend, three)) == []


def test_a_missing_time_is_asked_for_with_a_german_example(echo: Echo) -> None:  # noqa: F811
    body = german(set_reminders(days=MONDAY_THURSDAY))
    del body["request"]["intent"]["slots"]["hour"]["value"]
    asked = echo.say(body)
    assert asked.speech == ("Und um wie viel Uhr, montags und donnerstags? "
                            "Sag zum Beispiel: erinnere mich jeden Montag und Donnerstag um sechs.")


def test_the_reminder_alexa_sends_speaks_german_in_the_request_locale() -> None:
    spec = ReminderSpec(WeeklySchedule(("MO", "TH"), 18, 0), "Europe/Berlin", REMINDER_TEXT)
    body = reminder_request(spec, "de-DE", datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc))
    [content] = body.alert_info.spoken_info.content
    assert (content.locale, content.text) == ("de-DE", REMINDER_TEXT)
    assert body.trigger.time_zone_id == "Europe/Berlin"
