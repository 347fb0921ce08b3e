"""Signed form-start times: a send within seconds of opening the form, or one that filled
the honeypot field, comes from a bot.

The page asks for a token when a form opens; the token says when, signed by the server, so a
bot can neither leave it out nor backdate it. The honeypot is hidden from people (visually,
from screen readers and from the tab order), so only a program that fills every field fills it.
"""

from datetime import UTC, datetime, timedelta

from geoapp.errors import InvalidInput
from geoapp.security.server_keys import sign, signed

MAX_AGE = timedelta(hours=12)


def issue(key: bytes, now: datetime) -> str:
    """A token for a form opened `now`: milliseconds since the epoch and their signature."""
    stamp = str(int(now.timestamp() * 1000))
    return f"{stamp}.{sign(key, stamp)}"


def require_human(
    token: str | None, honeypot: str | None, key: bytes, min_seconds: float, now: datetime
) -> None:
    """Refuse a send that filled the honeypot, lacks a valid token or came too fast."""
    if honeypot:
        raise InvalidInput("form_bot")
    stamp, _, signature = (token or "").partition(".")
    if not stamp.isdigit() or not signed(key, stamp, signature):
        raise InvalidInput("form_token_invalid", field="form_token")
    started = datetime.fromtimestamp(int(stamp) / 1000, UTC)
    if now - started > MAX_AGE:
        raise InvalidInput("form_token_invalid", field="form_token")
    if now - started < timedelta(seconds=min_seconds):
        raise InvalidInput("form_too_fast", seconds=f"{min_seconds:g}")
