"""Consultations as residents see them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from geoapp.errors import NotAllowedNow, NotFound
from geoapp.models import CategoryPublic, ConsultationPublic
from geoapp.services.localise import pick
from geoapp.store.base import Consultation, ConsultationStatus, Store

PUBLIC_STATUSES = (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)
LOCAL_TIME = ZoneInfo("Europe/Berlin")


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
        raise NotAllowedNow("consultation_not_open_yet", opens_at=_local(consultation.opens_at))
    if consultation.status != ConsultationStatus.OPEN or now >= consultation.closes_at:
        raise NotAllowedNow("consultation_closed", closes_at=_local(consultation.closes_at))


def to_public(c: Consultation, language: str) -> ConsultationPublic:
    return ConsultationPublic(
        slug=c.slug,
        title=pick(c.title, language),
        description=pick(c.description, language),
        question=pick(c.question, language),
        status=c.status,
        opens_at=c.opens_at,
        closes_at=c.closes_at,
        moderation=c.moderation,
        allow_replies=c.allow_replies,
        allow_photos=c.allow_photos,
        perimeter=c.perimeter,
        categories=[
            CategoryPublic(key=cat.key, label=pick(cat.label, language), color=cat.color)
            for cat in c.categories
        ],
    )


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")
