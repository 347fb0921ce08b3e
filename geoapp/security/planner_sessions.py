"""Planner session tokens: random, sent in an HttpOnly cookie, stored only as a hash."""

import hashlib
import hmac
import secrets

COOKIE = "geoapp_planner"
COOKIE_PATH = "/api/planner"
CSRF_HEADER = "X-CSRF-Token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a session token: a stolen backup signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
