"""The offline engine, run for real: espeak-ng's library from the audio extra, and the system program."""

from __future__ import annotations

import array
import shutil
import subprocess
import sys
import threading
import wave
from io import BytesIO
from pathlib import Path

import pytest

from audio import pcm
from audio.engines import EngineUnavailable
from audio.espeak import Espeak, EspeakVoice, espeak_voice
from audio.espeak_library import EspeakLibrary
from audio.render import engines_for
from skill.config import Settings

needs_program = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="the system espeak-ng program is not installed (apt-get install espeak-ng; `make test` installs it); "
           "the audio extra's espeak-ng library is tested all the same")


def seconds(audio: bytes) -> float:
    """How long encoded audio plays."""
    return pcm.duration_of_pcm(pcm.decode(audio))


ENGINES = [pytest.param(EspeakLibrary, id="library"), pytest.param(Espeak, id="program", marks=needs_program)]


@pytest.mark.parametrize("engine", ENGINES)
def test_espeak_ng_speaks_offline(engine: type[EspeakVoice]) -> None:
    synthesis = engine().synthesize("Rest sixty seconds.")

    assert synthesis.requests == 0
    assert synthesis.audio[:4] == b"RIFF"
    assert 0.8 < seconds(synthesis.audio) < 3.0


@pytest.mark.parametrize("engine", ENGINES)
def test_text_that_looks_like_an_option_is_spoken_not_obeyed(engine: type[EspeakVoice]) -> None:
    synthesis = engine().synthesize("--version")

    assert seconds(synthesis.audio) > 0.3


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unknown_voice_is_reported(engine: type[EspeakVoice]) -> None:
    with pytest.raises(EngineUnavailable, match=r"voice .*does not exist"):
        engine(voice="xx-nowhere").synthesize("Hello.")


@needs_program
def test_the_library_and_the_program_speak_alike() -> None:
    library = seconds(EspeakLibrary().synthesize("Chest up, knees out.").audio)
    program = seconds(Espeak().synthesize("Chest up, knees out.").audio)

    assert library == pytest.approx(program, rel=0.15), "same voice and speed, so about the same length"


def test_the_library_speaks_16_bit_mono_at_its_own_rate() -> None:
    with wave.open(BytesIO(EspeakLibrary().synthesize("Go!").audio)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 22_050)
        samples = array.array("h", sound.readframes(sound.getnframes()))

    assert max(abs(sample) for sample in samples) > 3000, "speech, not silence"


@pytest.mark.parametrize("voice", ["en-us", "en-gb", "de", "fr"])
def test_the_library_finds_a_voice_by_file_or_by_language(voice: str) -> None:
    # "en-us" is a voice file of its own; "en-gb" is a language of the file "en", as the program resolves it.
    synthesis = EspeakLibrary(voice=voice).synthesize("Drei, deux, one.")

    assert seconds(synthesis.audio) > 0.8


def test_threads_share_the_library_one_sentence_at_a_time() -> None:
    engine = EspeakLibrary()
    texts = ("Go!", "Squat deep, then drive up through your heels and stand tall.")
    alone = {text: seconds(engine.synthesize(text).audio) for text in texts}
    results: list[tuple[str, float]] = []
    start = threading.Barrier(8)

    def speak(text: str) -> None:
        start.wait()
        results.append((text, seconds(engine.synthesize(text).audio)))

    threads = [threading.Thread(target=speak, args=(text,)) for text in texts * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert alone[texts[1]] > 3 * alone[texts[0]]
    assert len(results) == 8
    for text, spoken in results:
        assert spoken == pytest.approx(alone[text], rel=0.02), f"{text!r} got another sentence's samples"


def test_a_late_sentence_is_given_up_and_the_library_still_speaks_after() -> None:
    with pytest.raises(EngineUnavailable, match="took longer than 0.001 s"):
        EspeakLibrary(timeout=0.001).synthesize("Squat deep and drive through your heels. " * 300)

    assert seconds(EspeakLibrary().synthesize("Go!").audio) > 0.2


def test_missing_voice_data_is_a_reason_not_the_end_of_the_process(tmp_path: Path) -> None:
    empty = tmp_path / "espeak-ng-data"
    empty.mkdir()
    child = ("import sys, espeakng_loader\n"
             "espeakng_loader.get_data_path = lambda: sys.argv[1]\n"
             "from audio.engines import EngineUnavailable\n"
             "from audio.espeak_library import EspeakLibrary\n"
             "try:\n"
             "    EspeakLibrary().synthesize('Go!')\n"
             "except EngineUnavailable as error:\n"
             "    print(error.reason)\n")

    # espeak-ng exits the process when its data is missing unless told not to: run it where that cannot hurt.
    done = subprocess.run([sys.executable, "-c", child, str(empty)], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "cannot load espeak-ng's library: espeak_Initialize found no usable voice data " \
                                  "in espeak-ng-data"


def test_a_missing_program_is_named_with_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(EngineUnavailable, match=r"pip install 'leg-day-coach\[audio\]'.*apt-get install espeak-ng"):
        Espeak().synthesize("Hello.")


@pytest.mark.parametrize(("lang", "tld", "voice"), [
    ("en", "com", "en-us"), ("en", "co.uk", "en-gb"), ("en", "com.au", "en-gb"), ("fr", "fr", "fr"),
])
def test_voice_follows_gtts_language_and_accent(lang: str, tld: str, voice: str) -> None:
    assert espeak_voice(lang, tld) == voice


@pytest.mark.parametrize(("choice", "names"), [
    ("auto", ["gtts", "espeak-ng"]), ("gtts", ["gtts"]), ("offline", ["espeak-ng"]),
])
def test_settings_choose_the_engines(choice: str, names: list[str]) -> None:
    assert [engine.name for engine in engines_for(Settings(tts_engine=choice))] == names


def test_the_library_is_preferred_and_the_program_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(tts_engine="offline")
    assert [type(engine) for engine in engines_for(settings)] == [EspeakLibrary]

    monkeypatch.setitem(sys.modules, "espeakng_loader", None)  # as if not installed: importing it raises ImportError

    assert [type(engine) for engine in engines_for(settings)] == [Espeak]


def test_the_library_and_the_program_never_share_a_cached_clip() -> None:
    assert EspeakLibrary().voice() != Espeak().voice()
    assert EspeakLibrary().voice()["library"].startswith("espeakng-loader ")
