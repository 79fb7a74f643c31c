"""espeak-ng as a library: libespeak-ng and its voices from the espeakng-loader wheel, through ctypes.

The audio extra installs that wheel, so a fresh machine speaks offline with pip alone: no system
package, no network. espeak-ng keeps its state in globals and is not thread safe, so one
process-wide lock covers loading it and every synthesis. Each synthesis has a deadline like the
other engines; once it passes, the caller stops waiting and the library's next buffer of audio
aborts the rest of that sentence, so the lock is soon free again.
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import io
import os
import threading
import wave
from functools import cache
from pathlib import Path

from audio.deadline import DeadlineExceeded, call_with_deadline
from audio.engines import EngineUnavailable, Synthesis
from audio.espeak import EspeakVoice

# From espeak-ng's speak_lib.h.
AUDIO_OUTPUT_SYNCHRONOUS = 2
"""Audio handed to the callback, and espeak_Synth returns only when the text is spoken."""
INITIALIZE_DONT_EXIT = 0x8000
"""Without it, espeak-ng ends the whole process when it cannot find its data."""
CHARS_UTF8 = 1
ENDPAUSE = 0x1000
"""The pause after the last sentence, as the espeak-ng program adds it: clips keep the same rhythm."""
POS_CHARACTER = 1
RATE = 1
EE_OK = 0
EE_NOT_FOUND = 2


class _VoiceSpec(ctypes.Structure):
    """speak_lib.h's espeak_VOICE, as a selection by language."""

    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_LOCK = threading.Lock()
"""One synthesis at a time in this process: espeak-ng's state is global."""
_loaded: list[_Library] = []


def library_installed() -> bool:
    """True when espeakng-loader (libespeak-ng and its voice data) is installed for this platform."""
    try:
        import espeakng_loader
    except ImportError:
        return False
    return Path(espeakng_loader.get_library_path()).is_file()


@cache
def loader_version() -> str:
    """The espeakng-loader release, which fixes the espeak-ng build that speaks."""
    try:
        return importlib.metadata.version("espeakng-loader")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class EspeakLibrary(EspeakVoice):
    """espeak-ng run in process from the audio extra's library; writes WAV at the library's own rate."""

    def voice(self) -> dict[str, str]:
        """Voice, speed and the library's release (another build sounds a little different)."""
        return {**super().voice(), "library": f"espeakng-loader {loader_version()}"}

    def synthesize(self, text: str) -> Synthesis:
        """WAV of ``text``, or ``EngineUnavailable`` when the library is missing, fails or runs late."""
        cancelled = threading.Event()
        try:
            samples, rate = call_with_deadline(
                lambda: _speak(text, self.voice_name, self.words_per_minute, cancelled, self.timeout),
                self.timeout, name="espeak-ng")
        except DeadlineExceeded as error:
            cancelled.set()
            raise EngineUnavailable(f"espeak-ng took longer than {self.timeout:g} s") from error
        if not samples:
            raise EngineUnavailable(f"espeak-ng made no sound for {text[:40]!r}")
        return Synthesis(_wav(samples, rate))


def _speak(text: str, voice: str, words_per_minute: int, cancelled: threading.Event,
           wait: float) -> tuple[bytes, int]:
    """16-bit mono samples of ``text`` and their rate, made under the process-wide lock."""
    if not _LOCK.acquire(timeout=wait):
        raise EngineUnavailable(f"espeak-ng stayed busy for {wait:g} s")
    try:
        if cancelled.is_set():  # the caller gave up while this waited its turn
            return b"", 0
        library = _loaded[0] if _loaded else _load()
        return library.speak(text, voice, words_per_minute, cancelled), library.sample_rate
    finally:
        _LOCK.release()


def _load() -> _Library:
    """Load and start libespeak-ng once per process (the caller holds the lock)."""
    try:
        import espeakng_loader

        library = _Library(espeakng_loader.get_library_path(), Path(espeakng_loader.get_data_path()))
    except ImportError as error:
        raise EngineUnavailable("espeak-ng's library is not installed (pip install 'leg-day-coach[audio]')") from error
    except (OSError, RuntimeError) as error:
        raise EngineUnavailable(f"cannot load espeak-ng's library: {error}") from error
    _loaded.append(library)
    return library


class _Library:
    """libespeak-ng started in synchronous retrieval mode, its audio collected by a callback."""

    def __init__(self, path: str, data: Path) -> None:
        cdll = ctypes.CDLL(path)
        cdll.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        cdll.espeak_Initialize.restype = ctypes.c_int
        cdll.espeak_SetSynthCallback.argtypes = [_Callback]
        cdll.espeak_SetSynthCallback.restype = None
        cdll.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        cdll.espeak_SetVoiceByName.restype = ctypes.c_int
        cdll.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_VoiceSpec)]
        cdll.espeak_SetVoiceByProperties.restype = ctypes.c_int
        cdll.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        cdll.espeak_SetParameter.restype = ctypes.c_int
        cdll.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                      ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        cdll.espeak_Synth.restype = ctypes.c_int
        # The path is the folder that holds espeak-ng-data; buffers of the default 60 ms.
        rate = cdll.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data.parent), INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise RuntimeError(f"espeak_Initialize found no usable voice data in {data.name}")
        self.cdll = cdll
        self.sample_rate = rate
        self._chunks: list[bytes] = []
        self._cancelled = threading.Event()
        self._callback = _Callback(self._collect)  # kept alive here: the library calls it until the process ends
        cdll.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int | None) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 1 if self._cancelled.is_set() else 0  # 1 aborts the synthesis

    def _select(self, voice: str) -> int:
        # As the espeak-ng program does: a voice file's name ("en-us"), else a language ("en-gb" lives in "en").
        found = self.cdll.espeak_SetVoiceByName(voice.encode("utf-8"))
        if found != EE_NOT_FOUND:
            return int(found)
        return int(self.cdll.espeak_SetVoiceByProperties(ctypes.byref(_VoiceSpec(languages=voice.encode("utf-8")))))

    def speak(self, text: str, voice: str, words_per_minute: int, cancelled: threading.Event) -> bytes:
        """16-bit samples of ``text`` in ``voice``; the caller holds the lock."""
        found = self._select(voice)
        if found == EE_NOT_FOUND:
            raise EngineUnavailable(f"espeak-ng failed: the voice {voice!r} does not exist")
        if found != EE_OK:
            raise EngineUnavailable(f"espeak-ng failed to set the voice {voice!r} (error {found})")
        self.cdll.espeak_SetParameter(RATE, words_per_minute, 0)
        self._chunks = []
        self._cancelled = cancelled
        data = text.encode("utf-8") + b"\0"
        status = self.cdll.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8 | ENDPAUSE, None, None)
        if status != EE_OK:
            raise EngineUnavailable(f"espeak-ng failed: espeak_Synth returned {status}")
        return b"".join(self._chunks)


def _wav(samples: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()
