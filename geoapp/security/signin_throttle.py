"""The slow-down after failed sign-ins: a few free tries, then a wait that doubles each time."""

import math
from datetime import datetime, timedelta

from geoapp.store.base import SigninFailures

FIRST_WAIT_SECONDS = 15


def seconds_to_wait(
    failures: SigninFailures | None, now: datetime, free_failures: int, max_wait: int
) -> int:
    """How long this username must wait before the next sign-in attempt (0: not at all)."""
    if failures is None or failures.count < free_failures:
        return 0
    wait = min(FIRST_WAIT_SECONDS * 2 ** (failures.count - free_failures), max_wait)
    remaining = failures.last_at + timedelta(seconds=wait) - now
    return max(0, math.ceil(remaining.total_seconds()))
