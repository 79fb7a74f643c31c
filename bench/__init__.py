"""Benchmarks: the skill against a bare Flask route and a hello-world ASK SDK skill (``python -m bench.run``)."""
