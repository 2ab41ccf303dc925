"""Running the same write from many threads at once (the concurrency tests).

SQLite's test database (shared-cache memory) answers "database table is locked" at once instead of waiting, so a
thread retries such a write after a short random pause until it goes through; PostgreSQL waits on its row locks and
never needs the retry. Any other error is raised."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from django.db import OperationalError, connection

RETRY_SECONDS = 120  # a loaded 2-core machine can keep 100 threads queued for a while


def retry_locked(call: Callable[[], object]) -> object:
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return call()
        except OperationalError as e:  # only SQLite's lock is retried
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.002, 0.02))


def run_at_once(calls: list[Callable[[], object]]) -> list:
    """Start every call in its own thread behind one barrier; return each call's result or the exception it raised,
    in order. Each thread closes its database connection when done."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait()
        try:
            results[i] = retry_locked(call)
        except Exception as e:  # noqa: BLE001 (returned to the test, which asserts on it)
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
