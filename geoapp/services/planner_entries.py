"""Pins a planner enters for residents: from the office, a workshop or a paper card."""

import uuid
from datetime import datetime

from geoapp.domain import Consultation, Contribution, Source, Status, TargetKind
from geoapp.models import ContributionEntry
from geoapp.services import audit
from geoapp.services.consultations import require_accepting_entries
from geoapp.services.contributions import located, require_category
from geoapp.store.base import Store


def enter(
    store: Store,
    consultation: Consultation,
    data: ContributionEntry,
    actor: str,
    language: str,
    now: datetime,
) -> Contribution:
    """Store the pin, published at once (a planner saw it); also after the consultation closed."""
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
