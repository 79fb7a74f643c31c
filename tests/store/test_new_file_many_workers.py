"""Workers starting at once on a new SQLite file (gunicorn's workers, on a first start) all open it:
a file another worker is still creating is waited for, never reported as damaged."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from queue import Empty

from skill.store.records import Owner
from skill.store.sqlite import SQLiteStore

WORKERS = 8
ROUNDS = 40


def open_store(path: Path, start: multiprocessing.synchronize.Barrier, errors: multiprocessing.Queue) -> None:
    start.wait()
    try:
        SQLiteStore(path).load(Owner("amzn1.ask.account.ME"))
    except Exception as error:  # the test reports whatever any worker met
        errors.put(repr(error))


def test_workers_opening_a_new_file_at_once_all_start(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    errors: multiprocessing.Queue = context.Queue()
    for round_number in range(ROUNDS):
        path = tmp_path / f"new-{round_number}.sqlite3"
        start = context.Barrier(WORKERS)
        workers = [context.Process(target=open_store, args=(path, start, errors)) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
            assert worker.exitcode == 0
    met = []
    while True:
        try:
            met.append(errors.get(timeout=0.1))
        except Empty:
            break
    assert met == []
