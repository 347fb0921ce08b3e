"""The Heeren-Werve demo: consultations and example pins from data/heeren-werve/."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geoapp import geo
from geoapp.domain import (
    Category,
    Consultation,
    ConsultationStatus,
    Contribution,
    Moderation,
    Source,
    Status,
)
from geoapp.store.base import Store


def seed_if_empty(store: Store, reference_dir: Path) -> int:
    """Load the demo into a database without consultations; returns how many it added."""
    if store.list_consultations():
        return 0
    return seed(store, reference_dir)


def seed(store: Store, reference_dir: Path) -> int:
    """Add the demo consultations (and their example pins) that the store does not have yet."""
    now = datetime.now(UTC)
    added: dict[str, Consultation] = {}
    for raw in _read(reference_dir / "consultations.json"):
        if store.get_consultation(raw["slug"]) is None:
            consultation = consultation_from_json(raw, now)
            store.add_consultation(consultation)
            added[consultation.slug] = consultation
    for raw in _read(reference_dir / "demo_contributions.json"):
        consultation = added.get(raw["consultation"])
        if consultation is not None:
            store.add_contribution(_demo_pin(raw, consultation))
    return len(added)


def consultation_from_json(raw: dict[str, Any], now: datetime) -> Consultation:
    """A Consultation from the JSON shape of data/heeren-werve/consultations.json."""
    return Consultation(
        id=str(uuid.uuid4()),
        slug=raw["slug"],
        title=raw["title"],
        description=raw["description"],
        question=raw["question"],
        perimeter=raw["perimeter"],
        opens_at=_utc(raw["opens_at"]),
        closes_at=_utc(raw["closes_at"]),
        status=ConsultationStatus(raw["status"]),
        moderation=Moderation(raw["moderation"]),
        categories=[Category(c["key"], c["label"], c["color"]) for c in raw["categories"]],
        allow_replies=raw.get("allow_replies", True),
        allow_photos=raw.get("allow_photos", True),
        created_at=now,
        updated_at=now,
    )


def _demo_pin(raw: dict[str, Any], consultation: Consultation) -> Contribution:
    location = geo.parse_location({"type": "Point", "coordinates": [raw["lon"], raw["lat"]]})
    geo.require_inside(location, consultation.perimeter)
    created = _utc(raw["created_at"])
    return Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=location,
        category=raw["category"],
        text=raw["text"],
        author_name=raw.get("author_name"),
        status=Status.PUBLISHED,
        source=Source.IMPORT,
        support_count=int(raw.get("support_count_hint") or 0),
        created_at=created,
        updated_at=created,
    )


def _read(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
