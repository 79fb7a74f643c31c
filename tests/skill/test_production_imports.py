"""Production loads only what answers a request: no audio, no console, no local tools, no import loops."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("skill", "intents", "audio")

DEV_ONLY = (
    "gtts", "lameenc", "miniaudio", "requests",  # the audio extra (requests: only gTTS uses it)
    "audio", "skill.console", "skill.local", "skill.cli", "skill.cli_settings", "bench", "tests",
)
"""Modules (and their submodules) a production app must not import, answering or refusing requests."""

THIRD_PARTY_HOOKS = {"six._SixMetaPathImporter"}
"""Import hooks installed by the SDK's own dependencies (ask-sdk-model imports six)."""

SCRIPT = """
import json, sys
finders = list(sys.meta_path)
from skill.app import create_app

launch = json.loads(sys.argv[1])
verified = create_app({"data_dir": sys.argv[2]})  # as deployed: signatures checked, not dev
refused = verified.test_client().post("/alexa", json=launch)
assert refused.status_code == 400, refused.get_data(as_text=True)  # no signature on this request
unverified = create_app({"data_dir": sys.argv[2], "verify_requests": False})
answered = unverified.test_client().post("/alexa", json=launch)
assert answered.status_code == 200, answered.get_data(as_text=True)
assert answered.get_json()["response"]["outputSpeech"]["ssml"].startswith("<speak>")
hooks = [f"{type(f).__module__}.{type(f).__qualname__}" for f in sys.meta_path if f not in finders]
print(json.dumps({"modules": sorted(sys.modules), "hooks": hooks}))
"""


def production_run(tmp_path: Path) -> dict[str, list[str]]:
    launch = (REPO / "tests" / "requests" / "launch.json").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SCRIPT, launch, str(tmp_path)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_production_app_answering_a_launch_imports_no_dev_tooling(tmp_path: Path) -> None:
    loaded = production_run(tmp_path)
    forbidden = sorted(name for name in loaded["modules"]
                       if any(name == dev or name.startswith(dev + ".") for dev in DEV_ONLY))
    assert not forbidden, f"production imported development tooling: {forbidden}"
    assert "skill.app" in loaded["modules"], "the script did build the app"
    project_hooks = set(loaded["hooks"]) - THIRD_PARTY_HOOKS
    assert not project_hooks, f"production installed import hooks: {sorted(project_hooks)}"


def project_imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports, inside functions too."""
    modules = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        named = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                named.add(node.module)
                named.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = set()
        for target in named:
            while target and target not in modules:  # ``from skill.x import name``: the module skill.x
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, as the modules along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = "done"
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_no_modules_import_each_other_in_a_loop() -> None:
    graph = project_imports()
    assert "skill.app" in graph["skill.cli"], "the graph counts imports inside functions"
    cycle = find_cycle(graph)
    assert cycle is None, "import loop (pass a factory down instead of importing upward): " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_loop() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
