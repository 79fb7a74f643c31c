"""The progress chart's APL document: known components, its AVG graphic's parameters bound, every
payload field it reads sent by the skill, and a datasource that stays small at its largest."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from intents import screen
from skill.content import load_content
from skill.conversation.phrasing import Phrasing
from skill.conversation.screens import progress_screen
from skill.training import chart
from skill.training.chart import Point, Series
from tests.screen.test_apl_document import (
    COMMON_PROPERTIES,
    COMPONENT_PROPERTIES,
    EXPRESSION,
    PAYLOAD_PATH,
    RESOURCE,
    components,
    strings,
)

DOCUMENT = screen.progress_document()
GRAPHIC = DOCUMENT["graphics"]["liftChart"]
PARAMETERS = {parameter["name"] for parameter in GRAPHIC["parameters"]}
KNOWN = {**COMPONENT_PROPERTIES, "Sequence": {"data", "items", "item", "scrollDirection", "numbered"},
         "VectorGraphic": COMPONENT_PROPERTIES["VectorGraphic"] | PARAMETERS}
END = date(2026, 11, 28)
START = chart.window_start(END)


def largest() -> dict[str, Any]:
    """The biggest datasource the skill can send: four lifts, a point every day of the window."""
    days = (END - START).days
    series = [Series(name, "kg", tuple(Point(START + timedelta(days=day), 40 + day * 0.25 + index)
                                       for day in range(days + 1)))
              for index, name in enumerate(["squat", "deadlift", "romanian_deadlift", "step_up"])]
    model = progress_screen(Phrasing(load_content(), random.Random(1)), series, START, END,
                            {"squat": "squat"}, facts=("9 sets", "Volume: 4850 kg"))
    return screen.progress_datasource(model)


def test_components_are_known_and_the_chart_binds_its_graphic_s_parameters() -> None:
    assert DOCUMENT["type"] == "APL" and DOCUMENT["mainTemplate"]["parameters"] == ["payload"]
    found = list(components(DOCUMENT["mainTemplate"]["items"]))
    for component in found:
        unknown = set(component) - KNOWN[component["type"]] - COMMON_PROPERTIES
        assert not unknown, f"{component['type']}: {unknown}"
    [vector] = [component for component in found if component["type"] == "VectorGraphic"]
    assert vector["source"] in DOCUMENT["graphics"] and GRAPHIC["type"] == "AVG"
    assert {"line", "dots"} == PARAMETERS and PARAMETERS <= set(vector)
    used = {name for item in GRAPHIC["items"] for text in strings(item) for name in EXPRESSION.findall(text)}
    assert used == PARAMETERS, "every parameter is drawn, nothing else is bound inside the graphic"
    assert (GRAPHIC["width"], GRAPHIC["height"]) == (chart.WIDTH, chart.HEIGHT)


def test_resources_referenced_exist() -> None:
    defined = {name for block in DOCUMENT["resources"] for key, group in block.items() if key != "when"
               for name in group}
    for text in strings(DOCUMENT):
        match = RESOURCE.match(text)
        if match:
            assert match.group(1) in defined, text


def test_every_bound_field_is_in_the_datasource_the_skill_sends() -> None:
    data = largest()
    paths = {path.lstrip(".").removesuffix(".length") for text in strings(DOCUMENT["mainTemplate"])
             for expression in EXPRESSION.findall(text) for path in PAYLOAD_PATH.findall(expression)}
    assert {"progress.title", "progress.lifts", "progress.facts"} <= paths
    for path in paths:
        node: Any = data
        for part in path.split("."):
            assert isinstance(node, dict) and part in node, f"payload.{path}"
            node = node[part]
    lift = data["progress"]["lifts"][0]
    assert {"line", "dots", "latest", "range"} <= set(lift), "the fields each chart binds as ${data.*}"


def test_the_largest_datasource_and_document_stay_far_under_the_response_limit() -> None:
    size = len(json.dumps(largest())) + len(json.dumps(DOCUMENT))
    assert size < 60_000, size
