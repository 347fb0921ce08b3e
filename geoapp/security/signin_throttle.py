"""The slow-down after failed sign-ins: a few free tries, then a wait that doubles each time.

It counts per username *and* client network, so an attacker elsewhere cannot lock the owner
out, and per network for every username, so one network cannot try names without end.
"""

import math
from datetime import datetime, timedelta

from geoapp.domain import SigninFailures

FIRST_WAIT_SECONDS = 15
ANY_USERNAME = ""  # the username of a network's row that counts failures for every username


def seconds_to_wait(
    failures: SigninFailures | None, now: datetime, free_failures: int, max_wait: int
) -> int:
    """How long the next sign-in attempt must wait after these failures (0: not at all)."""
    if failures is None or failures.count < free_failures:
        return 0
    wait = min(FIRST_WAIT_SECONDS * 2 ** min(failures.count - free_failures, 32), max_wait)
    remaining = failures.last_at + timedelta(seconds=wait) - now
    return max(0, math.ceil(remaining.total_seconds()))
