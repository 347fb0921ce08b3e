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
from geoapp.domain import IdempotencyKey
from geoapp.models import ContributionCreate, ReplyCreate
from geoapp.security import form_starts
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
        create: Callable[[datetime, IdempotencyKey | None], BaseModel],
    ) -> JSONResponse:
        """Run `create` once per Idempotency-Key, after the bot check and the rate limit."""

        def run(key: IdempotencyKey | None) -> BaseModel:
            now = datetime.now(UTC)
            form_starts.require_human(
                body.form_token,
                body.website,
                self.keys.form_start,
                self.settings.form_min_seconds,
                now,
            )
            self.limiter.check(action, self.participant, now)
            return create(now, key)

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


def get_sender(
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
