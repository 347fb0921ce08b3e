"""“Meine Beiträge”: the pins and replies one browser sent, in every status."""

from geoapp.models import MyContribution, MyContributions, MyReply
from geoapp.services import contributions
from geoapp.store.base import Store


def list_mine(store: Store, participant_hash: str | None) -> MyContributions:
    """The participant's pins and replies, newest first; nothing without a participant."""
    if participant_hash is None:
        return MyContributions(contributions=[], replies=[])
    consultations = {c.id: c for c in store.list_consultations()}
    pins = [
        contributions.to_public(c, consultations[c.consultation_id], MyContribution)
        for c in store.contributions_of_participant(participant_hash)
    ]
    own_replies = [MyReply.of(r) for r in store.replies_of_participant(participant_hash)]
    return MyContributions(contributions=pins, replies=own_replies)
