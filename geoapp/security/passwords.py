"""Planner passwords: argon2id hashes, never the password itself."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geoapp.errors import InvalidInput

MIN_LENGTH = 12

_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password_too_short", field="password", min=MIN_LENGTH)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (unknown user) it costs the same and fails."""
    try:
        matches = _hasher.verify(password_hash or _unknown_user_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


@cache
def _unknown_user_hash() -> str:
    # Verifying against a real hash keeps unknown usernames as slow as wrong passwords.
    return _hasher.hash("no account has this password")
