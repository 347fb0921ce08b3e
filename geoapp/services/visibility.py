"""What residents may see: published contributions and replies in public consultations."""

from geoapp.domain import Consultation, Contribution, Reply, Status
from geoapp.errors import NotFound
from geoapp.services.consultations import PUBLIC_STATUSES
from geoapp.store.base import Store


def published_contribution(store: Store, contribution_id: str) -> tuple[Contribution, Consultation]:
    """The contribution and its consultation if anyone may see them, else NotFound."""
    contribution = store.get_contribution(contribution_id)
    if contribution is not None and contribution.status == Status.PUBLISHED:
        consultation = store.get_consultation_by_id(contribution.consultation_id)
        if consultation is not None and consultation.status in PUBLIC_STATUSES:
            return contribution, consultation
    raise NotFound("contribution_not_found")


def published_reply(store: Store, reply_id: str) -> tuple[Reply, Contribution, Consultation]:
    """A published reply to a visible contribution, with both around it, else NotFound."""
    reply = store.get_reply(reply_id)
    if reply is None or reply.status != Status.PUBLISHED:
        raise NotFound("reply_not_found")
    try:
        contribution, consultation = published_contribution(store, reply.contribution_id)
    except NotFound:
        raise NotFound("reply_not_found") from None
    return reply, contribution, consultation
