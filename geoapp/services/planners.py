"""Planner accounts and sign-in: who may moderate, and for how long a sign-in lasts."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from geoapp.config import Settings
from geoapp.domain import Planner, PlannerRole, PlannerSession
from geoapp.errors import InvalidInput, NotAllowedNow, NotSignedIn, TooManyAttempts
from geoapp.security import passwords, planner_sessions, signin_throttle
from geoapp.security.work_gates import WorkGate
from geoapp.store.base import Store

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
# A session's last use is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


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
    username = _existing(store, username)
    passwords.check_strength(password)
    store.set_planner_password(username, passwords.hash_password(password))


def sign_in(
    store: Store,
    username: str,
    password: str,
    network_hash: str,
    settings: Settings,
    gate: WorkGate,
    now: datetime,
) -> SignedIn:
    """Check the password (after any wait the slow-down imposes) and open a session.

    An unknown username costs the same argon2 check as a wrong password, but only the
    network's count of failures grows: no row is ever stored for a name nobody has.
    """
    username = username.strip().lower()
    planner = store.get_planner(username)
    _require_no_wait(store, username if planner else None, network_hash, settings, now)
    with gate.slot():
        matches = passwords.verify(planner.password_hash if planner else None, password)
    if not matches or planner is None or planner.disabled:
        store.add_signin_failure(network_hash, planner.username if planner else None, now)
        raise NotSignedIn("signin_failed")
    store.clear_signin_failures(username, network_hash)
    token = planner_sessions.new_token()
    session = PlannerSession(
        token_hash=planner_sessions.token_hash(token),
        planner_id=planner.id,
        csrf_token=planner_sessions.new_token(),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.planner_session_minutes),
        last_seen_at=now,
    )
    store.add_planner_session(session)
    return SignedIn(planner, session, token)


def _require_no_wait(
    store: Store, username: str | None, network_hash: str, settings: Settings, now: datetime
) -> None:
    """TooManyAttempts while this network, or this username from it, has to wait."""
    waits = [
        signin_throttle.seconds_to_wait(
            store.get_signin_failures(signin_throttle.ANY_USERNAME, network_hash),
            now,
            settings.signin_network_free_failures,
            settings.signin_max_wait_seconds,
        )
    ]
    if username:
        waits.append(
            signin_throttle.seconds_to_wait(
                store.get_signin_failures(username, network_hash),
                now,
                settings.signin_free_failures,
                settings.signin_max_wait_seconds,
            )
        )
    if max(waits):
        raise TooManyAttempts("signin_throttled", retry_after=max(waits))


def session_of(store: Store, token: str | None, idle_minutes: int, now: datetime) -> SignedIn:
    """The planner behind a session cookie, or NotSignedIn (also after `idle_minutes` unused)."""
    if not token:
        raise NotSignedIn("signin_required")
    found = store.get_planner_session(planner_sessions.token_hash(token), now)
    if found is None:
        raise NotSignedIn("session_expired")
    session, planner = found
    if now - session.last_seen_at >= timedelta(minutes=idle_minutes):
        store.delete_planner_session(session.token_hash)
        raise NotSignedIn("session_idle", minutes=idle_minutes)
    if now - session.last_seen_at >= TOUCH_EVERY:
        store.touch_planner_session(session.token_hash, now)
    return SignedIn(planner, session)


def sign_out(store: Store, signed_in: SignedIn) -> None:
    store.delete_planner_session(signed_in.session.token_hash)


def sign_out_everywhere(store: Store, signed_in: SignedIn) -> int:
    """End every session of the signed-in planner, this one included; returns how many."""
    return store.delete_planner_sessions(signed_in.planner.id)


def unlock(store: Store, username: str) -> int:
    """Forget a planner's failed sign-ins from every network; returns the rows removed."""
    return store.clear_signin_failures(_existing(store, username))


def set_disabled(store: Store, username: str, disabled: bool) -> None:
    """Disable an account (its sessions end, sign-in fails) or enable it again."""
    store.set_planner_disabled(_existing(store, username), disabled)


def _existing(store: Store, username: str) -> str:
    username = username.strip().lower()
    if store.get_planner(username) is None:
        raise InvalidInput("planner_unknown", field="username", username=username)
    return username
