"""Participant identity: a random token in a cookie; the database only ever sees its hash."""

import hashlib
import re
import secrets
from typing import TypeGuard

COOKIE_NAME = "geoapp_participant"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept (RFC 6265bis)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    """A fresh token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def is_token(value: str | None) -> TypeGuard[str]:
    """Whether `value` has the shape of a token we issue (anything else is ignored)."""
    return value is not None and _TOKEN.fullmatch(value) is not None


def hash_token(token: str) -> str:
    """The stored identity of a token: SHA-256, hex.

    A random 256-bit token cannot be guessed back from its hash, so no pepper is needed.
    """
    return hashlib.sha256(token.encode("ascii")).hexdigest()
