"""Idempotency-Key on creating pins and replies: a retried send gets the first answer back.

The key (chosen by the client, one per send attempt) is stored with the participant's hash,
a hash of the request and, once it is there, the first response; it expires after a day by
default. The same key with a different request is refused, so a key cannot be reused by
mistake for another pin.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from geoapp.errors import InvalidInput, NotAllowedNow
from geoapp.store.base import Store

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,100}")

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description="A random value per send attempt, the same on a retry (at most 100 "
        "letters, digits, '-', '_', '.', ':'). A retry gets the first answer back.",
    ),
]


def run_once(
    store: Store,
    participant_hash: str,
    key: str | None,
    request: str,
    body: BaseModel,
    run: Callable[[], BaseModel],
    status_code: int,
    lifetime: timedelta,
) -> JSONResponse:
    """Run `run` once per key; a retry with the same key and request gets its first answer."""
    if key is None:
        return JSONResponse(jsonable_encoder(run()), status_code=status_code)
    if not _KEY.fullmatch(key):
        raise InvalidInput("idempotency_key_invalid", field=HEADER)
    fingerprint = hashlib.sha256(f"{request}\n{body.model_dump_json()}".encode()).hexdigest()
    now = datetime.now(UTC)
    earlier = store.claim_idempotency_key(participant_hash, key, fingerprint, now, now + lifetime)
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            raise InvalidInput("idempotency_key_reused", field=HEADER)
        if earlier.status_code is None:
            raise NotAllowedNow("idempotency_in_progress")
        return JSONResponse(
            earlier.response, status_code=earlier.status_code, headers={REPLAYED: "true"}
        )
    try:
        content = jsonable_encoder(run())
    except Exception:
        # A refusal is not an answer to keep: the resident fixes the cause and sends again.
        store.release_idempotency_key(participant_hash, key)
        raise
    store.finish_idempotency_key(participant_hash, key, status_code, content)
    return JSONResponse(content, status_code=status_code)
