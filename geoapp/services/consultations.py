"""Consultations: as residents see them, and as planners create, edit, open and close them."""

import re
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from geoapp import geo, geofiles
from geoapp.domain import (
    Category,
    Consultation,
    ConsultationStatus,
    ContributionQuery,
    LocalText,
    Status,
    TargetKind,
)
from geoapp.errors import InvalidInput, NotAllowedNow, NotFound
from geoapp.i18n import SOURCE_LANGUAGE
from geoapp.models import (
    CategoryIn,
    CategoryPublic,
    ConsultationCreate,
    ConsultationForPlanner,
    ConsultationPublic,
    ConsultationUpdate,
)
from geoapp.services import audit
from geoapp.services.localise import pick
from geoapp.store.base import Store

PUBLIC_STATUSES = (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)


def list_public(store: Store, language: str) -> list[ConsultationPublic]:
    """Open and closed consultations (drafts and archived ones are not shown)."""
    return [
        to_public(c, language) for c in store.list_consultations() if c.status in PUBLIC_STATUSES
    ]


def get_public(store: Store, slug: str) -> Consultation:
    """The consultation `slug` if residents may see it, else NotFound."""
    consultation = store.get_consultation(slug)
    if consultation is None or consultation.status not in PUBLIC_STATUSES:
        raise NotFound("consultation_not_found", slug=slug)
    return consultation


def require_accepting(consultation: Consultation, now: datetime) -> None:
    """Refuse new contributions outside the consultation's status and dates."""
    if now < consultation.opens_at:
        raise NotAllowedNow("consultation_not_open_yet", opens_at=consultation.opens_at)
    if consultation.status != ConsultationStatus.OPEN or now >= consultation.closes_at:
        raise NotAllowedNow("consultation_closed", closes_at=consultation.closes_at)


def to_public(c: Consultation, language: str) -> ConsultationPublic:
    """The consultation as residents see it, its texts in `language` (German if missing)."""
    return ConsultationPublic.of(
        c,
        title=pick(c.title, language),
        description=pick(c.description, language),
        question=pick(c.question, language),
        paused=c.paused_at is not None,
        categories=[
            CategoryPublic.of(cat, label=pick(cat.label, language)) for cat in c.categories
        ],
    )


def require_intake(consultation: Consultation) -> None:
    """Refuse pins and replies while a planner has paused the consultation's intake."""
    if consultation.paused_at is None:
        return
    if consultation.pause_message:
        raise NotAllowedNow("intake_paused_message", message=consultation.pause_message)
    raise NotAllowedNow("intake_paused")


def set_pause(
    store: Store,
    consultation: Consultation,
    paused: bool,
    message: str | None,
    actor: str,
    now: datetime,
) -> Consultation:
    """Pause a consultation's intake (pins, replies) with an optional message, or resume it."""
    message = ((message or "").strip() or None) if paused else None
    before = {"paused": consultation.paused_at is not None, "message": consultation.pause_message}
    changes = {
        "paused": [before["paused"], paused],
        "pause_message": [before["message"], message],
    }
    event = audit.event(
        TargetKind.CONSULTATION,
        consultation.id,
        actor,
        "pause" if paused else "resume",
        changes,
        now,
    )
    store.set_pause(consultation.id, now if paused else None, message, event)
    return get_for_planner(store, consultation.slug)


SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
CATEGORY_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
LANGUAGE = re.compile(r"[a-z]{2}")
TEXT_LIMITS = {"title": 200, "question": 500, "description": 5000}
# Which status may follow which: a closed consultation can be reopened, an archived one
# brought back to closed (read-only) but not straight to open.
NEXT_STATUSES = {
    ConsultationStatus.DRAFT: {ConsultationStatus.OPEN, ConsultationStatus.ARCHIVED},
    ConsultationStatus.OPEN: {ConsultationStatus.CLOSED},
    ConsultationStatus.CLOSED: {ConsultationStatus.OPEN, ConsultationStatus.ARCHIVED},
    ConsultationStatus.ARCHIVED: {ConsultationStatus.CLOSED},
}


def get_for_planner(store: Store, slug: str) -> Consultation:
    """The consultation `slug` whatever its status, else NotFound."""
    consultation = store.get_consultation(slug)
    if consultation is None:
        raise NotFound("consultation_not_found", slug=slug)
    return consultation


def require_accepting_entries(consultation: Consultation) -> None:
    """Planners enter and import pins while open and after closing (paper cards come late)."""
    if consultation.status not in PUBLIC_STATUSES:
        raise NotAllowedNow("consultation_not_for_entries", state=consultation.status)


