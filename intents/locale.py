"""The locale a request is in (``request.locale``), and the content language it picks."""

from __future__ import annotations

from ask_sdk_model import RequestEnvelope

from skill.content import DEFAULT_LOCALE, language_of


def request_locale(envelope: RequestEnvelope) -> str:
    """The request's locale ("de-DE"), or en-US when it has none that is text."""
    locale = getattr(envelope.request, "locale", None)
    return locale if isinstance(locale, str) and locale else DEFAULT_LOCALE


def request_language(envelope: RequestEnvelope) -> str:
    """The content language the request is answered in: "de" for de-DE, "en" for any English or unknown locale."""
    return language_of(request_locale(envelope))
