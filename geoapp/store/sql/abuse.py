"""Abuse protection: server secrets, rate counters, whether a participant token is known."""

from datetime import datetime

from sqlalchemy import delete, select

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
from geoapp.store.sql.core import SqlBase, upsert


class AbuseQueries(SqlBase):
    def server_secret(self, name: str, candidate: str, now: datetime) -> str:
        with self._write() as conn:
            # The first worker to store its candidate wins; everyone reads that one.
            row = {"name": name, "value": candidate, "created_at": now}
            conn.execute(upsert(conn, server_secrets, row))
            stmt = select(server_secrets.c.value).where(server_secrets.c.name == name)
            return str(conn.execute(stmt).scalar_one())

    def count_hit(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        r = rate_counters.c
        first = {"key": key, "window_start": window_start, "count": 1, "expires_at": expires_at}
        with self._write() as conn:
            conn.execute(delete(rate_counters).where(r.expires_at <= window_start))
            hit = upsert(conn, rate_counters, first, {"count": r.count + 1}).returning(r.count)
            return int(conn.execute(hit).scalar_one())

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
