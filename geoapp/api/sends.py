"""A resident sends a pin or a reply: bot check, rate limit and Idempotency-Key, once."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from geoapp.api import idempotency
from geoapp.api.deps import KeysDep, LimiterDep, ParticipantDep, SettingsDep, StoreDep
from geoapp.api.idempotency import IdempotencyKeyHeader
from geoapp.config import Settings
from geoapp.domain import Hit, IdempotencyKey, OverLimit
from geoapp.errors import DomainError
from geoapp.models import ContributionCreate, ReplyCreate
from geoapp.security import form_starts, rate_limits
from geoapp.security.rate_limits import Action, Limiter
from geoapp.security.server_keys import ServerKeys
from geoapp.store.base import Store


@dataclass(frozen=True)
class Sender:
    """The participant sending, with what every send is checked and counted against."""

    participant: str
    store: Store
    settings: Settings
    keys: ServerKeys
    limiter: Limiter
    idempotency_key: str | None

    def send(
        self,
        action: Action,
        request: str,
        body: ContributionCreate | ReplyCreate,
        create: Callable[[datetime, IdempotencyKey | None, list[Hit]], BaseModel],
    ) -> JSONResponse:
        """Run `create` once per Idempotency-Key, after the bot check, under the rate limit.

        `create` stores the rate hits with what it stores, in one transaction; a send it
        refuses is counted on its own, so refused sends count against the limit as before.
        """

        def run(key: IdempotencyKey | None) -> BaseModel:
            now = datetime.now(UTC)
            form_starts.require_human(
                body.form_token,
                body.website,
                self.keys.form_start,
                self.settings.form_min_seconds,
                now,
            )
            try:
                return create(now, key, self.limiter.hits(action, self.participant, now))
            except OverLimit as over:
                raise rate_limits.refusal(over.hit, now) from None
            except DomainError:
                # Over the limit is the answer to give first, as when counting came first.
                self.limiter.check(action, self.participant, now)
                raise

        return idempotency.run_once(
            self.store,
            self.participant,
            self.idempotency_key,
            request,
            body,
            run,
            status.HTTP_201_CREATED,
            timedelta(hours=self.settings.idempotency_hours),
        )


async def get_sender(
    participant: ParticipantDep,
    limiter: LimiterDep,
    store: StoreDep,
    settings: SettingsDep,
    keys: KeysDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Sender:
    return Sender(participant, store, settings, keys, limiter, idempotency_key)


SenderDep = Annotated[Sender, Depends(get_sender)]
"""The participant sending a pin or reply (403 without a token, 429 over a limit)."""
