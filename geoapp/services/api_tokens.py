"""Planner API tokens: read-only access to the planner collections of the OGC API for GIS clients.

A token is shown once, when it is made; the database keeps only its hash. It stops working when
revoked or when its planner's account is disabled. It authorises reading the /ogc planner
collections and nothing else: every planner route that changes or shows anything else asks for a
signed-in session.
"""

import uuid
from datetime import datetime

from geoapp.domain import ApiToken, Planner
from geoapp.errors import InvalidInput, NotSignedIn
from geoapp.security import planner_sessions
from geoapp.store.base import Store

PREFIX = "geoapp_"
"""Marks a secret as ours, so secret scanners and people recognise a leaked one."""
NAME_MAX = 80


def create(store: Store, username: str, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token of planner `username` named `name` (e.g. "QGIS Büro"); the secret with it."""
    planner = store.get_planner(username.strip().lower())
    if planner is None:
        raise InvalidInput("planner_unknown", field="username", username=username)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput("api_token_name_invalid", field="name", max=NAME_MAX)
    secret = PREFIX + planner_sessions.new_token()
    token = ApiToken(
        id=str(uuid.uuid4()),
        planner_id=planner.id,
        name=name,
        token_hash=planner_sessions.token_hash(secret),
        created_at=now,
    )
    store.add_api_token(token)
    return token, secret


def revoke(store: Store, token_id: str, now: datetime) -> None:
    """Revoke a token by its id (as `geoapp planner token list` shows it)."""
    if not store.revoke_api_token(token_id.strip(), now):
        raise InvalidInput("api_token_unknown", field="id", id=token_id)


def planner_of(store: Store, authorization: str | None) -> Planner | None:
    """The planner behind an `Authorization: Bearer …` header; None without the header.

    A header that names no live token (made up, revoked, or of a disabled account) is refused,
    so that a client with a stale token learns it instead of silently seeing public data.
    """
    if authorization is None:
        return None
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotSignedIn("api_token_invalid")
    found = store.get_api_token(planner_sessions.token_hash(secret.strip()))
    if found is None:
        raise NotSignedIn("api_token_invalid")
    return found[1]
