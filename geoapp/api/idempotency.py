"""Idempotency-Key on creating pins and replies: a retried send gets the first answer back.

The key (chosen by the client, one per send attempt) is stored with the participant's hash,
a hash of the request and the first response, in the same transaction as the pin or reply it
answers: after a crash a key is either answered or free, never half-claimed. It expires after
a day by default. The same key with a different request is refused, so a key cannot be reused
by mistake for another pin.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from geoapp.domain import IdempotencyKey, IdempotencyKeyTaken
from geoapp.errors import InvalidInput
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
    run: Callable[[IdempotencyKey | None], BaseModel],
    status_code: int,
    lifetime: timedelta,
) -> JSONResponse:
    """Answer a send once per key: `run` stores its row with the answer under the key given.

    A retry with the same key and request gets the first answer again; a refused send (an
    exception from `run`) stores nothing, so the resident can fix it and send again.
    """
    if key is None:
        return JSONResponse(_body(run(None)), status_code=status_code)
    if not _KEY.fullmatch(key):
        raise InvalidInput("idempotency_key_invalid", field=HEADER)
    fingerprint = hashlib.sha256(f"{request}\n{body.model_dump_json()}".encode()).hexdigest()
    now = datetime.now(UTC)
    earlier = store.get_idempotency_record(participant_hash, key, now)
    if earlier is None:
        fresh = IdempotencyKey(participant_hash, key, fingerprint, status_code, now, now + lifetime)
        try:
            return JSONResponse(_body(run(fresh)), status_code=status_code)
        except IdempotencyKeyTaken as taken:
            # The same key arrived twice at once; the other send was stored, this one not.
            earlier = taken.earlier
    if earlier.key.request_hash != fingerprint:
        raise InvalidInput("idempotency_key_reused", field=HEADER)
    return JSONResponse(
        earlier.response, status_code=earlier.key.status_code, headers={REPLAYED: "true"}
    )


def _body(answer: BaseModel) -> object:
    # What jsonable_encoder gives for a model, without walking the dumped JSON a second time.
    return answer.model_dump(mode="json", by_alias=True)
