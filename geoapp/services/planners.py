"""Planner accounts and sign-in: who may moderate, and for how long a sign-in lasts."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from geoapp.config import Settings
from geoapp.errors import InvalidInput, NotAllowedNow, NotSignedIn, TooManyAttempts
from geoapp.security import passwords, planner_sessions, signin_throttle
from geoapp.store.base import Planner, PlannerRole, PlannerSession, Store

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")


@dataclass(frozen=True)
class SignedIn:
    """A planner with a live session; `token` is only known right after signing in."""

    planner: Planner
    session: PlannerSession
    token: str | None = None


def add(store: Store, username: str, password: str, role: PlannerRole, now: datetime) -> Planner:
    """Create an account; usernames are lower-case letters, digits, '.', '_' or '-'."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput("username_invalid", field="username")
    if store.get_planner(username) is not None:
        raise NotAllowedNow("username_taken", field="username", username=username)
    passwords.check_strength(password)
    planner = Planner(
        id=str(uuid.uuid4()),
        username=username,
        password_hash=passwords.hash_password(password),
        role=role,
        created_at=now,
    )
    store.add_planner(planner)
    return planner


def change_password(store: Store, username: str, password: str) -> None:
    """Set a new password; every open session of that planner ends."""
    username = username.strip().lower()
    if store.get_planner(username) is None:
        raise InvalidInput("planner_unknown", field="username", username=username)
    passwords.check_strength(password)
    store.set_planner_password(username, passwords.hash_password(password))


def sign_in(
    store: Store, username: str, password: str, settings: Settings, now: datetime
) -> SignedIn:
    """Check the password (after any wait the slow-down imposes) and open a session."""
    username = username.strip().lower()
    wait = signin_throttle.seconds_to_wait(
        store.get_signin_failures(username),
        now,
        settings.signin_free_failures,
        settings.signin_max_wait_seconds,
    )
    if wait:
        raise TooManyAttempts("signin_throttled", retry_after=wait)
    planner = store.get_planner(username)
    if planner is not None and planner.disabled:
        planner = None
    if not passwords.verify(planner.password_hash if planner else None, password) or not planner:
        store.add_signin_failure(username, now)
        raise NotSignedIn("signin_failed")
    store.clear_signin_failures(username)
    token = planner_sessions.new_token()
    session = PlannerSession(
        token_hash=planner_sessions.token_hash(token),
        planner_id=planner.id,
        csrf_token=planner_sessions.new_token(),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.planner_session_minutes),
    )
    store.add_planner_session(session)
    return SignedIn(planner, session, token)


def session_of(store: Store, token: str | None, now: datetime) -> SignedIn:
    """The planner behind a session cookie, or NotSignedIn."""
    if not token:
        raise NotSignedIn("signin_required")
    found = store.get_planner_session(planner_sessions.token_hash(token), now)
    if found is None:
        raise NotSignedIn("session_expired")
    session, planner = found
    return SignedIn(planner, session)


def sign_out(store: Store, signed_in: SignedIn) -> None:
    store.delete_planner_session(signed_in.session.token_hash)
