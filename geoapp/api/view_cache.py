"""This worker's encoded map views, so that the same view is not computed twice.

Keys hold the view's ETag, and the ETag holds the consultation's change version, which every
change raises in the database: a change made through any worker makes every older entry
unreachable at once, so no worker ever serves a stale view. It is a bounded resource (least
recently used entries go first), not state: an empty cache only costs time.
"""

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass

GZIP_LEVEL = 5  # nearly level 9's size for a fraction of its time on GeoJSON


@dataclass(frozen=True)
class Encoded:
    """One answer, as sent plain and as sent to clients that accept gzip."""

    plain: bytes
    gzipped: bytes

    @classmethod
    def of(cls, body: bytes) -> "Encoded":
        return cls(body, gzip.compress(body, GZIP_LEVEL, mtime=0))


class ViewCache:
    """At most `entries` encoded views; 0 keeps none."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[tuple[str, str], Encoded] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Encoded | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], value: Encoded) -> None:
        if self.entries == 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
