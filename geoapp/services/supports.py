"""Supports: one per participant and published pin, while the consultation is open."""

from datetime import UTC, datetime

from geoapp.models import SupportState
from geoapp.services.consultations import require_accepting
from geoapp.services.visibility import published_contribution
from geoapp.store.base import Store


def set_support(
    store: Store,
    contribution_id: str,
    participant_hash: str,
    supported: bool,
    now: datetime | None = None,
) -> SupportState:
    """Support a pin, or take the support back; repeating either changes nothing."""
    now = now or datetime.now(UTC)
    _, consultation = published_contribution(store, contribution_id)
    require_accepting(consultation, now)
    count = store.set_support(contribution_id, participant_hash, supported, now)
    return SupportState(support_count=count, supported_by_me=supported)
