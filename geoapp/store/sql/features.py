"""Keyset pages of contributions and planner API tokens, for the OGC API – Features service."""

from datetime import datetime

from sqlalchemy import insert, select, tuple_, update

from geoapp.domain import (
    ApiToken,
    Contribution,
    ContributionPage,
    ContributionQuery,
    Keyset,
    Planner,
)
from geoapp.store.schema import api_tokens, contributions, planners
from geoapp.store.sql.core import SqlBase, contributions_select
from geoapp.store.sql.mapping import from_row, values


class FeatureQueries(SqlBase):
    def page_contributions(
        self,
        query: ContributionQuery,
        limit: int,
        after: Keyset | None = None,
        before: Keyset | None = None,
    ) -> ContributionPage:
        c = contributions.c
        key = tuple_(c.created_at, c.id)
        stmt = contributions_select().where(*self._filters(query))
        if before is not None:
            # Backwards from `before`: the nearest rows first, turned round below. The bound
            # is a plain tuple so that it is bound with the columns' types (UTC handling).
            stmt = stmt.where(key < (before.created_at, before.id))
            stmt = stmt.order_by(c.created_at.desc(), c.id.desc())
        else:
            if after is not None:
                stmt = stmt.where(key > (after.created_at, after.id))
            stmt = stmt.order_by(c.created_at, c.id)
        rows = self._all(
            stmt.limit(limit + 1), lambda row: from_row(Contribution, row, contributions)
        )
        beyond = len(rows) > limit
        rows = rows[:limit]
        if before is not None:
            rows.reverse()
            return ContributionPage(rows, more_after=True, more_before=beyond)
        return ContributionPage(rows, more_after=beyond, more_before=after is not None)

    # planner API tokens

    def add_api_token(self, token: ApiToken) -> None:
        with self._write() as conn:
            conn.execute(insert(api_tokens).values(**values(token, api_tokens)))

    def get_api_token(self, token_hash: str) -> tuple[ApiToken, Planner] | None:
        t = api_tokens.c
        stmt = (
            select(api_tokens, planners)
            .join(planners, planners.c.id == t.planner_id)
            .where(
                t.token_hash == token_hash,
                t.revoked_at.is_(None),
                planners.c.disabled.is_(False),
            )
        )
        return self._first(
            stmt,
            lambda row: (from_row(ApiToken, row, api_tokens), from_row(Planner, row, planners)),
        )

    def list_api_tokens(self) -> list[tuple[ApiToken, Planner]]:
        stmt = (
            select(api_tokens, planners)
            .join(planners, planners.c.id == api_tokens.c.planner_id)
            .order_by(planners.c.username, api_tokens.c.created_at)
        )
        return self._all(
            stmt,
            lambda row: (from_row(ApiToken, row, api_tokens), from_row(Planner, row, planners)),
        )

    def revoke_api_token(self, token_id: str, now: datetime) -> bool:
        t = api_tokens.c
        with self._write() as conn:
            result = conn.execute(
                update(api_tokens)
                .where(t.id == token_id, t.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        return result.rowcount == 1
