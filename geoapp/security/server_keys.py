"""The server secret and the keys derived from it, one per purpose.

The secret comes from the setting GEOAPP_PARTICIPANT_SECRET, or is generated once and kept in
the database, so that every worker signs and checks with the same keys.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from geoapp.store.base import Store

SECRET_NAME = "server"


@dataclass(frozen=True)
class ServerKeys:
    """Keys for signing participant tokens and form starts, and for hashing networks."""

    secret: bytes = field(repr=False)

    @property
    def participant(self) -> bytes:
        return derive(self.secret, "participant-token")

    @property
    def form_start(self) -> bytes:
        return derive(self.secret, "form-start")

    def network(self, day: date) -> bytes:
        """The day's key for network hashes: yesterday's hashes cannot be linked to today's."""
        return derive(self.secret, f"network:{day.isoformat()}")


def load(store: Store, configured: str | None, now: datetime) -> ServerKeys:
    """The configured secret, else the one in the database (stored there on first start)."""
    secret = configured or store.server_secret(SECRET_NAME, secrets.token_urlsafe(48), now)
    return ServerKeys(secret.encode("utf-8"))


# Every request checks a token or hashes its network with a derived key: derive each once.
@lru_cache(maxsize=64)
def derive(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose, so that no signature made for one purpose passes for another."""
    return hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()


def sign(key: bytes, message: str) -> str:
    """HMAC-SHA256 of `message` as URL-safe base64 without padding (43 characters)."""
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def signed(key: bytes, message: str, signature: str) -> bool:
    """Whether `signature` is `message` signed with `key` (compared in constant time)."""
    return hmac.compare_digest(sign(key, message), signature)
