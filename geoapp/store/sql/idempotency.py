"""Idempotency keys: the first answer to a send, kept with the row it created."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

from geoapp.domain import IdempotencyKey, IdempotencyKeyTaken, IdempotencyRecord
from geoapp.store.schema import idempotency_keys
from geoapp.store.sql.core import SqlBase


class IdempotencyQueries(SqlBase):
    def get_idempotency_record(
        self, participant_hash: str, key: str, now: datetime
    ) -> IdempotencyRecord | None:
        k = idempotency_keys.c
        stmt = select(idempotency_keys).where(
            k.participant_hash == participant_hash, k.key == key, k.expires_at > now
        )
        return self._first(stmt, _idempotency_record)

    def _refuse_taken_key(self, idempotency: IdempotencyRecord | None) -> None:
        """After a failed insert: IdempotencyKeyTaken if another send stored the key first."""
        if idempotency is None:
            return
        key = idempotency.key
        earlier = self.get_idempotency_record(key.participant_hash, key.key, key.created_at)
        if earlier is not None:
            raise IdempotencyKeyTaken(earlier)


def keep_answer(conn: Connection, record: IdempotencyRecord | None) -> None:
    """Store a send's idempotency record, removing expired ones first.

    It goes in before the row it answers, so a second send with the key fails at once.
    """
    if record is None:
        return
    k = idempotency_keys.c
    conn.execute(delete(idempotency_keys).where(k.expires_at <= record.key.created_at))
    conn.execute(insert(idempotency_keys).values(**asdict(record.key), response=record.response))


def _idempotency_record(row: Row[Any]) -> IdempotencyRecord:
    fields = dict(row._mapping)
    response = fields.pop("response")
    return IdempotencyRecord(IdempotencyKey(**fields), response)
