"""Per-process caches with a time limit, for small rows that nearly every request reads.

A `LocalCache` entry lives in one server process for at most `seconds`; a save or delete of a watched model in
this process empties the cache at once (`watch`), and other processes see the change when their entry expires.
Three uses:

* reference tables (categories, deadline policies, the calendar), read only outside transactions so that a
  transaction always sees its own writes;
* places (buildings, `gongzhi.demands.places`), likewise;
* credentials (API tokens, Open311 clients, with the token user's roles): handed out as copies
  (`gongzhi.accounts.credentials.copy_credential`), so a request can never change the cached row. A revoked token or a deactivated account stops working at once in the
  process that made the change and within `seconds` in the others (setting GONGZHI_CREDENTIAL_CACHE_SECONDS;
  0 turns the cache off).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save

MAX_ENTRIES = 10_000


class LocalCache:
    def __init__(self, seconds: float | Callable[[], float], *, outside_transactions_only: bool = False,
                 copies: Callable[[Any], Any] | None = None):
        """`copies`: a function that copies a cached value; when given, callers get copies, never the entry."""
        self._seconds = seconds
        self.outside_transactions_only = outside_transactions_only
        self.copies = copies
        self._entries: dict = {}
        self._lock = threading.Lock()

    @property
    def seconds(self) -> float:
        return self._seconds() if callable(self._seconds) else self._seconds

    def get(self, key, load: Callable):
        seconds = self.seconds
        if seconds <= 0 or (self.outside_transactions_only and connection.in_atomic_block):
            return load()
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and now - hit[0] < seconds:
            value = hit[1]
        else:
            value = load()
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (now, value)
        return self.copies(value) if self.copies is not None and value is not None else value

    def clear(self, **_signal_kwargs) -> None:
        with self._lock:
            self._entries.clear()

    def watch(self, models: Iterable, name: str) -> LocalCache:
        """Empty the cache whenever a row of these models is saved or deleted in this process."""
        for model in models:
            label = f"{name}.{model._meta.label_lower}"
            post_save.connect(self.clear, sender=model, weak=False, dispatch_uid=f"{label}.save")
            post_delete.connect(self.clear, sender=model, weak=False, dispatch_uid=f"{label}.delete")
        return self
