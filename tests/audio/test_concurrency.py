"""Many renders of one prompt at once, in threads and in processes, make each file once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from audio.cache import FileStore, content_key
from audio.render import Rendering, render_ssml
from skill.config import Settings
from tests.audio.conftest import FakeGoogle, files_in

PROMPT = "<speak>Squat: 3 sets of 10 reps. <break time=\"2s\"/> Chest up, knees out. Go!</speak>"
SENTENCES = ("Squat: 3 sets of 10 reps.", "Chest up, knees out.", "Go!")
RENDERERS = 8
CHILD = (
    "import sys, time\n"
    "from audio.render import engines_for, render_ssml\n"
    "from skill.config import Settings\n"
    "settings = Settings.from_env()\n"
    "[engine] = engines_for(settings)\n"
    "speak = type(engine).synthesize\n"
    "def logged(self, text):\n"
    "    # Slow enough that the processes overlap; each run is logged so the test can count them.\n"
    "    with open(sys.argv[2], 'a') as log:\n"
    "        log.write(type(self).__name__ + '\\n')\n"
    "    time.sleep(0.3)\n"
    "    return speak(self, text)\n"
    "type(engine).synthesize = logged\n"
    "print(render_ssml(sys.argv[1], settings).clip_id)\n"
)


def test_threads_rendering_one_prompt_make_one_request_per_sentence_and_one_file(
    audio_settings: Settings, google: FakeGoogle
) -> None:
    google.delay = 0.05  # long enough for every thread to arrive while the first is still asking
    start = threading.Barrier(RENDERERS)
    results: list[Rendering] = []

    def render() -> None:
        start.wait()
        results.append(render_ssml(PROMPT, audio_settings))

    threads = [threading.Thread(target=render) for _ in range(RENDERERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == RENDERERS
    assert sorted(sent.text for sent in google.sent) == sorted(SENTENCES)
    assert sum(result.requests for result in results) == len(SENTENCES)
    assert len({result.clip_id for result in results}) == 1
    assert len(files_in(audio_settings.audio_cache_dir / "responses")) == 1
    assert len(files_in(audio_settings.audio_cache_dir / "clips")) == len(SENTENCES)


def test_processes_rendering_one_prompt_make_one_file(tmp_path: Path) -> None:
    runs = tmp_path / "espeak-runs.log"
    data = tmp_path / "data"
    environment = {**os.environ, "LEGDAY_DATA_DIR": str(data), "LEGDAY_TTS_ENGINE": "offline"}

    children = [subprocess.Popen([sys.executable, "-c", CHILD, PROMPT, str(runs)], env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [child.communicate(timeout=60) for child in children]

    assert [child.returncode for child in children] == [0] * 4, [error for _, error in outputs]
    assert len({out.strip() for out, _ in outputs}) == 1
    assert runs.read_text().split() == ["EspeakLibrary"] * len(SENTENCES), "each sentence spoken once, in process"
    settings = Settings(data_dir=data)
    assert len(files_in(settings.audio_cache_dir / "responses")) == 1
    assert len(files_in(settings.audio_cache_dir / "clips")) == len(SENTENCES)


def test_a_failed_make_leaves_nothing_and_the_next_caller_tries_again(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "store")
    key = content_key(text="hello")

    def fail() -> bytes:
        raise RuntimeError("engine broke")

    with pytest.raises(RuntimeError):
        store.get_or_make(key, ".mp3", fail)
    assert files_in(store.folder) == []
    with pytest.raises(ValueError, match="empty"):
        store.get_or_make(key, ".mp3", lambda: b"")
    assert files_in(store.folder) == []

    path, made = store.get_or_make(key, ".mp3", lambda: b"audio")
    assert made and path.read_bytes() == b"audio"
    assert store.get_or_make(key, ".mp3", fail) == (path, False)


def test_content_keys_are_stable_and_differ_by_every_field() -> None:
    key = content_key(text="Go!", engine="gtts", lang="en", tld="com")

    assert key == content_key(tld="com", lang="en", engine="gtts", text="Go!")
    assert len(key) == 32
    assert key != content_key(text="Go!", engine="gtts", lang="en", tld="co.uk")
    assert key != content_key(text="Go!", engine="espeak-ng", lang="en", tld="com")
    with pytest.raises(ValueError, match="not a cache key"):
        FileStore(Path("unused")).path("../" + key[:29], ".mp3")
