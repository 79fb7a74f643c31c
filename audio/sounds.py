"""Stand-ins for ``<audio src>`` clips, which are not fetched: a short tone, and a note naming the clip.

Alexa's sound library is only playable on Alexa, and fetching arbitrary URLs would make local
rendering depend on the network for more than speech. A tone keeps the clip's place in the
timeline so nothing is silently dropped; the note says what would have played.
"""

from __future__ import annotations

from dataclasses import dataclass

from audio import pcm

SOUNDBANK = "soundbank://"


@dataclass(frozen=True)
class StandIn:
    """What plays instead of a clip, and the note that says so."""

    audio: bytes
    note: str


def stand_in(src: str) -> StandIn:
    """A tone for ``src``: ticks for Alexa's clock sounds, a high chime for bells, a plain beep otherwise."""
    name = src or "(no src)"
    if src.startswith(SOUNDBANK):
        where = "Alexa's sound library"
        lowered = src.lower()
        if "tick" in lowered or "clock" in lowered:
            tick = pcm.tone(40, frequency=1500.0) + pcm.silence(210)
            return StandIn(tick * 4, f"sound effect {name} from {where} played as ticks")
        if "bell" in lowered or "chime" in lowered:
            return StandIn(pcm.tone(400, frequency=1320.0), f"sound effect {name} from {where} played as a chime")
        return StandIn(pcm.tone(300), f"sound effect {name} from {where} played as a tone")
    return StandIn(pcm.tone(300, frequency=660.0), f"audio clip {name} not fetched; played as a tone")
