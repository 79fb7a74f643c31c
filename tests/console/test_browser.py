"""The console in a real headless Chromium against a real server: type, click, listen, save, replay.

The server is ``legday serve --dev``, as the README runs it. Speech is rendered by the offline engine, so nothing leaves the machine. Screenshots land in test-artifacts/console/; with
LEGDAY_UPDATE_SCREENSHOT=1 the README's docs/console.png is refreshed too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.cli import main
from tests.dev_server import DevServer, dev_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "console"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLIP_SRC = re.compile(r"http://127\.0\.0\.1:\d+/audio/[0-9a-f]{32}\.mp3")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """``legday serve --dev``, exactly as the README says, speaking offline."""
    env = {"LEGDAY_TTS_ENGINE": "offline", "LEGDAY_LOG_LEVEL": "WARNING"}
    with dev_server(tmp_path_factory.mktemp("console-server"), env=env) as started:
        yield started


@pytest.fixture(scope="module")
def server(running: DevServer) -> str:
    return running.base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.goto(f"{server}/console")
    opened.wait_for_selector(".suggestion")
    yield opened
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def turn(page: Any, number: int) -> Any:
    """The turn card ``number`` once its audio is ready (or has failed, which the test then sees)."""
    card = page.locator(f".turn[data-number='{number}']")
    card.wait_for()
    if card.locator("audio").count():
        page.wait_for_selector(f".turn[data-number='{number}'][data-audio]")
    return card


def audio_state(card: Any) -> dict[str, Any]:
    """The audio element's source, once the browser has loaded and decoded its metadata."""
    audio = card.locator("audio")
    audio.evaluate("""audio => audio.readyState >= 1 ? null : new Promise((resolve, reject) => {
        audio.addEventListener("loadedmetadata", resolve, { once: true });
        audio.addEventListener("error", () => reject(new Error("audio error " + audio.error.code)), { once: true });
    })""")
    return audio.evaluate("audio => ({src: audio.currentSrc, duration: audio.duration, ready: audio.readyState, "
                          "error: audio.error && audio.error.code})")


def click_suggestion(page: Any, text: str) -> None:
    page.locator(".suggestion:visible", has_text=re.compile(f"^{re.escape(text)}$")).first.click()


def test_typing_an_utterance_shows_the_intent_the_reply_and_audio_that_plays(page: Any) -> None:
    page.fill("#utterance", "start leg day")
    page.press("#utterance", "Enter")
    card = turn(page, 1)
    assert card.locator(".utterance").inner_text() == "start leg day"
    assert card.locator(".intent").inner_text() == "StartWorkoutIntent"
    assert "one-shot" in card.locator(".heard").inner_text()
    speech = card.locator(".speech").inner_text()
    assert "leg day" in speech and "Leg swing" in speech
    assert card.locator(".listening").inner_text().startswith("Listening. Reprompt: ")
    assert page.input_value("#utterance") == ""

    state = audio_state(card)
    assert CLIP_SRC.fullmatch(state["src"]), state
    assert state["error"] is None and state["duration"] > 2
    info = card.locator(".audio-info").inner_text()
    assert info.endswith("espeak-ng")
    assert abs(float(info.split(" s")[0]) - state["duration"]) < 0.5  # what was rendered is what plays
    # Replies play by themselves (the box is ticked): the newest one is under way.
    page.wait_for_function("() => { const a = document.querySelector('.turn[data-number=\"1\"] audio'); "
                           "return a && !a.paused && a.currentTime > 0; }")
    shoot(page, "typed-start-leg-day")


