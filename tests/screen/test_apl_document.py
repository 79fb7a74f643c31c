"""The APL document under version control is well formed, and binds only to data the skill sends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from intents import screen
from skill.content import load_content
from skill.conversation.coach import Coach
from skill.conversation.said import Done, StartWorkout
from skill.conversation.screens import Screen
from skill.conversation.session import Turn
from skill.workout.progress import UserRecord

DOCUMENT = screen.document()
EXPRESSION = re.compile(r"\$\{([^}]*)\}")
PAYLOAD_PATH = re.compile(r"\bpayload((?:\.[A-Za-z_]\w*)*)")
RESOURCE = re.compile(r"^@(\w+)$")
CHILD_KEYS = ("items", "item", "firstItem", "lastItem")
COMPONENT_PROPERTIES = {
    "Container": {"direction", "alignItems", "justifyContent", "data", "items", "item", "numbered", "wrap"},
    "Text": {"text", "color", "fontSize", "fontWeight", "fontFamily", "textAlign", "textAlignVertical",
             "maxLines", "lineHeight", "letterSpacing"},
    "VectorGraphic": {"source", "scale", "align"},
    "TouchWrapper": {"item", "onPress"},
    "Frame": {"item", "backgroundColor", "borderRadius", "borderColor", "borderWidth"},
}
COMMON_PROPERTIES = {
    "type", "id", "when", "style", "width", "height", "minWidth", "maxWidth", "minHeight", "maxHeight",
    "grow", "shrink", "spacing", "display", "opacity", "onMount", "description", "position",
    "paddingLeft", "paddingRight", "paddingTop", "paddingBottom", "padding", "alignSelf", "bind",
}
COMMANDS = {"Sequential", "Parallel", "Idle", "SetValue", "SendEvent"}


def components(node: Any) -> Iterator[dict[str, Any]]:
    """Every component under ``node``, depth first."""
    if isinstance(node, list):
        for child in node:
            yield from components(child)
    elif isinstance(node, dict) and "type" in node:
        yield node
        for key in CHILD_KEYS:
            if key in node:
                yield from components(node[key])


def commands(node: Any) -> Iterator[dict[str, Any]]:
    """Every command in a command list, nested ones included."""
    for command in node if isinstance(node, list) else [node]:
        yield command
        yield from commands(command.get("commands", []))


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def all_screens() -> list[Screen]:
    """The screens of a whole advanced workout, as the coach builds them turn by turn."""
    coach = Coach(load_content())
    now = datetime(2026, 11, 25, 18, tzinfo=timezone.utc)
    turn = Turn(record=UserRecord(), now=now)
    reply = coach.answer(turn, StartWorkout("advanced", 45, "barbell"))
    screens = []
    for _ in range(200):
        model = reply.screen or coach.screen(turn)
        assert model is not None
        screens.append(model)
        if reply.end_session:
            return screens
        turn = Turn(record=turn.record, session=turn.session, now=turn.now + timedelta(minutes=1))
        reply = coach.answer(turn, Done())
    raise AssertionError("the workout never ended")


SCREENS = all_screens()


def test_it_is_an_apl_document_with_one_payload_parameter() -> None:
    assert DOCUMENT["type"] == "APL"
    assert re.fullmatch(r"\d+\.\d+|\d{4}\.\d+", DOCUMENT["version"])
    template = DOCUMENT["mainTemplate"]
    assert template["parameters"] == ["payload"]
    assert len(template["items"]) == 1


def test_components_are_known_and_use_only_their_properties() -> None:
    found = list(components(DOCUMENT["mainTemplate"]["items"]))
    assert found
    for component in found:
        kind = component["type"]
        assert kind in COMPONENT_PROPERTIES, kind
        unknown = set(component) - COMPONENT_PROPERTIES[kind] - COMMON_PROPERTIES
        assert not unknown, f"{kind} {component.get('id')}: {unknown}"
        if "style" in component:
            assert component["style"] in DOCUMENT["styles"], component["style"]


def test_ids_are_unique_and_commands_name_existing_components() -> None:
    ids = [component["id"] for component in components(DOCUMENT["mainTemplate"]["items"]) if "id" in component]
    assert len(ids) == len(set(ids))
    handlers = [component[key] for component in components(DOCUMENT["mainTemplate"]["items"])
                for key in ("onMount", "onPress") if key in component]
    used = [command for handler in handlers for command in commands(handler)]
    assert {command["type"] for command in used} <= COMMANDS
    for command in used:
        if "componentId" in command:
            assert command["componentId"] in ids, command
    sent = {tuple(command["arguments"]) for command in used if command["type"] == "SendEvent"}
    assert sent == {(event,) for event in screen.EVENTS}


def test_resources_styles_and_graphics_referenced_exist() -> None:
    defined = {name for block in DOCUMENT["resources"] for group in block.values() for name in group}
    for text in strings(DOCUMENT):
        match = RESOURCE.match(text)
        if match:
            assert match.group(1) in defined, text
    for name, graphic in DOCUMENT["graphics"].items():
        assert graphic["type"] == "AVG" and graphic["width"] > 0 and graphic["height"] > 0, name
        assert all(item["type"] == "path" and item["pathData"] for item in graphic["items"]), name
    assert {model.icon for model in SCREENS} <= set(DOCUMENT["graphics"])
    assert {"warmup", "main", "cooldown", "finished"} <= set(DOCUMENT["graphics"])


def bound_paths() -> set[str]:
    paths = set()
    for text in strings(DOCUMENT):
        for expression in EXPRESSION.findall(text):
            for path in PAYLOAD_PATH.findall(expression):
                paths.add(path.lstrip("."))
    return paths


def test_every_bound_field_is_in_the_datasource_the_skill_sends() -> None:
    paths = bound_paths()
    assert {"legday.title", "legday.setLine", "legday.cues", "legday.rest.seconds"} <= paths
    kinds = {"rest": 0, "set": 0, "finished": 0}
    for model in SCREENS:
        data = screen.datasource(model)
        kinds["rest" if model.rest_seconds else "finished" if model.icon == "finished" else "set"] += 1
        for path in paths:
            node: Any = data
            for part in path.split("."):
                assert isinstance(node, dict) and part in node, f"payload.{path} is not in {data}"
                node = node[part]
    assert all(kinds.values()), kinds


@pytest.mark.parametrize("model", SCREENS[:3] + SCREENS[-2:], ids=lambda model: f"{model.title}-{model.rest_seconds}")
def test_datasource_values_have_the_types_the_document_expects(model: Screen) -> None:
    data = screen.datasource(model)["legday"]
    assert all(isinstance(data[key], str) for key in ("heading", "title", "setLine", "amount", "icon", "progress"))
    assert isinstance(data["cues"], list) and all(isinstance(cue, str) and cue for cue in data["cues"])
    assert isinstance(data["rest"]["seconds"], int) and data["rest"]["seconds"] >= 0
    assert isinstance(data["buttons"], bool)
