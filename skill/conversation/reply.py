"""What the coach answers: the words, whether the microphone stays open, and what comes with them.

A reply may also leave a yes/no question waiting (``question``), hand over to Alexa to ask for a
permission (``permission_request``), ask for a consent card in the Alexa app, carry the
screen to show, or ask for the person's data to be deleted (``forget``). The glue
(``intents.respond``) turns it into an Alexa response.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.conversation.screens import AnyScreen
from skill.conversation.session import KEEP, Keep, Pending, Question
from skill.services import WeeklySchedule
from skill.ssml import Speech


@dataclass(frozen=True)
class PermissionRequest:
    """Hand over to Alexa to ask for timer permission; ``rest_seconds`` is the rest waiting for a timer (0: none).
    With ``reminders``, the reminders permission instead, for the schedule waiting to be set."""

    rest_seconds: int = 0
    reminders: WeeklySchedule | None = None


@dataclass(frozen=True)
class Card:
    """A card for the Alexa app: a title and plain text (the workout summary)."""

    title: str
    text: str


@dataclass
class Reply:
    """What to say, what to say if the person stays silent, and whether the session ends.

    ``end_session`` None leaves it to Alexa (a permission prompt takes over the conversation).
    ``question`` is the question left waiting: one this reply asks, None for none, or KEEP
    (the default) for whatever was waiting before.
    """

    speech: Speech
    reprompt: Speech | None = None
    end_session: bool | None = False
    screen: AnyScreen | None = None
    permission_request: PermissionRequest | None = None
    consent_card: bool = False
    # The permission the consent card asks for: "timers" or "reminders".
    consent_scope: str = "timers"
    question: Question | None | Keep = KEEP
    # The person confirmed "delete my data": the glue deletes the owner's data and saves nothing.
    forget: bool = False
    # A card for the Alexa app (the end-of-workout summary), None for none.
    card: Card | None = None

    @classmethod
    def ask(cls, speech: Speech, reprompt: str | Speech, *, question: Question | Pending | None | Keep = KEEP) -> Reply:
        """Say ``speech`` and listen; ``reprompt`` if the person says nothing."""
        return cls(speech, reprompt if isinstance(reprompt, Speech) else Speech(reprompt), end_session=False,
                   question=Question(question) if isinstance(question, Pending) else question)

    @classmethod
    def tell(cls, speech: Speech, *, question: Question | None | Keep = KEEP) -> Reply:
        """Say ``speech`` and end the session."""
        return cls(speech, None, end_session=True, question=question)

    @classmethod
    def hand_over(cls, speech: Speech, request: PermissionRequest) -> Reply:
        """Say ``speech``, then let Alexa ask for timer permission; the answer comes back as its own request."""
        return cls(speech, None, end_session=None, permission_request=request, question=None)