def test_clicking_suggestions_walks_a_workout_with_countdowns_a_screen_and_an_ending(page: Any) -> None:
    page.uncheck("#autoplay")
    click_suggestion(page, "open leg day coach")
    launched = turn(page, 1)
    assert launched.locator(".request-type").inner_text() == "LaunchRequest"
    assert "new session" in launched.locator(".heard").inner_text()
    assert "Session open" in page.locator("#status").inner_text()

    click_suggestion(page, "yes")
    assert turn(page, 2).locator(".intent").inner_text() == "AMAZON.YesIntent"
    for number in range(3, 7):  # the warm-up flows without rests: the first rest follows the first main set
        click_suggestion(page, "done")
        rest = turn(page, number)
    assert rest.locator(".intent").inner_text() == "SetDoneIntent"
    pauses = [float(text.split()[1]) for text in rest.locator(".pause").all_inner_texts()]
    assert pauses and sum(pauses) >= 5
    # The rendered countdown lasts at least as long as its silences: the rest is heard in real time.
    assert audio_state(rest)["duration"] >= sum(pauses)

    rest.locator("details.response summary").click()
    response = json.loads(rest.locator("details.response pre").inner_text())
    assert type(response["sessionAttributes"].pop("revision")) is int  # the saved record's, for the next turn
    assert response["sessionAttributes"] == {"position": [3, 2]}
    assert rest.locator("details.response .json-key").count() > 3  # highlighted

    page.check("input[value=screen]")
    page.fill("#utterance", "how many sets left")
    page.press("#utterance", "Enter")
    progress = turn(page, 7)
    assert progress.locator(".device-badge").inner_text() == "Echo Show"
    progress.locator("details.request summary").click()
    request = json.loads(progress.locator("details.request pre").inner_text())
    assert "Alexa.Presentation.APL" in request["context"]["System"]["device"]["supportedInterfaces"]
    directives = response_directives(progress)
    if directives:
        assert progress.locator(".screen-headline").count() == len(directives)
    else:
        assert progress.locator(".screen").inner_text() == "No screen directive in this response"
    shoot(page, "walk-with-screen")

    page.click("#end")
    ended = turn(page, 8)
    assert ended.locator(".request-type").inner_text() == "SessionEndedRequest"
    assert ended.locator(".ended").inner_text() == "Session ended by the user."
    assert page.locator("#status").inner_text().startswith("No session open.")
    page.click("#end")
    page.wait_for_function("() => document.querySelector('#message').textContent.includes('no session')")
    assert page.locator(".turn").count() == 8

    user = page.locator("#status .user").get_attribute("title")
    page.click("#new-user")
    assert page.locator(".turn").count() == 0
    page.click("#launch")
    assert turn(page, 1).locator(".request-type").inner_text() == "LaunchRequest"
    assert page.locator("#status .user").get_attribute("title") != user


def response_directives(card: Any) -> list[dict[str, Any]]:
    card.locator("details.response summary").click()
    response = json.loads(card.locator("details.response pre").inner_text())
    return [directive for directive in response["response"].get("directives", [])
            if directive["type"] == "Alexa.Presentation.APL.RenderDocument"]


