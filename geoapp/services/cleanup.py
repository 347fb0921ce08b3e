"""Housekeeping that needs no process memory: every call looks at the database afresh."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from geoapp.config import Settings
from geoapp.services import photos
from geoapp.store.base import Store
from geoapp.store.photos import PhotoStorage

BATCH = 500
SIGNIN_FAILURES_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Cleaned:
    orphan_photos: int
    signin_failures: int
    expired_counters: int
    """Rate counters and idempotency records past their time (requests remove them lazily)."""


def run(store: Store, storage: PhotoStorage, settings: Settings, now: datetime) -> Cleaned:
    """Remove orphan photos past their time, sign-in failures older than a day, and expired
    rate counters and idempotency records."""
    before = now - timedelta(hours=settings.orphan_photo_hours)
    removed = 0
    while batch := photos.remove_orphans(store, storage, before, BATCH):
        removed += batch
    return Cleaned(
        orphan_photos=removed,
        signin_failures=store.forget_signin_failures(now - SIGNIN_FAILURES_KEPT),
        expired_counters=store.forget_expired(now),
    )
