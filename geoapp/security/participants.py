"""Participant identity: a server-signed token in a cookie; the database only sees its hash.

A token is `nonce.signature`: 256 random bits and their HMAC under the server's participant
key, so a token a client makes up is refused instead of counting as a new participant. The
stored identity is the hash of the nonce, so a browser's token from before signing (a bare
nonce) keeps its contributions once the server has signed it (see `sign_existing`).
"""

import hashlib
import re
import secrets
from typing import TypeGuard

from geoapp.security.server_keys import sign, signed

COOKIE_NAME = "geoapp_participant"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept (RFC 6265bis)
_NONCE = r"[A-Za-z0-9_-]{43}"
_TOKEN = re.compile(rf"({_NONCE})\.([A-Za-z0-9_-]{{43}})")
_UNSIGNED = re.compile(_NONCE)


def new_token(key: bytes) -> str:
    """A fresh token: a 256-bit nonce and its signature."""
    nonce = secrets.token_urlsafe(32)
    return f"{nonce}.{sign(key, nonce)}"


def is_token(value: str | None, key: bytes) -> TypeGuard[str]:
    """Whether `value` is a token this server issued (anything else is refused)."""
    match = _TOKEN.fullmatch(value or "")
    return match is not None and signed(key, match[1], match[2])


def is_unsigned(value: str | None) -> TypeGuard[str]:
    """Whether `value` has the shape of a token from before tokens were signed."""
    return value is not None and _UNSIGNED.fullmatch(value) is not None


def sign_existing(nonce: str, key: bytes) -> str:
    """The signed token of an unsigned one; only for a nonce the database already knows."""
    return f"{nonce}.{sign(key, nonce)}"


def hash_token(token: str) -> str:
    """The stored identity of a token: SHA-256 of its nonce, hex.

    A nonce holds 256 random bits, so it cannot be guessed back from its hash; no pepper needed.
    """
    nonce = token.partition(".")[0]
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()
