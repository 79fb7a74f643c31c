"""Alexa request envelopes as Alexa sends them, for local testing (CLI, tests, benchmarks).

The shapes follow Amazon's request JSON reference: ``session`` (absent for requests outside a
session), ``context.System`` with application, user, device, API endpoint and, when Alexa
recognised the speaker's voice, ``person`` (its ``personId``), and a request with
id, timestamp and locale. Slots are sent the way Alexa sends them: every slot of the intent,
filled or not, custom values with an entity-resolution block. ``Device`` adds what real devices
put in ``context`` beside that (viewports, extensions, the audio player, the unit, a regional
API endpoint).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from skill.local.nlu import SlotMatch

DEFAULT_APPLICATION_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
DEFAULT_USER_ID = "amzn1.ask.account.LOCAL-DEVELOPER"
LOCALE = "en-US"
API_ENDPOINT = "https://api.amazonalexa.com"
# Alexa's API endpoint by region: North America, Europe, the Far East.
API_ENDPOINTS = (API_ENDPOINT, "https://api.eu.amazonalexa.com", "https://api.fe.amazonalexa.com")
SCREEN_INTERFACES: dict[str, Any] = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


# What an Echo Show adds to context (shapes from Amazon's request reference).
VIEWPORT: dict[str, Any] = {
    "experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}],
    "mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 213,
    "currentPixelWidth": 1280, "currentPixelHeight": 800, "touch": ["SINGLE"], "keyboard": ["DIRECTION"],
    "video": {"codecs": ["H_264_42", "H_264_41"]},
}
VIEWPORTS: list[dict[str, Any]] = [{
    "type": "APL", "id": "main", "shape": "RECTANGLE", "dpi": 213, "presentationType": "STANDARD",
    "canRotate": False,
    "configuration": {"current": {"mode": "HUB", "video": {"codecs": ["H_264_42", "H_264_41"]},
                                  "size": {"type": "DISCRETE", "pixelWidth": 1280, "pixelHeight": 800}}},
}]
EXTENSIONS: dict[str, Any] = {"available": {"aplext:backstack:10": {}}}


@dataclass(frozen=True)
class Device:
    """What a real device adds to an envelope's context: a screen's ``Viewport`` and ``Viewports``,
    APL ``Extensions``, the ``AudioPlayer`` state (its ``playerActivity``), ``System.unit``, a
    recognised ``System.person`` with its token, and a regional API endpoint."""

    viewport: bool = False
    viewports: bool = False
    extensions: bool = False
    audio_player: str | None = None
    unit: bool = False
    person_id: str | None = None
    api_endpoint: str = API_ENDPOINT

    def dress(self, body: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``body`` with this device's parts in its context."""
        body = copy.deepcopy(body)
        context = body.setdefault("context", {})
        system = context.setdefault("System", {})
        system["apiEndpoint"] = self.api_endpoint
        if self.viewport:
            context["Viewport"] = copy.deepcopy(VIEWPORT)
        if self.viewports:
            context["Viewports"] = copy.deepcopy(VIEWPORTS)
        if (self.viewport or self.viewports) and "device" in system:
            system["device"].setdefault("supportedInterfaces", {}).update(copy.deepcopy(SCREEN_INTERFACES))
        if self.extensions:
            context["Extensions"] = copy.deepcopy(EXTENSIONS)
        if self.audio_player is not None:
            context["AudioPlayer"] = {"playerActivity": self.audio_player}
            if self.audio_player != "IDLE":
                context["AudioPlayer"].update(token="leg-day-coach-warm-up", offsetInMilliseconds=45210)
            system.setdefault("device", {}).setdefault("supportedInterfaces", {})["AudioPlayer"] = {}
        if self.unit:
            system["unit"] = {"unitId": "amzn1.ask.unit.LOCAL", "persistentUnitId": "amzn1.alexa.unit.did.LOCAL"}
        if self.person_id is not None:
            system["person"] = {"personId": self.person_id, "accessToken": "local-person-token"}
        return body


def sessionless(body: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``body`` as sent outside any session (events, name-free questions): no ``session``."""
    body = copy.deepcopy(body)
    body.pop("session", None)
    return body


@dataclass
class Caller:
    """Who is speaking (the account, and the person Alexa recognised, if any), on what device, in which
    session."""

    user_id: str = DEFAULT_USER_ID
    application_id: str = DEFAULT_APPLICATION_ID
    device_id: str = "amzn1.ask.device.LOCAL"
    screen: bool = False
    session_id: str | None = None
    new_session: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)
    person_id: str | None = None
    # The locale the device speaks (request.locale): it picks the skill's language.
    locale: str = LOCALE

    def start_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.new_session = True
        self.attributes = {}

    def end_session(self) -> None:
        self.session_id = None
        self.new_session = True
        self.attributes = {}


def timestamp(moment: datetime | None = None) -> str:
    """Alexa's timestamp format: ISO 8601 in UTC with a Z."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(caller: Caller, request: dict[str, Any], *, in_session: bool = True) -> dict[str, Any]:
    """Wrap ``request`` (type-specific fields) into a whole envelope from ``caller``."""
    application = {"applicationId": caller.application_id}
    user = {"userId": caller.user_id}
    body: dict[str, Any] = {"version": "1.0"}
    if in_session:
        if caller.session_id is None:
            caller.start_session()
        body["session"] = {
            "new": caller.new_session,
            "sessionId": caller.session_id,
            "application": application,
            "attributes": dict(caller.attributes),
            "user": user,
        }
    body["context"] = {
        "System": {
            "application": application,
            "user": user,
            "device": {
                "deviceId": caller.device_id,
                "supportedInterfaces": copy.deepcopy(SCREEN_INTERFACES) if caller.screen else {},
            },
            "apiEndpoint": API_ENDPOINT,
            "apiAccessToken": "local-access-token",
        }
    }
    if caller.person_id:
        body["context"]["System"]["person"] = {"personId": caller.person_id}
    body["request"] = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": timestamp(),
        "locale": caller.locale,
        **request,
    }
    return body


def launch_request() -> dict[str, Any]:
    return {"type": "LaunchRequest"}


def intent_request(intent: str, slots: dict[str, SlotMatch] | None = None,
                   slot_names: tuple[str, ...] = ()) -> dict[str, Any]:
    """An IntentRequest; ``slot_names`` lists the intent's slots so unfilled ones are sent empty."""
    filled = slots or {}
    body: dict[str, Any] = {"type": "IntentRequest", "dialogState": "COMPLETED",
                            "intent": {"name": intent, "confirmationStatus": "NONE"}}
    names = list(dict.fromkeys([*slot_names, *filled]))
    if names:
        body["intent"]["slots"] = {name: _slot(name, filled.get(name)) for name in names}
    return body


def session_ended_request(reason: str = "USER_INITIATED", error: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
    if error:
        body["error"] = error
    return body


def _slot(name: str, match: SlotMatch | None) -> dict[str, Any]:
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if match is None:
        return slot
    slot["value"] = match.value
    if match.slot_type.startswith("AMAZON."):
        return slot
    authority = f"amzn1.er-authority.echo-sdk.{DEFAULT_APPLICATION_ID}.{match.slot_type}"
    if match.resolved_id is None:
        resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    else:
        resolution = {
            "authority": authority,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": match.value, "id": match.resolved_id}}],
        }
    slot["resolutions"] = {"resolutionsPerAuthority": [resolution]}
    slot["slotValue"] = {"type": "Simple", "value": match.value}
    return slot
