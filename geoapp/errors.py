"""Domain errors: each carries a message key from geoapp/i18n and the field it concerns.

The HTTP layer decides the status code (api/problems.py); services only say what went wrong.
"""

from typing import Any


class DomainError(Exception):
    """A refusal a user can act on; `key` names the message, `params` fill it in."""

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


class NotFound(DomainError):
    """The thing asked for does not exist (or is not public)."""


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule."""


class NotAllowedNow(DomainError):
    """The request would be fine at another time (consultation not open)."""


class TooLarge(DomainError):
    """An upload is bigger than allowed (in bytes or in pixels)."""


class UnsupportedMedia(DomainError):
    """An upload is not a file type we can read."""


class NotSignedIn(DomainError):
    """The caller has to sign in as a planner first (or the sign-in failed)."""


class NotPermitted(DomainError):
    """Signed in, but not allowed to do this (role, missing CSRF token)."""


class TooManyAttempts(DomainError):
    """Too many failed tries; the next one is possible after `retry_after` seconds."""

    def __init__(self, key: str, retry_after: int, **params: Any) -> None:
        super().__init__(key, retry_after=retry_after, **params)
        self.retry_after = retry_after


class Busy(DomainError):
    """The server is doing as much of this work as it may at once; try after `retry_after` s."""

    def __init__(self, key: str, retry_after: int, **params: Any) -> None:
        super().__init__(key, retry_after=retry_after, **params)
        self.retry_after = retry_after


class BadQuery(DomainError):
    """A query parameter cannot be read (OGC API – Features answers these with 400)."""


class NotConfigured(DomainError):
    """The deployment lacks a setting this needs (e.g. GEOAPP_PUBLIC_URL for posters)."""


class NotReady(DomainError):
    """The service cannot take requests yet: database unreachable or schema not migrated."""
