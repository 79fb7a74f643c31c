"""Hearing the skill without an Echo: its SSML rendered to MP3 with gTTS, or espeak-ng offline."""
