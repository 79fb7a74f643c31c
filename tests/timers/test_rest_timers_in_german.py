"""A rest timer from a German device: offered, labelled and announced in German, created in de-DE."""

from __future__ import annotations

from typing import Any

from tests.conftest import Answer, Send
from tests.timers.conftest import on_device
from tests.timers.fake import FakeTimers as FakeTimersApi

MAX_TURNS = 60


class GermanDevice:
    """One German Echo: sample envelopes in de-DE, in a session carried on until the skill ends it."""

    def __init__(self, send: Send, api: FakeTimersApi) -> None:
        self.send, self.api = send, api
        self.attributes: dict[str, Any] = {}

    def say(self, sample: str) -> Answer:
        body = on_device(sample, self.api, attributes=self.attributes)
        body["request"]["locale"] = "de-DE"
        answer = self.send(body)
        self.attributes = {} if answer.ends_session is True else answer.attributes
        return answer


def test_a_long_rest_on_a_german_device_gets_a_german_timer(send: Send, timers_api: FakeTimersApi) -> None:
    device = GermanDevice(send, timers_api)
    device.say("start_workout_advanced_barbell")
    for _ in range(MAX_TURNS):
        offer = device.say("set_done")
        if "Pausen-Timer" in offer.speech:
            break
    assert "Die Pause dauert 2 Minuten und 30 Sekunden. Soll ich einen Pausen-Timer stellen" in offer.speech
    assert offer.reprompt.startswith("Sag ja für einen Pausen-Timer")

    created = device.say("yes")
    assert "Pausen-Timer für 2 Minuten und 30 Sekunden" in created.speech
    [call] = timers_api.requests("create")
    assert call.access.locale == "de-DE"
    assert call.timer.label == "Beintag Pause"
    assert call.timer.announcement.startswith("Pause vorbei. Kniebeuge, Satz 2 von 3: 3 bis 6 Wiederholungen. Los!")
    assert "Alexa, sag Beintag Trainer: fertig" in call.timer.announcement
