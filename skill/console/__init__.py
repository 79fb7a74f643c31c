"""The local console: Alexa's Test tab, offline, at ``/console`` in development mode, and transcript replay.

``web.console_blueprint(settings, make_app)`` is the page and its API; ``replay.replay_command(make_app)``
builds ``legday replay FILE``. Both are handed the app factory by their caller (the app, the CLI):
nothing in the console imports the app, and nothing in production imports the console.
"""
