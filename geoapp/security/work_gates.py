"""Bounds on heavy work inside one process: image decodes, password hashes, text themes.

A gate is a resource bound, not state: it only caps how much memory and CPU one process spends
at once, so several workers need no shared counter for it.
"""

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from geoapp.errors import Busy


class WorkGate:
    """At most `limit` pieces of one kind of work at once; a caller over it waits briefly."""

    def __init__(self, limit: int, wait_seconds: float, busy_key: str) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self.wait_seconds = wait_seconds
        self.busy_key = busy_key

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Run the block in a free slot, or raise Busy when none frees up in time."""
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise Busy(self.busy_key, retry_after=max(1, math.ceil(self.wait_seconds)))
        try:
            yield
        finally:
            self._slots.release()


@dataclass(frozen=True)
class Gates:
    """The gates of one app: image decodes, argon2 verifications, themes computations."""

    decodes: WorkGate
    hashes: WorkGate
    themes: WorkGate
