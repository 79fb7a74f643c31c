"""Raw audio in one format (16-bit mono at 24 kHz): decode, silence, tones, MP3 encoding, measuring.

miniaudio decodes MP3 and WAV and resamples; lameenc encodes MP3. Both ship wheels with the
codecs compiled in, so a developer needs nothing but pip (no ffmpeg on the PATH).
"""

from __future__ import annotations

import array
import math
from pathlib import Path

import lameenc
import miniaudio

SAMPLE_RATE = 24_000
"""One of Alexa's accepted rates, and the rate gTTS already speaks at."""
BIT_RATE_KBPS = 48
"""Alexa's required bit rate for ``<audio>`` clips."""
SAMPLE_BYTES = 2


class AudioError(Exception):
    """Audio bytes that cannot be decoded or measured."""


def decode(data: bytes) -> bytes:
    """MP3 or WAV bytes as 16-bit mono PCM at ``SAMPLE_RATE``."""
    try:
        sound = miniaudio.decode(data, miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=SAMPLE_RATE)
    except miniaudio.DecodeError as error:
        raise AudioError(f"cannot decode audio ({len(data)} bytes): {error}") from error
    return sound.samples.tobytes()


def silence(milliseconds: int) -> bytes:
    """PCM silence of exactly ``milliseconds``."""
    return bytes(frames_for(milliseconds) * SAMPLE_BYTES)


def frames_for(milliseconds: int) -> int:
    """How many samples last ``milliseconds``."""
    return max(0, round(SAMPLE_RATE * milliseconds / 1000))


def tone(milliseconds: int = 300, frequency: float = 880.0, volume: float = 0.3) -> bytes:
    """A soft sine beep with short fades, standing in for a sound effect."""
    frames = frames_for(milliseconds)
    fade = max(1, frames_for(15))
    samples = array.array("h")
    for i in range(frames):
        envelope = min(1.0, i / fade, (frames - 1 - i) / fade)
        samples.append(round(32767 * volume * envelope * math.sin(2 * math.pi * frequency * i / SAMPLE_RATE)))
    return samples.tobytes()


def duration_of_pcm(pcm: bytes) -> float:
    """Seconds of 16-bit mono PCM at ``SAMPLE_RATE``."""
    return len(pcm) / SAMPLE_BYTES / SAMPLE_RATE


def encode_mp3(pcm: bytes) -> bytes:
    """16-bit mono PCM at ``SAMPLE_RATE`` as an MP3 Alexa accepts (MPEG-2, 48 kbps, 24 kHz)."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(pcm) + encoder.flush())


def mp3_duration(path: Path) -> float:
    """Seconds of audio in an MP3 file, counted from its decoded frames."""
    try:
        info = miniaudio.mp3_get_file_info(str(path))
    except miniaudio.DecodeError as error:
        raise AudioError(f"cannot read {path.name}: {error}") from error
    return info.num_frames / info.sample_rate
