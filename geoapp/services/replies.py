"""Replies to published pins, under the consultation's moderation mode."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from geoapp.domain import Hit, IdempotencyKey, Moderation, Reply, Status
from geoapp.errors import NotAllowedNow
from geoapp.models import ReplyCreate, ReplyPublic
from geoapp.security import rate_limits
from geoapp.services.consultations import require_accepting, require_intake
from geoapp.services.visibility import published_contribution
from geoapp.store.base import Store


def create(
    store: Store,
    contribution_id: str,
    data: ReplyCreate,
    participant_hash: str,
    language: str,
    daily_cap: int,
    now: datetime | None = None,
    idempotency: IdempotencyKey | None = None,
    hits: Sequence[Hit] = (),
) -> ReplyPublic:
    """Store a reply; shown at once under post-moderation, after approval under pre.

    Replies count towards the consultation's `daily_cap` like pins; an `idempotency` key is
    stored with the reply as with a pin, and the send's rate `hits` counted with it.
    """
    now = now or datetime.now(UTC)
    contribution, consultation = published_contribution(store, contribution_id)
    if not consultation.allow_replies:
        raise NotAllowedNow("replies_off")
    require_accepting(consultation, now)
    require_intake(consultation)
    reply = Reply(
        id=str(uuid.uuid4()),
        contribution_id=contribution.id,
        text=data.text,
        author_name=data.author_name or None,
        participant_hash=participant_hash,
        language=language,
        status=Status.PUBLISHED if consultation.moderation == Moderation.POST else Status.PENDING,
        created_at=now,
        updated_at=now,
    )
    public = to_public(reply)
    answer = None if idempotency is None else idempotency.answered(public.model_dump(mode="json"))
    intake = rate_limits.intake_hit(consultation.id, daily_cap, now)
    store.add_reply(reply, answer, [*hits, intake])
    return public


def published(store: Store, contribution_id: str) -> list[ReplyPublic]:
    """The published replies to a contribution, oldest first."""
    return [to_public(r) for r in store.list_replies(contribution_id, [Status.PUBLISHED])]


def to_public(reply: Reply) -> ReplyPublic:
    return ReplyPublic.of(reply)
