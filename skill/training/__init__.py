"""The training log and its summary: plain Python, no Flask, no SDK, no store.

``log`` is what a finished workout leaves behind (every set); ``summary`` is the small, bounded
digest of the whole log that the live record carries; ``calendar`` turns moments into the dates,
weeks and months they are counted under; ``migrate`` reads records of before the log;
``history`` answers questions from pages of the log.
"""