def test_a_saved_transcript_replays_on_the_command_line_and_in_the_page(page: Any, server: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    page.uncheck("#autoplay")
    for number, text in enumerate(["open leg day coach", "start a fifteen minute beginner leg day", "done",
                                   "how many sets left", "stop"], start=1):
        page.fill("#utterance", text)
        page.press("#utterance", "Enter")
        turn(page, number)
    with page.expect_download() as download:
        page.click("#save")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"legday-transcript-\d{8}T\d{6}\.json", saved.name)
    transcript = json.loads(saved.read_text(encoding="utf-8"))
    assert [t["utterance"] for t in transcript["turns"]][1:] == [
        "start a fifteen minute beginner leg day", "done", "how many sets left", "stop"]

    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path / "replay-data"))
    result = CliRunner().invoke(main, ["replay", str(saved)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "replayed 5 turns: 5 matched, 0 differed"
    over_http = CliRunner().invoke(main, ["replay", str(saved), "--url", f"{server}/alexa"])
    assert over_http.exit_code == 0, over_http.output
    assert over_http.output.splitlines()[-1] == "replayed 5 turns: 5 matched, 0 differed"

    page.set_input_files("#replay-file", str(saved))
    page.wait_for_selector("#replay-report:not([hidden]) .summary")
    assert page.locator("#replay-report .summary").inner_text() == "replayed 5 turns: 5 matched, 0 differed"
    assert page.locator("#replay-report li.ok").count() == 5

    transcript["turns"][2]["expected"]["session_attributes"] = {"position": [3, 1]}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(transcript), encoding="utf-8")
    page.set_input_files("#replay-file", str(broken))
    page.wait_for_function("() => document.querySelector('#replay-report .summary').textContent.includes('1 differed')")
    assert page.locator("#replay-report li.differs .difference").inner_text() == \
        'session attributes: expected {"position": [3, 1]}, got {"position": [1, 1]}'
    shoot(page, "replay-report")
    assert CliRunner().invoke(main, ["replay", str(broken)]).exit_code == 1


def test_the_person_switch_speaks_as_anna_then_as_a_voice_alexa_does_not_recognise(page: Any) -> None:
    page.uncheck("#autoplay")
    page.check("input[name=person][value='amzn1.ask.person.anna']")
    page.click("#launch")
    anna = turn(page, 1)
    assert anna.locator(".person-badge").inner_text() == "as anna"
    assert anna.locator(".speech .say").first.inner_text().split()[1].strip("!,") == "Anna"
    assert audio_state(anna)["error"] is None, "the greeting renders, its name spoken plainly"
    page.check("input[name=person][value='']")
    page.click("#launch")
    nobody = turn(page, 2)
    assert nobody.locator(".person-badge").count() == 0 and "Anna" not in nobody.locator(".speech").inner_text()


def test_show_my_progress_previews_the_echo_show_chart(page: Any, running: DevServer) -> None:
    from datetime import timedelta

    from skill.config import Settings
    from skill.store import make_store
    from skill.store.records import Owner
    from skill.workout.progress import UserRecord
    from tests.history.conftest import lift, today, workout

    page.uncheck("#autoplay")
    page.check("input[value=screen]")
    page.fill("#utterance", "what's my streak")
    page.press("#utterance", "Enter")
    assert turn(page, 1).locator(".say").first.inner_text().startswith(("No leg days logged yet", "Nothing logged yet"))
    owner = Owner(page.locator("#status .user").get_attribute("title"))
    day = today()
    entries = [workout(day - timedelta(weeks=weeks), lift("squat", 8, 50 + 5 * (3 - weeks)),
                       lift("deadlift", 5, 100 + 10 * (3 - weeks), unit="lb")) for weeks in (3, 2, 1, 0)]
    record = UserRecord()
    for entry in entries:
        record.summary.add(entry)
    store = make_store(Settings(data_dir=running.data_dir, verify_requests=False))
    store.save(owner, record.to_dict(), based_on=store.load(owner).revision, log=[entry.log_item() for entry in entries],
               summary=record.summary.to_dict())
    page.click("#end")
    turn(page, 2)

    page.fill("#utterance", "show my progress")
    page.press("#utterance", "Enter")
    shown = turn(page, 3)
    assert shown.locator(".intent").inner_text() == "ShowProgressIntent"
    [directive] = response_directives(shown)
    lifts = directive["datasources"]["progress"]["lifts"]
    charts = shown.locator("svg.lift-chart")
    assert charts.count() == 2
    for index, lift_ in enumerate(lifts):
        chart = charts.nth(index)
        assert chart.get_attribute("data-lift") == lift_["name"]
        assert chart.locator("path.chart-line").get_attribute("d") == lift_["line"], "the same path data as the AVG"
        assert chart.locator("path.chart-dots").get_attribute("d") == lift_["dots"]
        box = chart.locator("path.chart-line").bounding_box()
        assert box is not None and box["width"] > 50 and box["height"] > 50, "drawn, rising across the chart"
    assert shown.locator(".lift-latest").all_inner_texts() == ["Squat: 65 kg", "Deadlift: 130 lb"]
    assert "M" not in shown.locator(".screen").inner_text().split("APL datasources")[0], "path data is drawn, not listed"
    shoot(page, "progress-chart")


def test_the_readme_screenshot(page: Any) -> None:
    """A leg day in progress on an Echo Show, as the README shows it (refreshed with LEGDAY_UPDATE_SCREENSHOT=1)."""
    page.uncheck("#autoplay")
    page.check("input[value=screen]")
    for number, text in enumerate(["open leg day coach", "start a fifteen minute beginner leg day with no equipment",
                                   "done"], start=1):
        click_or_type(page, text)
        turn(page, number)
    page.mouse.move(0, 0)
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.evaluate("window.scrollTo(0, 0)")
    page.check("#autoplay")  # as a newcomer sees it (ticking it plays nothing by itself)
    shoot(page, "readme")
    if os.environ.get("LEGDAY_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(ARTIFACTS / "readme.png", ROOT / "docs" / "console.png")
    assert (ROOT / "docs" / "console.png").stat().st_size > 10_000


def click_or_type(page: Any, text: str) -> None:
    suggestion = page.locator(".suggestion:visible", has_text=re.compile(f"^{re.escape(text)}$"))
    if suggestion.count():
        suggestion.first.click()
    else:
        page.fill("#utterance", text)
        page.press("#utterance", "Enter")
