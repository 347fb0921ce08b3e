"""Abuse protection: server secrets, rate counters, whether a participant token is known."""

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from geoapp.store.schema import (
    contributions,
    idempotency_keys,
    photos,
    rate_counters,
    replies,
    reports,
    server_secrets,
    supports,
)
from geoapp.store.sql.core import SqlBase


class AbuseQueries(SqlBase):
    def server_secret(self, name: str, candidate: str, now: datetime) -> str:
        stmt = select(server_secrets.c.value).where(server_secrets.c.name == name)
        try:
            with self._write() as conn:
                stored = conn.execute(stmt).scalar()
                if stored is not None:
                    return str(stored)
                conn.execute(
                    insert(server_secrets).values(name=name, value=candidate, created_at=now)
                )
                return candidate
        except IntegrityError:
            # Another worker stored its candidate first: everyone uses that one.
            with self._read() as conn:
                return str(conn.execute(stmt).scalar_one())

    def count_hit(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        try:
            with self._write() as conn:
                expired = rate_counters.c.expires_at <= window_start
                conn.execute(delete(rate_counters).where(expired))
                return _hit(conn, key, window_start, expires_at)
        except IntegrityError:
            # A concurrent first hit inserted the row: now the update finds it.
            with self._write() as conn:
                return _hit(conn, key, window_start, expires_at)

    def forget_expired(self, now: datetime) -> int:
        with self._write() as conn:
            removed = conn.execute(delete(rate_counters).where(rate_counters.c.expires_at <= now))
            answers = conn.execute(
                delete(idempotency_keys).where(idempotency_keys.c.expires_at <= now)
            )
        return removed.rowcount + answers.rowcount

    def knows_participant(self, participant_hash: str) -> bool:
        tables = (contributions, replies, supports, reports, photos)
        with self._read() as conn:
            return any(
                conn.execute(
                    select(t.c.participant_hash).where(t.c.participant_hash == participant_hash)
                ).first()
                is not None
                for t in tables
            )


def _hit(conn: Connection, key: str, window_start: datetime, expires_at: datetime) -> int:
    """Add one to a rate counter (creating it at one); the new count."""
    r = rate_counters.c
    row = (r.key == key) & (r.window_start == window_start)
    if conn.execute(update(rate_counters).where(row).values(count=r.count + 1)).rowcount == 0:
        conn.execute(
            insert(rate_counters).values(
                key=key, window_start=window_start, count=1, expires_at=expires_at
            )
        )
    return int(conn.execute(select(r.count).where(row)).scalar_one())
