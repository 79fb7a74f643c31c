"""The answers kept for repeated requests stay small whatever the screen showed: the workout's APL
document is left out and put back, any other screen (the progress chart's data) is not kept."""

from __future__ import annotations

from datetime import datetime, timezone

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.ui import SimpleCard, SsmlOutputSpeech

from intents import answers, screen
from skill.serializer import FastSerializer
from skill.workout.progress import UserRecord

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
CHART = {"progress": {"lifts": [{"name": "Squat", "line": "M0 0 " + "L1 1 " * 4_000}]}}


def finishing_answer() -> Response:
    return Response(
        output_speech=SsmlOutputSpeech(ssml="<speak>That's leg day done.</speak>"),
        card=SimpleCard(title="Leg day done", content="Volume: 1800 kilos."),
        directives=[RenderDocumentDirective(token=screen.PROGRESS_TOKEN, document=screen.progress_document(),
                                            datasources=CHART)],
        should_end_session=True,
    )


def test_a_screen_other_than_the_workout_is_not_kept_and_the_rest_of_the_answer_is() -> None:
    record = UserRecord()
    answers.remember(record, "req-1", NOW, finishing_answer(), {"pending": None})
    kept = record.answers[0]["text"]
    assert len(kept) < 1_000 and "liftChart" not in kept and "L1 1" not in kept

    response, session = answers.recall(record, "req-1")
    assert response.output_speech.ssml == "<speak>That's leg day done.</speak>"
    assert response.card.content == "Volume: 1800 kilos." and response.should_end_session is True
    assert not response.directives and session == {"pending": None}


def test_the_workout_screen_is_kept_without_its_document_and_replayed_with_it() -> None:
    record = UserRecord()
    workout_screen = RenderDocumentDirective(token=screen.TOKEN, document=screen.document(), datasources={"x": 1})
    answers.remember(record, "req-2", NOW, Response(directives=[workout_screen]), {})
    assert "legday-workout-document" in record.answers[0]["text"]
    response, _ = answers.recall(record, "req-2")
    assert response.directives[0].document == screen.document() and response.directives[0].datasources == {"x": 1}


def test_keeping_an_answer_leaves_the_answer_sent_to_alexa_whole() -> None:
    record = UserRecord()
    workout_screen = RenderDocumentDirective(token=screen.TOKEN, document=screen.document(), datasources={"x": 1})
    response = Response(output_speech=SsmlOutputSpeech(ssml="<speak>Set two.</speak>"), directives=[workout_screen])
    envelope = ResponseEnvelope(version="1.0", response=response, session_attributes={"position": [3, 2]})
    answers.remember(record, "req-3", NOW, response, {"position": [3, 2]})
    sent = FastSerializer().serialize(envelope)
    assert sent == DefaultSerializer().serialize(envelope), "written once for both, the document still in the answer"
    assert sent["response"]["directives"][0]["document"] == screen.document()
    assert "legday-workout-document" in record.answers[0]["text"] and '"mainTemplate"' not in record.answers[0]["text"]
