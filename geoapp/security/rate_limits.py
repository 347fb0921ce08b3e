"""Rate limits kept in the database, so that every worker counts with the same numbers.

Each action is counted in fixed windows, per participant and per client network (the network
only as its keyed daily hash). A request over any of its limits is refused with the seconds
until its window ends. A consultation's intake has its own daily cap, whoever sends.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from geoapp.config import Settings
from geoapp.domain import Hit
from geoapp.errors import TooManyAttempts
from geoapp.store.base import Store

DAY = timedelta(days=1)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class Action(StrEnum):
    PIN = "pin"
    REPLY = "reply"
    SUPPORT = "support"
    REPORT = "report"
    PHOTO = "photo"
    SIGNIN = "signin"
    PARTICIPANT = "participant"
    """A new participant token: minting fresh cookies is counted per network."""


@dataclass(frozen=True)
class Limit:
    """At most `per_participant` and `per_network` times per `window` (None: no such limit)."""

    per_participant: int | None
    per_network: int | None
    window: timedelta


@dataclass(frozen=True)
class Limiter:
    """The limits of one deployment, applied to the request of one client network."""

    store: Store
    limits: dict[Action, Limit]
    network: str

    def check(self, action: Action, participant: str | None, now: datetime) -> None:
        """Count this request; TooManyAttempts if it is over one of the action's limits."""
        for one in self.hits(action, participant, now):
            if self.store.count_hit(one.key, one.window_start, one.expires_at) > one.allowed:
                raise refusal(one, now)

    def hits(self, action: Action, participant: str | None, now: datetime) -> list[Hit]:
        """What one request of `action` counts against, network first (see `check`); a send
        hands them to the store to count in the transaction that stores it."""
        limit = self.limits[action]
        keys = [
            (f"{action}:n:{self.network}", limit.per_network),
            (f"{action}:p:{participant}", limit.per_participant if participant else None),
        ]
        return [
            _hit(key, allowed, limit.window, now, "rate_limited")
            for key, allowed in keys
            if allowed is not None
        ]


def intake_hit(consultation_id: str, daily_cap: int, now: datetime) -> Hit:
    """A pin or reply counted for the consultation's day (UTC), refused over the daily cap."""
    return _hit(f"intake:{consultation_id}", daily_cap, DAY, now, "intake_cap_reached")


def refusal(hit: Hit, now: datetime) -> TooManyAttempts:
    """The refusal of a request over `hit`'s allowance: wait until its window ends."""
    wait = max(1, math.ceil((hit.expires_at - now).total_seconds()))
    return TooManyAttempts(hit.refusal, retry_after=wait, minutes=math.ceil(wait / 60))


def _hit(key: str, allowed: int, window: timedelta, now: datetime, message: str) -> Hit:
    start = _EPOCH + (now - _EPOCH) // window * window
    return Hit(key, start, start + window, allowed, message)


def limits_from(settings: Settings) -> dict[Action, Limit]:
    """Every action's limits as the deployment configured them."""
    window = timedelta(seconds=settings.rate_window_seconds)
    s = settings
    return {
        Action.PIN: Limit(s.rate_pins_per_participant, s.rate_pins_per_network, window),
        Action.REPLY: Limit(s.rate_replies_per_participant, s.rate_replies_per_network, window),
        Action.SUPPORT: Limit(s.rate_supports_per_participant, s.rate_supports_per_network, window),
        Action.REPORT: Limit(s.rate_reports_per_participant, s.rate_reports_per_network, window),
        Action.PHOTO: Limit(s.rate_photos_per_participant, s.rate_photos_per_network, window),
        Action.SIGNIN: Limit(None, s.rate_signins_per_network, window),
        Action.PARTICIPANT: Limit(None, s.rate_participants_per_network, window),
    }
