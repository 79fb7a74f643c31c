"""A rest timer that brings a German speaker back: Alexa asks in German when it goes off, and the
launch it makes resumes the workout in German."""

from __future__ import annotations

from skill.content import load_content
from tests.conftest import Send
from tests.locales.german import english_left
from tests.timers.conftest import app, on_device, timers_api  # noqa: F401 (fixtures)
from tests.timers.fake import FakeTimers as FakeTimersApi
from tests.timers.test_rest_timers_in_german import MAX_TURNS, GermanDevice

GERMAN = load_content("de").prompts


def test_the_timer_asks_in_german_and_its_launch_carries_on_in_german(
    send: Send, timers_api: FakeTimersApi  # noqa: F811
) -> None:
    device = GermanDevice(send, timers_api)
    device.say("start_workout_advanced_barbell")
    for _ in range(MAX_TURNS):
        if "Pausen-Timer" in device.say("set_done").speech:
            break
    created = device.say("yes")
    assert GERMAN.say("rest_task.until_then") in created.speech
    [call] = timers_api.requests("create")
    assert call.timer.resume_task.confirm == \
        "Pause vorbei. Als Nächstes: Kniebeuge, Satz 2 von 3. Soll Beintag Trainer weitermachen?"

    launch = on_device("launch_rest_task", timers_api, new=True)
    launch["request"]["locale"] = "de-DE"
    launched = send(launch)
    assert launched.speech.startswith(GERMAN.variants("rest_task.back")), launched.speech
    assert "Satz 2 von 3." in launched.speech
    assert english_left(launched.speech) == [] and english_left(created.speech) == []
