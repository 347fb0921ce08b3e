"""Pins a planner enters for residents: from the office, a workshop or a paper card."""

import uuid
from datetime import datetime

from geoapp import geo
from geoapp.errors import InvalidInput
from geoapp.models import ContributionEntry
from geoapp.services.consultations import get_for_planner, require_accepting_entries
from geoapp.store.base import AuditEvent, Contribution, Source, Status, Store, TargetKind


def enter(
    store: Store,
    slug: str,
    data: ContributionEntry,
    actor: str,
    language: str,
    now: datetime,
) -> Contribution:
    """Store the pin, published at once (a planner saw it); also after the consultation closed."""
    consultation = get_for_planner(store, slug)
    require_accepting_entries(consultation)
    if data.category not in {c.key for c in consultation.categories}:
        raise InvalidInput("category_unknown", field="category", category=data.category)
    location = geo.parse_location(data.geometry)
    geo.require_inside(location, consultation.perimeter)
    contribution = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=location,
        category=data.category,
        text=data.text,
        author_name=data.author_name or None,
        contact_email=data.contact_email,
        language=language,
        source=Source(data.source),
        status=Status.PUBLISHED,
        created_at=now,
        updated_at=now,
    )
    event = AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=TargetKind.CONTRIBUTION,
        target_id=contribution.id,
        actor=actor,
        action="entered",
        changes={"status": [None, str(Status.PUBLISHED)], "source": [None, str(data.source)]},
        created_at=now,
    )
    store.add_contributions([contribution], [event])
    return contribution
