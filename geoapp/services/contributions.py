"""Creating and listing contributions (pins) under the consultation's rules."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from geoapp import geo
from geoapp.domain import (
    BBox,
    Consultation,
    Contribution,
    ContributionQuery,
    Geometry,
    Hit,
    IdempotencyKey,
    ListOrder,
    Moderation,
    PhotoTaken,
    Source,
    Status,
)
from geoapp.errors import InvalidInput
from geoapp.models import ContributionCreate, ContributionDetail, ContributionPublic
from geoapp.security import rate_limits
from geoapp.services import photos, replies
from geoapp.services.consultations import require_accepting, require_intake
from geoapp.services.visibility import published_contribution
from geoapp.store.base import Store

PublicPin = TypeVar("PublicPin", bound=ContributionPublic)


def create(
    store: Store,
    consultation: Consultation,
    data: ContributionCreate,
    language: str,
    participant_hash: str,
    daily_cap: int,
    now: datetime | None = None,
    idempotency: IdempotencyKey | None = None,
    hits: Sequence[Hit] = (),
) -> ContributionPublic:
    """Store a resident's pin; published at once under post-moderation, else pending.

    At most `daily_cap` pins and replies per consultation and day are taken. With an
    `idempotency` key the answer is stored with the pin (IdempotencyKeyTaken if it was first).
    The send's rate `hits` and the day's intake are counted as the pin is stored (OverLimit).
    """
    now = now or datetime.now(UTC)
    require_accepting(consultation, now)
    require_intake(consultation)
    require_category(consultation, data.category)
    location = _location(data, consultation)
    if data.photo_id is not None:
        photos.require_attachable(store, data.photo_id, participant_hash, consultation)
    poster_key = _poster_of(store, consultation, data.poster)
    contribution = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=location,
        category=data.category,
        text=data.text,
        author_name=data.author_name or None,
        contact_email=data.contact_email,
        participant_hash=participant_hash,
        photo_id=data.photo_id,
        photo_alt=(data.photo_alt or None) if data.photo_id else None,
        language=language,
        source=Source.ONLINE if poster_key is None else Source.POSTER,
        poster_key=poster_key,
        status=Status.PUBLISHED if consultation.moderation == Moderation.POST else Status.PENDING,
        created_at=now,
        updated_at=now,
    )
    public = to_public(contribution, consultation)
    answer = None if idempotency is None else idempotency.answered(public.model_dump(mode="json"))
    try:
        intake = rate_limits.intake_hit(consultation.id, daily_cap, now)
        store.add_contribution(contribution, answer, [*hits, intake])
    except PhotoTaken:
        raise InvalidInput("photo_taken", field="photo_id") from None
    return public


def _poster_of(store: Store, consultation: Consultation, key: str | None) -> str | None:
    """The key of the consultation's poster that brought the pin; refused if there is none."""
    if key is None:
        return None
    poster = store.get_poster(key)
    if poster is None or poster.consultation_id != consultation.id:
        raise InvalidInput("poster_unknown", field="poster")
    return poster.key


def require_category(consultation: Consultation, category: str) -> None:
    """Refuse a category key the consultation does not have."""
    if category not in {cat.key for cat in consultation.categories}:
        raise InvalidInput("category_unknown", field="category", category=category)


def located(consultation: Consultation, geometry: Any) -> Geometry:
    """A clean GeoJSON Point from client input, refused unless inside the perimeter."""
    location = geo.parse_location(geometry)
    geo.require_inside(location, consultation.perimeter)
    return location


def _location(data: ContributionCreate, consultation: Consultation) -> Geometry | None:
    """The resident's point, checked against the perimeter; None for a contribution "ohne Ort"."""
    if data.without_location:
        if data.geometry is not None:
            raise InvalidInput("geometry_with_without_location", field="geometry")
        return None
    if data.geometry is None:
        raise InvalidInput("geometry_missing", field="geometry")
    return located(consultation, data.geometry)


def published_features(
    store: Store, consultation: Consultation, bbox: BBox | None, categories: list[str]
) -> dict[str, Any]:
    """The published pins of a consultation as a GeoJSON FeatureCollection."""
    query = ContributionQuery(consultation_id=consultation.id, bbox=bbox, categories=categories)
    return {
        "type": "FeatureCollection",
        "features": [
            to_feature(to_public(c, consultation)) for c in store.list_contributions(query)
        ],
    }


def published_page(
    store: Store,
    consultation: Consultation,
    bbox: BBox | None,
    categories: list[str],
    order: ListOrder,
    unplaced: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """One page of the published pins as GeoJSON, with their total as `numberMatched`."""
    query = ContributionQuery(
        consultation_id=consultation.id,
        bbox=bbox,
        categories=categories,
        limit=limit,
        offset=offset,
    )
    page, total = store.view_page(query, order, unplaced)
    return {
        "type": "FeatureCollection",
        "numberMatched": total,
        "numberReturned": len(page),
        "features": [to_feature(to_public(c, consultation)) for c in page],
    }


def detail(store: Store, contribution_id: str, participant_hash: str | None) -> ContributionDetail:
    """A published pin with its published replies, and whether the asker supports it."""
    contribution, consultation = published_contribution(store, contribution_id)
    supported = participant_hash is not None and bool(
        store.supported_among(participant_hash, [contribution.id])
    )
    return to_public(
        contribution,
        consultation,
        ContributionDetail,
        replies=replies.published(store, contribution.id),
        supported_by_me=supported,
    )


def to_public(
    c: Contribution,
    consultation: Consultation,
    model: type[PublicPin] = ContributionPublic,  # type: ignore[assignment]
    **extra: Any,
) -> PublicPin:
    """What anyone may see of a pin, as `model` (a public class) with `extra` fields."""
    return model.of(c, consultation=consultation.slug, photo=photos.to_public(c), **extra)


def to_feature(c: ContributionPublic) -> dict[str, Any]:
    properties = c.model_dump(mode="json", exclude={"id", "geometry"})
    return {"type": "Feature", "id": c.id, "geometry": c.geometry, "properties": properties}
