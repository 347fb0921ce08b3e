"""Queries shared by every SQL backend; a backend overrides only the spatial parts."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import shapely.geometry
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    Table,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from geoapp.store.base import (
    AuditEvent,
    BBox,
    Category,
    Consultation,
    ConsultationStatus,
    Contribution,
    ContributionQuery,
    IdempotencyKey,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    Moderation,
    ModerationQuery,
    Photo,
    PhotoTaken,
    Planner,
    PlannerRole,
    PlannerSession,
    Reply,
    Report,
    ReportReason,
    ReportTally,
    ResponseStatus,
    SigninFailures,
    Source,
    Status,
    TargetKind,
)
from geoapp.store.schema import (
    audit_events,
    consultations,
    contributions,
    idempotency_keys,
    photos,
    planner_sessions,
    planners,
    rate_counters,
    replies,
    reports,
    server_secrets,
    signin_throttles,
    supports,
)

MIGRATIONS = Path(__file__).parent / "migrations"
STREAM_BATCH = 2000
FORGET_SIGNIN_FAILURES = timedelta(days=1)
T = TypeVar("T")


class SqlStore:
    """The Store protocol on SQLAlchemy Core; subclasses supply the engine and bbox filter."""

    read_options: dict[str, Any] = {}  # noqa: RUF012

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._write() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(**self.read_options) as conn:
            yield conn

    def _all(self, stmt: Select[Any], convert: Callable[[Row[Any]], T]) -> list[T]:
        with self._read() as conn:
            return [convert(row) for row in conn.execute(stmt)]

    def _first(self, stmt: Select[Any], convert: Callable[[Row[Any]], T]) -> T | None:
        with self._read() as conn:
            row = conn.execute(stmt).first()
        return convert(row) if row else None

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        """Contributions whose bounding box meets `bbox`; backends use their spatial index."""
        c = contributions.c
        return (
            (c.min_lon <= bbox.max_lon)
            & (c.max_lon >= bbox.min_lon)
            & (c.min_lat <= bbox.max_lat)
            & (c.max_lat >= bbox.min_lat)
        )

    # consultations

    def add_consultation(self, consultation: Consultation) -> None:
        with self._write() as conn:
            conn.execute(insert(consultations).values(**_consultation_values(consultation)))

    def get_consultation(self, slug: str) -> Consultation | None:
        with self._read() as conn:
            row = conn.execute(select(consultations).where(consultations.c.slug == slug)).first()
        return _consultation(row) if row else None

    def get_consultation_by_id(self, consultation_id: str) -> Consultation | None:
        stmt = select(consultations).where(consultations.c.id == consultation_id)
        return self._first(stmt, _consultation)

    def list_consultations(self) -> list[Consultation]:
        with self._read() as conn:
            rows = conn.execute(select(consultations).order_by(consultations.c.opens_at.desc()))
            return [_consultation(row) for row in rows]

    # contributions

    def add_contribution(
        self, contribution: Contribution, idempotency: IdempotencyRecord | None = None
    ) -> None:
        try:
            with self._write() as conn:
                _keep_answer(conn, idempotency)
                conn.execute(insert(contributions).values(**_contribution_values(contribution)))
        except IntegrityError:
            self._refuse_taken_key(idempotency)
            # Two pins sent at once with the same photo: the unique index lets one through.
            if contribution.photo_id and self.contribution_of_photo(contribution.photo_id):
                raise PhotoTaken(contribution.photo_id) from None
            raise

    def _refuse_taken_key(self, idempotency: IdempotencyRecord | None) -> None:
        """After a failed insert: IdempotencyKeyTaken if another send stored the key first."""
        if idempotency is None:
            return
        key = idempotency.key
        earlier = self.get_idempotency_record(key.participant_hash, key.key, key.created_at)
        if earlier is not None:
            raise IdempotencyKeyTaken(earlier)

    def get_contribution(self, contribution_id: str) -> Contribution | None:
        with self._read() as conn:
            row = conn.execute(
                _contributions_select().where(contributions.c.id == contribution_id)
            ).first()
        return _contribution(row) if row else None

    def list_contributions(self, query: ContributionQuery) -> list[Contribution]:
        with self._read() as conn:
            return [_contribution(row) for row in conn.execute(self._listing(query))]

    def iter_contributions(self, query: ContributionQuery) -> Iterator[Contribution]:
        with self._read() as conn:
            rows = conn.execution_options(yield_per=STREAM_BATCH).execute(self._listing(query))
            for row in rows:
                yield _contribution(row)

    def _listing(self, query: ContributionQuery) -> Select[Any]:
        stmt = (
            _contributions_select()
            .where(*self._filters(query))
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
            .offset(query.offset)
        )
        return stmt if query.limit is None else stmt.limit(query.limit)

    def count_contributions(self, query: ContributionQuery) -> int:
        stmt = select(func.count()).select_from(contributions).where(*self._filters(query))
        with self._read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def contributions_of_participant(self, participant_hash: str) -> list[Contribution]:
        stmt = (
            _contributions_select()
            .where(contributions.c.participant_hash == participant_hash)
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
        )
        return self._all(stmt, _contribution)

    def _filters(self, query: ContributionQuery) -> list[ColumnElement[bool]]:
        c = contributions.c
        filters = [c.consultation_id == query.consultation_id]
        filters.append(c.status.in_([str(s) for s in query.statuses]))
        if query.categories:
            filters.append(c.category.in_(list(query.categories)))
        if query.bbox is not None:
            filters.append(self._bbox_clause(query.bbox))
        if query.created_from is not None:
            filters.append(c.created_at >= query.created_from)
        if query.created_to is not None:
            filters.append(c.created_at < query.created_to)
        return filters

    # supports

    def set_support(
        self, contribution_id: str, participant_hash: str, supported: bool, now: datetime
    ) -> int:
        try:
            with self._write() as conn:
                _change_support(conn, contribution_id, participant_hash, supported, now)
                return _support_count(conn, contribution_id)
        except IntegrityError:
            # The row came first from a concurrent request of the same participant (or the
            # contribution is gone): the count as it stands.
            with self._read() as conn:
                return _support_count(conn, contribution_id)

    def supported_among(self, participant_hash: str, contribution_ids: Sequence[str]) -> set[str]:
        if not contribution_ids:
            return set()
        stmt = select(supports.c.contribution_id).where(
            supports.c.participant_hash == participant_hash,
            supports.c.contribution_id.in_(list(contribution_ids)),
        )
        with self._read() as conn:
            return set(conn.execute(stmt).scalars())

    # replies

    def add_reply(self, reply: Reply, idempotency: IdempotencyRecord | None = None) -> None:
        try:
            with self._write() as conn:
                _keep_answer(conn, idempotency)
                conn.execute(insert(replies).values(**_values(reply)))
        except IntegrityError:
            self._refuse_taken_key(idempotency)
            raise

    def get_reply(self, reply_id: str) -> Reply | None:
        return self._first(select(replies).where(replies.c.id == reply_id), _reply)

    def list_replies(self, contribution_id: str, statuses: Sequence[Status]) -> list[Reply]:
        stmt = (
            select(replies)
            .where(
                replies.c.contribution_id == contribution_id,
                replies.c.status.in_([str(s) for s in statuses]),
            )
            .order_by(replies.c.created_at, replies.c.id)
        )
        return self._all(stmt, _reply)

    def replies_of_contributions(
        self, query: ContributionQuery, statuses: Sequence[Status]
    ) -> list[Reply]:
        stmt = (
            select(replies)
            .join(contributions, replies.c.contribution_id == contributions.c.id)
            .where(*self._filters(query), replies.c.status.in_([str(s) for s in statuses]))
            .order_by(contributions.c.created_at.desc(), contributions.c.id, replies.c.created_at)
        )
        with self._read() as conn:
            return [_reply(row) for row in conn.execute(stmt)]

    def replies_of_participant(self, participant_hash: str) -> list[Reply]:
        stmt = (
            select(replies)
            .where(replies.c.participant_hash == participant_hash)
            .order_by(replies.c.created_at.desc(), replies.c.id)
        )
        return self._all(stmt, _reply)

    # reports and status changes

    def add_report(self, report: Report) -> ReportTally | None:
        try:
            with self._write() as conn:
                conn.execute(insert(reports).values(**_values(report)))
                reports_, networks = conn.execute(
                    select(*_tally_columns(report.target_kind, report.target_id))
                ).one()
                return ReportTally(int(reports_), int(networks))
        except IntegrityError:
            return None

    def list_reports(self, kind: TargetKind, target_id: str) -> list[Report]:
        return self._all(_about(reports, kind, target_id), _report)

    def set_status(
        self,
        kind: TargetKind,
        target_id: str,
        status: Status,
        reason: str | None,
        event: AuditEvent,
        expected: Status | None = None,
    ) -> bool:
        table = _STATUS_TABLES[kind]
        stmt = (
            update(table)
            .where(table.c.id == target_id)
            .values(status=str(status), status_reason=reason, updated_at=event.created_at)
        )
        if expected is not None:
            stmt = stmt.where(table.c.status == str(expected))
        with self._write() as conn:
            if conn.execute(stmt).rowcount == 0:
                return False
            conn.execute(insert(audit_events).values(**_values(event)))
        return True

    def list_audit(self, kind: TargetKind, target_id: str) -> list[AuditEvent]:
        return self._all(_about(audit_events, kind, target_id), _audit)

    # photos

    def add_photo(self, photo: Photo) -> None:
        with self._write() as conn:
            conn.execute(insert(photos).values(**_values(photo)))

    def get_photo(self, photo_id: str) -> Photo | None:
        stmt = select(photos).where(photos.c.id == photo_id)
        return self._first(stmt, lambda row: Photo(**row._mapping))

    def contribution_of_photo(self, photo_id: str) -> Contribution | None:
        stmt = _contributions_select().where(contributions.c.photo_id == photo_id)
        return self._first(stmt, _contribution)

    def delete_orphan_photos(self, before: datetime, limit: int) -> list[str]:
        used = select(contributions.c.photo_id).where(contributions.c.photo_id.is_not(None))
        with self._write() as conn:
            ids = list(
                conn.execute(
                    select(photos.c.id)
                    .where(photos.c.created_at < before, photos.c.id.not_in(used))
                    .order_by(photos.c.created_at)
                    .limit(limit)
                ).scalars()
            )
            if ids:
                conn.execute(delete(photos).where(photos.c.id.in_(ids)))
        return ids

    # planners' work: entered pins, consultations

    def add_contributions(self, pins: Sequence[Contribution], events: Sequence[AuditEvent]) -> None:
        # One executemany per table: 100,000 imported or benchmark pins take seconds, not minutes.
        with self._write() as conn:
            if pins:
                conn.execute(insert(contributions), [_contribution_values(c) for c in pins])
            if events:
                conn.execute(insert(audit_events), [_values(e) for e in events])

    def update_contribution(self, contribution: Contribution, event: AuditEvent) -> None:
        values = _contribution_values(contribution)
        editable = ("category", "text", "geometry", "planner_response", "response_status")
        bbox = ("min_lon", "min_lat", "max_lon", "max_lat")
        with self._write() as conn:
            conn.execute(
                update(contributions)
                .where(contributions.c.id == contribution.id)
                .values(**{k: values[k] for k in (*editable, *bbox)}, updated_at=event.created_at)
            )
            conn.execute(insert(audit_events).values(**_values(event)))

    def erase_personal_data(self, contribution_id: str, event: AuditEvent) -> str | None:
        with self._write() as conn:
            photo_id = conn.execute(
                select(contributions.c.photo_id).where(contributions.c.id == contribution_id)
            ).scalar()
            conn.execute(
                update(contributions)
                .where(contributions.c.id == contribution_id)
                .values(
                    author_name=None,
                    contact_email=None,
                    photo_id=None,
                    photo_alt=None,
                    updated_at=event.created_at,
                )
            )
            if photo_id is not None:
                conn.execute(delete(photos).where(photos.c.id == photo_id))
            _erase_audited_texts(conn, contribution_id)
            conn.execute(insert(audit_events).values(**_values(event)))
        return photo_id

    def resolve_reports(self, kind: TargetKind, target_id: str, now: datetime) -> int:
        stmt = (
            update(reports)
            .where(
                reports.c.target_kind == str(kind),
                reports.c.target_id == target_id,
                reports.c.resolved_at.is_(None),
            )
            .values(resolved_at=now)
        )
        with self._write() as conn:
            return int(conn.execute(stmt).rowcount)

    def moderation_queue(self, query: ModerationQuery) -> list[tuple[Contribution, ReportTally]]:
        c = contributions.c
        open_reports, networks = _tally_columns(TargetKind.CONTRIBUTION, c.id)
        stmt = _contributions_select().add_columns(open_reports, networks)
        if query.consultation_id is not None:
            stmt = stmt.where(c.consultation_id == query.consultation_id)
        stmt = stmt.where(*_queue_filters(query, c.status, open_reports))
        stmt = stmt.order_by(c.created_at.desc(), c.id).limit(query.limit).offset(query.offset)
        with self._read() as conn:
            return [
                (_contribution(row), ReportTally(int(row.open_reports), int(row.report_networks)))
                for row in conn.execute(stmt)
            ]

    def reply_queue(self, query: ModerationQuery) -> list[tuple[Reply, ReportTally]]:
        r = replies.c
        open_reports, networks = _tally_columns(TargetKind.REPLY, r.id)
        stmt = select(replies, open_reports, networks)
        if query.consultation_id is not None:
            stmt = stmt.join(contributions, contributions.c.id == r.contribution_id).where(
                contributions.c.consultation_id == query.consultation_id
            )
        stmt = stmt.where(*_queue_filters(query, r.status, open_reports))
        stmt = stmt.order_by(r.created_at.desc(), r.id).limit(query.limit).offset(query.offset)
        queue = []
        with self._read() as conn:
            for row in conn.execute(stmt):
                fields = dict(row._mapping)
                tally = ReportTally(
                    int(fields.pop("open_reports")), int(fields.pop("report_networks"))
                )
                queue.append((Reply(**{**fields, "status": Status(fields["status"])}), tally))
        return queue

    def update_consultation(self, consultation: Consultation) -> None:
        values = _consultation_values(consultation)
        # The pause has its own writer (set_pause), so an edit cannot undo a pause.
        for column in ("id", "slug", "created_at", "paused_at", "pause_message"):
            del values[column]
        with self._write() as conn:
            conn.execute(
                update(consultations).where(consultations.c.id == consultation.id).values(**values)
            )

    # planners and their sessions

    def add_planner(self, planner: Planner) -> None:
        with self._write() as conn:
            conn.execute(
                insert(planners).values(
                    id=planner.id,
                    username=planner.username,
                    password_hash=planner.password_hash,
                    role=str(planner.role),
                    created_at=planner.created_at,
                    disabled=planner.disabled,
                )
            )

    def get_planner(self, username: str) -> Planner | None:
        with self._read() as conn:
            row = conn.execute(select(planners).where(planners.c.username == username)).first()
        return _planner(row) if row else None

    def list_planners(self) -> list[Planner]:
        with self._read() as conn:
            return [_planner(r) for r in conn.execute(select(planners).order_by("username"))]

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
            conn.execute(
                insert(planner_sessions).values(
                    token_hash=session.token_hash,
                    planner_id=session.planner_id,
                    csrf_token=session.csrf_token,
                    created_at=session.created_at,
                    expires_at=session.expires_at,
                    last_seen_at=session.last_seen_at,
                )
            )

    def get_planner_session(
        self, token_hash: str, now: datetime
    ) -> tuple[PlannerSession, Planner] | None:
        s = planner_sessions.c
        stmt = (
            select(planner_sessions, planners)
            .join(planners, planners.c.id == s.planner_id)
            .where(s.token_hash == token_hash, s.expires_at > now, planners.c.disabled.is_(False))
        )
        with self._read() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        m = row._mapping
        session = PlannerSession(
            token_hash=m[s.token_hash],
            planner_id=m[s.planner_id],
            csrf_token=m[s.csrf_token],
            created_at=m[s.created_at],
            expires_at=m[s.expires_at],
            last_seen_at=m[s.last_seen_at],
        )
        return session, _planner(row)

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
        return self._first(stmt, lambda row: SigninFailures(**row._mapping))

    def add_signin_failure(self, network_hash: str, username: str | None, now: datetime) -> None:
        t = signin_throttles.c
        with self._write() as conn:
            conn.execute(delete(signin_throttles).where(t.last_at < now - FORGET_SIGNIN_FAILURES))
            for name in ("", username) if username else ("",):
                counted = conn.execute(
                    update(signin_throttles)
                    .where(t.username == name, t.network_hash == network_hash)
                    .values(count=t.count + 1, last_at=now)
                )
                if counted.rowcount == 0:
                    conn.execute(
                        insert(signin_throttles).values(
                            username=name, network_hash=network_hash, count=1, last_at=now
                        )
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

    # abuse protection

    def server_secret(self, name: str, candidate: str, now: datetime) -> str:
        stmt = select(server_secrets.c.value).where(server_secrets.c.name == name)
        try:
            with self._write() as conn:
                stored = conn.execute(stmt).scalar()
                if stored is not None:
                    return str(stored)
                conn.execute(
                    insert(server_secrets).values(name=name, value=candidate, created_at=now)
                )
                return candidate
        except IntegrityError:
            # Another worker stored its candidate first: everyone uses that one.
            with self._read() as conn:
                return str(conn.execute(stmt).scalar_one())

    def count_hit(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        try:
            with self._write() as conn:
                expired = rate_counters.c.expires_at <= window_start
                conn.execute(delete(rate_counters).where(expired))
                return _hit(conn, key, window_start, expires_at)
        except IntegrityError:
            # A concurrent first hit inserted the row: now the update finds it.
            with self._write() as conn:
                return _hit(conn, key, window_start, expires_at)

    def get_idempotency_record(
        self, participant_hash: str, key: str, now: datetime
    ) -> IdempotencyRecord | None:
        k = idempotency_keys.c
        stmt = select(idempotency_keys).where(
            k.participant_hash == participant_hash, k.key == key, k.expires_at > now
        )
        return self._first(stmt, _idempotency_record)

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

    def set_pause(
        self,
        consultation_id: str,
        paused_at: datetime | None,
        message: str | None,
        event: AuditEvent,
    ) -> None:
        with self._write() as conn:
            conn.execute(
                update(consultations)
                .where(consultations.c.id == consultation_id)
                .values(paused_at=paused_at, pause_message=message, updated_at=event.created_at)
            )
            conn.execute(insert(audit_events).values(**_values(event)))


_STATUS_TABLES: dict[TargetKind, Table] = {
    TargetKind.CONTRIBUTION: contributions,
    TargetKind.REPLY: replies,
}


def _erase_audited_texts(conn: Connection, contribution_id: str) -> None:
    """Blank the texts a pin had before its edits; the trail still shows that it was edited."""
    for event_id, changes in conn.execute(
        select(audit_events.c.id, audit_events.c.changes).where(
            audit_events.c.target_kind == str(TargetKind.CONTRIBUTION),
            audit_events.c.target_id == contribution_id,
        )
    ):
        if "text" in changes:
            erased = {**changes, "text": [None, None]}
            conn.execute(
                update(audit_events).where(audit_events.c.id == event_id).values(changes=erased)
            )


def _about(table: Table, kind: TargetKind, target_id: str) -> Select[Any]:
    """The rows of `table` (reports, audit events) about one target, oldest first."""
    return (
        select(table)
        .where(table.c.target_kind == str(kind), table.c.target_id == target_id)
        .order_by(table.c.created_at, table.c.id)
    )


def _contributions_select() -> Select[Any]:
    """Contributions with their number of published replies as `reply_count`."""
    reply_count = (
        select(func.count())
        .where(
            replies.c.contribution_id == contributions.c.id,
            replies.c.status == str(Status.PUBLISHED),
        )
        .scalar_subquery()
        .label("reply_count")
    )
    return select(contributions, reply_count)


def _change_support(
    conn: Connection, contribution_id: str, participant_hash: str, supported: bool, now: datetime
) -> None:
    """Add or remove the supports row and move the denormalised count with it."""
    row = (supports.c.contribution_id == contribution_id) & (
        supports.c.participant_hash == participant_hash
    )
    exists = conn.execute(select(supports.c.contribution_id).where(row)).first() is not None
    if supported == exists:
        return
    if supported:
        conn.execute(
            insert(supports).values(
                contribution_id=contribution_id, participant_hash=participant_hash, created_at=now
            )
        )
        step = 1
    else:
        conn.execute(delete(supports).where(row))
        step = -1
    moved = contributions.c.support_count + step
    conn.execute(
        update(contributions)
        .where(contributions.c.id == contribution_id)
        # The count is denormalised (demo pins start with one and no rows): never below zero.
        .values(support_count=case((moved < 0, 0), else_=moved))
    )


def _support_count(conn: Connection, contribution_id: str) -> int:
    count = conn.execute(
        select(contributions.c.support_count).where(contributions.c.id == contribution_id)
    ).scalar_one_or_none()
    return int(count or 0)


def _hit(conn: Connection, key: str, window_start: datetime, expires_at: datetime) -> int:
    """Add one to a rate counter (creating it at one); the new count."""
    r = rate_counters.c
    row = (r.key == key) & (r.window_start == window_start)
    if conn.execute(update(rate_counters).where(row).values(count=r.count + 1)).rowcount == 0:
        conn.execute(
            insert(rate_counters).values(
                key=key, window_start=window_start, count=1, expires_at=expires_at
            )
        )
    return int(conn.execute(select(r.count).where(row)).scalar_one())


def _keep_answer(conn: Connection, record: IdempotencyRecord | None) -> None:
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


def _tally_columns(kind: TargetKind, target_id: Any) -> tuple[Any, Any]:
    """Scalar subqueries: open reports on the target (`open_reports`) and their distinct
    networks (`report_networks`)."""
    about = (
        reports.c.target_kind == str(kind),
        reports.c.target_id == target_id,
        reports.c.resolved_at.is_(None),
    )
    count = select(func.count()).where(*about).scalar_subquery().label("open_reports")
    networks = (
        select(func.count(reports.c.network_hash.distinct()))
        .where(*about)
        .scalar_subquery()
        .label("report_networks")
    )
    return count, networks


def _queue_filters(
    query: ModerationQuery, status: ColumnElement[Any], open_reports: Any
) -> list[ColumnElement[bool]]:
    filters = []
    if query.statuses:
        filters.append(status.in_([str(s) for s in query.statuses]))
    if query.reported_only:
        filters.append(open_reports > 0)
    return filters


def _planner(row: Row[Any]) -> Planner:
    m = row._mapping
    return Planner(
        id=m[planners.c.id],
        username=m[planners.c.username],
        password_hash=m[planners.c.password_hash],
        role=PlannerRole(m[planners.c.role]),
        created_at=m[planners.c.created_at],
        disabled=bool(m[planners.c.disabled]),
    )


def _consultation_values(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.id,
        "slug": c.slug,
        "title": c.title,
        "description": c.description,
        "question": c.question,
        "perimeter": c.perimeter,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "status": str(c.status),
        "moderation": str(c.moderation),
        "categories": [
            {"key": cat.key, "label": cat.label, "color": cat.color} for cat in c.categories
        ],
        "allow_replies": c.allow_replies,
        "allow_photos": c.allow_photos,
        "open_data": c.open_data,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "paused_at": c.paused_at,
        "pause_message": c.pause_message,
    }


def _consultation(row: Row[Any]) -> Consultation:
    m = row._mapping
    return Consultation(
        id=m["id"],
        slug=m["slug"],
        title=m["title"],
        description=m["description"],
        question=m["question"],
        perimeter=m["perimeter"],
        opens_at=m["opens_at"],
        closes_at=m["closes_at"],
        status=ConsultationStatus(m["status"]),
        moderation=Moderation(m["moderation"]),
        categories=[Category(**cat) for cat in m["categories"]],
        allow_replies=m["allow_replies"],
        allow_photos=m["allow_photos"],
        open_data=m["open_data"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        paused_at=m["paused_at"],
        pause_message=m["pause_message"],
    )


def _contribution_values(c: Contribution) -> dict[str, Any]:
    bounds: tuple[float | None, ...] = (None, None, None, None)
    if c.geometry is not None:
        bounds = shapely.geometry.shape(c.geometry).bounds
    return {
        "id": c.id,
        "consultation_id": c.consultation_id,
        "geometry": c.geometry,
        "min_lon": bounds[0],
        "min_lat": bounds[1],
        "max_lon": bounds[2],
        "max_lat": bounds[3],
        "category": c.category,
        "text": c.text,
        "author_name": c.author_name,
        "contact_email": c.contact_email,
        "language": c.language,
        "source": str(c.source),
        "status": str(c.status),
        "support_count": c.support_count,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "participant_hash": c.participant_hash,
        "photo_id": c.photo_id,
        "photo_alt": c.photo_alt,
        "status_reason": c.status_reason,
        "planner_response": c.planner_response,
        "response_status": str(c.response_status) if c.response_status else None,
    }


def _contribution(row: Row[Any]) -> Contribution:
    m = row._mapping
    return Contribution(
        id=m["id"],
        consultation_id=m["consultation_id"],
        geometry=m["geometry"],
        category=m["category"],
        text=m["text"],
        status=Status(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        language=m["language"],
        source=Source(m["source"]),
        author_name=m["author_name"],
        contact_email=m["contact_email"],
        participant_hash=m["participant_hash"],
        photo_id=m["photo_id"],
        photo_alt=m["photo_alt"],
        status_reason=m["status_reason"],
        planner_response=m["planner_response"],
        response_status=ResponseStatus(m["response_status"]) if m["response_status"] else None,
        support_count=m["support_count"],
        reply_count=m["reply_count"],
    )


def _values(row: Reply | Report | AuditEvent | Photo) -> dict[str, Any]:
    """A row type's fields as column values (their field names are the column names)."""
    return {k: str(v) if isinstance(v, StrEnum) else v for k, v in asdict(row).items()}


def _reply(row: Row[Any]) -> Reply:
    m = row._mapping
    return Reply(**{**m, "status": Status(m["status"])})


def _report(row: Row[Any]) -> Report:
    m = row._mapping
    return Report(
        **{**m, "target_kind": TargetKind(m["target_kind"]), "reason": ReportReason(m["reason"])}
    )


def _audit(row: Row[Any]) -> AuditEvent:
    m = row._mapping
    return AuditEvent(**{**m, "target_kind": TargetKind(m["target_kind"])})