def create(
    store: Store, data: ConsultationCreate, now: datetime, max_vertices: int
) -> Consultation:
    """A new consultation after checking slug, texts, dates, categories and perimeter."""
    if not SLUG.fullmatch(data.slug):
        raise InvalidInput("slug_invalid", field="slug")
    if store.get_consultation(data.slug) is not None:
        raise NotAllowedNow("slug_taken", field="slug", slug=data.slug)
    consultation = Consultation(
        id=str(uuid.uuid4()),
        slug=data.slug,
        title=_texts(data.title, "title"),
        description=_texts(data.description, "description", required=False),
        question=_texts(data.question, "question"),
        perimeter=geo.parse_perimeter(data.perimeter, max_vertices),
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        status=data.status,
        moderation=data.moderation,
        categories=_categories(data.categories),
        allow_replies=data.allow_replies,
        allow_photos=data.allow_photos,
        created_at=now,
        updated_at=now,
    )
    _require_dates_in_order(consultation)
    store.add_consultation(consultation)
    return consultation


def update(
    store: Store,
    current: Consultation,
    data: ConsultationUpdate,
    now: datetime,
    max_vertices: int,
) -> Consultation:
    """Change the given fields; refuses a status step the lifecycle does not allow."""
    changes: dict[str, Any] = {}
    given = data.model_fields_set
    for name in ("title", "question", "description"):
        if name in given and getattr(data, name) is not None:
            changes[name] = _texts(getattr(data, name), name, required=name != "description")
    for name in ("opens_at", "closes_at", "moderation", "allow_replies", "allow_photos"):
        if name in given and getattr(data, name) is not None:
            changes[name] = getattr(data, name)
    if data.categories is not None:
        changes["categories"] = _categories(data.categories)
        _require_unused_categories_kept(store, current, changes["categories"])
    if data.perimeter is not None:
        changes["perimeter"] = geo.parse_perimeter(data.perimeter, max_vertices)
    if data.status is not None and data.status != current.status:
        if data.status not in NEXT_STATUSES[current.status]:
            raise NotAllowedNow(
                "consultation_status_step",
                field="status",
                current=current.status,
                wanted=data.status,
            )
        changes["status"] = data.status
    updated = replace(current, **changes, updated_at=now)
    _require_dates_in_order(updated)
    store.update_consultation(updated)
    return updated


def set_perimeter_from_file(
    store: Store,
    current: Consultation,
    data: bytes,
    filename: str,
    now: datetime,
    max_vertices: int,
) -> Consultation:
    """The perimeter from an uploaded GeoJSON, GeoPackage or zipped Shapefile (any CRS)."""
    features = geofiles.read_features(data, filename)
    if len(features) != 1 or features[0].geometry is None:
        raise InvalidInput("perimeter_feature_count", field="file", count=len(features))
    updated = replace(
        current,
        perimeter=geo.perimeter_from_shape(features[0].geometry, max_vertices),
        updated_at=now,
    )
    store.update_consultation(updated)
    return updated


def to_planner(c: Consultation) -> ConsultationForPlanner:
    return ConsultationForPlanner.of(c, paused=c.paused_at is not None)


def _texts(value: dict[str, str], field: str, required: bool = True) -> LocalText:
    """Per-language texts, trimmed; German is required unless the field is optional."""
    texts = {lang.strip().lower(): text.strip() for lang, text in value.items() if text.strip()}
    if any(not LANGUAGE.fullmatch(lang) for lang in texts):
        raise InvalidInput("language_code_invalid", field=field)
    if required and not texts.get(SOURCE_LANGUAGE):
        raise InvalidInput("german_text_missing", field=field)
    limit = TEXT_LIMITS[field]
    if any(len(text) > limit for text in texts.values()):
        raise InvalidInput("planner_text_too_long", field=field, max=limit)
    return texts or {SOURCE_LANGUAGE: ""}


def _categories(given: list[CategoryIn]) -> list[Category]:
    if not given:
        raise InvalidInput("categories_missing", field="categories")
    categories = []
    for category in given:
        if not CATEGORY_KEY.fullmatch(category.key):
            raise InvalidInput("category_key_invalid", field="categories", category=category.key)
        if not COLOR.fullmatch(category.color):
            raise InvalidInput("category_color_invalid", field="categories", category=category.key)
        label = {k: v.strip() for k, v in category.label.items() if v.strip()}
        if not label.get(SOURCE_LANGUAGE):
            raise InvalidInput("german_text_missing", field="categories")
        categories.append(Category(category.key, label, category.color.lower()))
    keys = [c.key for c in categories]
    if len(set(keys)) != len(keys):
        raise InvalidInput("category_key_twice", field="categories")
    return categories


def _require_unused_categories_kept(
    store: Store, current: Consultation, categories: list[Category]
) -> None:
    """A category that pins already use cannot be removed (they would lose their topic)."""
    removed = {c.key for c in current.categories} - {c.key for c in categories}
    for key in sorted(removed):
        query = ContributionQuery(current.id, statuses=tuple(Status), categories=[key])
        if store.count_contributions(query):
            raise NotAllowedNow("category_in_use", field="categories", category=key)


def _require_dates_in_order(consultation: Consultation) -> None:
    if consultation.closes_at <= consultation.opens_at:
        raise InvalidInput("dates_out_of_order", field="closes_at")
