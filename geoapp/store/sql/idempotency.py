"""Idempotency keys: the first answer to a send, kept with the row it created."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select

from geoapp.domain import IdempotencyKey, IdempotencyKeyTaken, IdempotencyRecord
from geoapp.store.schema import idempotency_keys
from geoapp.store.sql.core import SqlBase


class IdempotencyQueries(SqlBase):
    def get_idempotency_record(
        self, participant_hash: str, key: str, now: datetime
    ) -> IdempotencyRecord | None:
        params = {"participant": participant_hash, "key": key, "now": now}
        return self._first(_RECORD, _idempotency_record, params)

    def _refuse_taken_key(self, idempotency: IdempotencyRecord | None) -> None:
        """After a failed insert: IdempotencyKeyTaken if another send stored the key first."""
        if idempotency is None:
            return
        key = idempotency.key
        earlier = self.get_idempotency_record(key.participant_hash, key.key, key.created_at)
        if earlier is not None:
            raise IdempotencyKeyTaken(earlier)


_k = idempotency_keys.c
_RECORD = select(idempotency_keys).where(
    _k.participant_hash == bindparam("participant"),
    _k.key == bindparam("key"),
    _k.expires_at > bindparam("now"),
)
_EXPIRED = delete(idempotency_keys).where(idempotency_keys.c.expires_at <= bindparam("now"))
_KEEP = insert(idempotency_keys)


def keep_answer(conn: Connection, record: IdempotencyRecord | None) -> None:
    """Store a send's idempotency record, removing expired ones first.

    It goes in before the row it answers, so a second send with the key fails at once.
    """
    if record is None:
        return
    conn.execute(_EXPIRED, {"now": record.key.created_at})
    conn.execute(_KEEP, {**asdict(record.key), "response": record.response})


def _idempotency_record(row: Row[Any]) -> IdempotencyRecord:
    fields = dict(row._mapping)
    response = fields.pop("response")
    return IdempotencyRecord(IdempotencyKey(**fields), response)
