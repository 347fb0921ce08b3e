"""Idempotency keys: the first answer to a request, kept to answer its retries."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from geoapp.domain import IdempotentResponse
from geoapp.store.schema import idempotency_keys
from geoapp.store.sql.core import SqlBase


class IdempotencyQueries(SqlBase):
    def claim_idempotency_key(
        self,
        participant_hash: str,
        key: str,
        request_hash: str,
        now: datetime,
        expires_at: datetime,
    ) -> IdempotentResponse | None:
        k = idempotency_keys.c
        row = (k.participant_hash == participant_hash) & (k.key == key)
        try:
            with self._write() as conn:
                conn.execute(delete(idempotency_keys).where(k.expires_at <= now))
                conn.execute(
                    insert(idempotency_keys).values(
                        participant_hash=participant_hash,
                        key=key,
                        request_hash=request_hash,
                        created_at=now,
                        expires_at=expires_at,
                    )
                )
                return None
        except IntegrityError:
            with self._read() as conn:
                found = conn.execute(
                    select(k.request_hash, k.status_code, k.response).where(row)
                ).first()
            if found is None:  # released in between: the caller may simply try again
                return self.claim_idempotency_key(
                    participant_hash, key, request_hash, now, expires_at
                )
            return IdempotentResponse(found.request_hash, found.status_code, found.response)

    def finish_idempotency_key(
        self, participant_hash: str, key: str, status_code: int, response: Any
    ) -> None:
        k = idempotency_keys.c
        with self._write() as conn:
            conn.execute(
                update(idempotency_keys)
                .where(k.participant_hash == participant_hash, k.key == key)
                .values(status_code=status_code, response=response)
            )

    def release_idempotency_key(self, participant_hash: str, key: str) -> None:
        k = idempotency_keys.c
        with self._write() as conn:
            conn.execute(
                delete(idempotency_keys).where(k.participant_hash == participant_hash, k.key == key)
            )
