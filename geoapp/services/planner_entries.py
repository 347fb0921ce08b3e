"""Pins a planner enters for residents: from the office, a workshop or a paper card."""

import uuid
from datetime import datetime

from geoapp.models import ContributionEntry
from geoapp.services import audit
from geoapp.services.consultations import get_for_planner, require_accepting_entries
from geoapp.services.contributions import located, require_category
from geoapp.store.base import Contribution, Source, Status, Store, TargetKind


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
    require_category(consultation, data.category)
    contribution = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=located(consultation, data.geometry),
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
    changes = {"status": [None, str(Status.PUBLISHED)], "source": [None, str(data.source)]}
    event = audit.event(TargetKind.CONTRIBUTION, contribution.id, actor, "entered", changes, now)
    store.add_contributions([contribution], [event])
    return contribution
