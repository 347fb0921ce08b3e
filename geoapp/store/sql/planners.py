"""Planner accounts, their signed-in sessions and the count of failed sign-ins."""

from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from geoapp.domain import Planner, PlannerSession, SigninFailures
from geoapp.store.schema import planner_sessions, planners, signin_throttles
from geoapp.store.sql.core import SqlBase, upsert
from geoapp.store.sql.mapping import from_row, values

FORGET_SIGNIN_FAILURES = timedelta(days=1)


class PlannerQueries(SqlBase):
    def add_planner(self, planner: Planner) -> None:
        with self._write() as conn:
            conn.execute(insert(planners).values(**values(planner, planners)))

    def get_planner(self, username: str) -> Planner | None:
        stmt = select(planners).where(planners.c.username == username)
        return self._first(stmt, lambda row: from_row(Planner, row, planners))

    def list_planners(self) -> list[Planner]:
        stmt = select(planners).order_by(planners.c.username)
        return self._all(stmt, lambda row: from_row(Planner, row, planners))

    def set_planner_password(self, username: str, password_hash: str) -> None:
        with self._write() as conn:
            planner_id = conn.execute(
                select(planners.c.id).where(planners.c.username == username)
            ).scalar_one()
            conn.execute(
                update(planners)
                .where(planners.c.id == planner_id)
                .values(password_hash=password_hash)
            )
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.planner_id == planner_id)
            )

    def add_planner_session(self, session: PlannerSession) -> None:
        with self._write() as conn:
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.expires_at <= session.created_at)
            )
            conn.execute(insert(planner_sessions).values(**values(session, planner_sessions)))

    def get_planner_session(
        self, token_hash: str, now: datetime
    ) -> tuple[PlannerSession, Planner] | None:
        s = planner_sessions.c
        stmt = (
            select(planner_sessions, planners)
            .join(planners, planners.c.id == s.planner_id)
            .where(s.token_hash == token_hash, s.expires_at > now, planners.c.disabled.is_(False))
        )
        return self._first(
            stmt,
            lambda row: (
                from_row(PlannerSession, row, planner_sessions),
                from_row(Planner, row, planners),
            ),
        )

    def touch_planner_session(self, token_hash: str, now: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                update(planner_sessions)
                .where(planner_sessions.c.token_hash == token_hash)
                .values(last_seen_at=now)
            )

    def delete_planner_session(self, token_hash: str) -> None:
        with self._write() as conn:
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.token_hash == token_hash)
            )

    def delete_planner_sessions(self, planner_id: str) -> int:
        with self._write() as conn:
            result = conn.execute(
                delete(planner_sessions).where(planner_sessions.c.planner_id == planner_id)
            )
        return result.rowcount

    def set_planner_disabled(self, username: str, disabled: bool) -> bool:
        with self._write() as conn:
            planner_id = conn.execute(
                select(planners.c.id).where(planners.c.username == username)
            ).scalar()
            if planner_id is None:
                return False
            conn.execute(
                update(planners).where(planners.c.id == planner_id).values(disabled=disabled)
            )
            if disabled:
                conn.execute(
                    delete(planner_sessions).where(planner_sessions.c.planner_id == planner_id)
                )
        return True

    def get_signin_failures(self, username: str, network_hash: str) -> SigninFailures | None:
        t = signin_throttles.c
        stmt = select(signin_throttles).where(
            t.username == username, t.network_hash == network_hash
        )
        return self._first(stmt, lambda row: from_row(SigninFailures, row, signin_throttles))

    def add_signin_failure(self, network_hash: str, username: str | None, now: datetime) -> None:
        t = signin_throttles.c
        with self._write() as conn:
            conn.execute(delete(signin_throttles).where(t.last_at < now - FORGET_SIGNIN_FAILURES))
            for name in ("", username) if username else ("",):
                first = {"username": name, "network_hash": network_hash, "count": 1, "last_at": now}
                conn.execute(
                    upsert(conn, signin_throttles, first, {"count": t.count + 1, "last_at": now})
                )

    def clear_signin_failures(self, username: str, network_hash: str | None = None) -> int:
        t = signin_throttles.c
        stmt = delete(signin_throttles).where(t.username == username)
        if network_hash is not None:
            stmt = stmt.where(t.network_hash == network_hash)
        with self._write() as conn:
            return conn.execute(stmt).rowcount

    def forget_signin_failures(self, before: datetime) -> int:
        with self._write() as conn:
            stmt = delete(signin_throttles).where(signin_throttles.c.last_at < before)
            return conn.execute(stmt).rowcount
