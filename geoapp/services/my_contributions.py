"""“Meine Beiträge”: the pins and replies one browser sent, in every status."""

from geoapp.models import MyContribution, MyContributions, MyReply
from geoapp.services import contributions, replies
from geoapp.store.base import Store


def list_mine(store: Store, participant_hash: str | None) -> MyContributions:
    """The participant's pins and replies, newest first; nothing without a participant."""
    if participant_hash is None:
        return MyContributions(contributions=[], replies=[])
    consultations = {c.id: c for c in store.list_consultations()}
    pins = [
        MyContribution(
            **contributions.to_public(c, consultations[c.consultation_id]).model_dump(),
            status_reason=c.status_reason,
        )
        for c in store.contributions_of_participant(participant_hash)
    ]
    own_replies = [
        MyReply(**replies.to_public(r).model_dump(), status_reason=r.status_reason)
        for r in store.replies_of_participant(participant_hash)
    ]
    return MyContributions(contributions=pins, replies=own_replies)
