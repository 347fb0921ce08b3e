"""The planners' work on what came in: reports, status changes, edits, erasure, queues, audit."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from geoapp.domain import (
    EDITABLE_FIELDS,
    Answer,
    AuditEvent,
    Consultation,
    Contribution,
    ModerationQuery,
    Reply,
    Report,
    ReportTally,
    Status,
    TargetKind,
)
from geoapp.store.schema import (
    audit_events,
    consultations,
    contributions,
    idempotency_keys,
    photos,
    replies,
    reports,
)
from geoapp.store.sql.core import (
    SqlBase,
    about,
    changed,
    of_contribution,
    of_reply,
    record,
)
from geoapp.store.sql.mapping import DERIVED, from_row, values

BULK = 1000
"""An insert of this many pins at once (an import) refreshes the planner's statistics."""

_STATUS_TABLES: dict[TargetKind, Table] = {
    TargetKind.CONTRIBUTION: contributions,
    TargetKind.REPLY: replies,
}
_OWNER = {TargetKind.CONTRIBUTION: of_contribution, TargetKind.REPLY: of_reply}
"""Per target kind, the consultation whose public map a status change alters."""


class ModerationQueries(SqlBase):
    def add_report(self, report: Report) -> ReportTally | None:
        try:
            with self._write() as conn:
                # Reports on one target queue on its row, so each tally counts the reports
                # before it and exactly one report reaches a threshold (SQLite: one writer).
                target = _STATUS_TABLES[report.target_kind]
                conn.execute(
                    select(target.c.id).where(target.c.id == report.target_id).with_for_update()
                )
                conn.execute(insert(reports).values(**values(report, reports)))
                reports_, networks = conn.execute(
                    select(*_tally_columns(report.target_kind, report.target_id))
                ).one()
                return ReportTally(int(reports_), int(networks))
        except IntegrityError:
            return None

    def list_reports(self, kind: TargetKind, target_id: str) -> list[Report]:
        return self._all(about(reports, kind, target_id), lambda r: from_row(Report, r, reports))

    def set_status(
        self,
        kind: TargetKind,
        target_id: str,
        status: Status,
        reason: str | None,
        *events: AuditEvent,
        expected: Status | None = None,
        answer: Answer | None = None,
        resolve_reports: bool = False,
    ) -> bool:
        if answer is not None and kind != TargetKind.CONTRIBUTION:
            raise ValueError("only a contribution has a public answer")
        table = _STATUS_TABLES[kind]
        now = events[0].created_at
        answered = values(answer, table) if answer is not None else {}
        stmt = (
            update(table)
            .where(table.c.id == target_id)
            .values(status=str(status), status_reason=reason, updated_at=now, **answered)
        )
        if expected is not None:
            stmt = stmt.where(table.c.status == str(expected))
        with self._write() as conn:
            if conn.execute(stmt).rowcount == 0:
                return False
            changed(conn, _OWNER[kind](target_id))
            if resolve_reports:
                conn.execute(
                    update(reports).where(*_open_reports(kind, target_id)).values(resolved_at=now)
                )
            record(conn, *events)
        return True

    def list_audit(self, kind: TargetKind, target_id: str) -> list[AuditEvent]:
        stmt = about(audit_events, kind, target_id)
        return self._all(stmt, lambda r: from_row(AuditEvent, r, audit_events))

    def add_contributions(self, pins: Sequence[Contribution], events: Sequence[AuditEvent]) -> None:
        # One executemany per table: 100,000 imported or benchmark pins take seconds, not minutes.
        with self._write() as conn:
            if pins:
                conn.execute(insert(contributions), [values(c, contributions) for c in pins])
                for consultation_id in {c.consultation_id for c in pins}:
                    changed(conn, consultation_id)
            record(conn, *events)
        if len(pins) >= BULK:
            self._analyse()

    def update_contribution(self, contribution: Contribution, event: AuditEvent) -> None:
        row = values(contribution, contributions)
        written = (*EDITABLE_FIELDS, *DERIVED[Contribution](contribution))
        with self._write() as conn:
            conn.execute(
                update(contributions)
                .where(contributions.c.id == contribution.id)
                .values(**{k: row[k] for k in written}, updated_at=event.created_at)
            )
            changed(conn, contribution.consultation_id)
            record(conn, event)

    def erase_personal_data(self, contribution_id: str, event: AuditEvent) -> str | None:
        with self._write() as conn:
            photo_id, participant_hash = conn.execute(
                select(contributions.c.photo_id, contributions.c.participant_hash)
                .where(contributions.c.id == contribution_id)
                .with_for_update()
            ).one()
            if participant_hash is not None:
                # The first answer kept for a retry repeats the pin's text and name.
                conn.execute(
                    delete(idempotency_keys).where(
                        idempotency_keys.c.participant_hash == participant_hash
                    )
                )
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
            changed(conn, of_contribution(contribution_id))
            _erase_audited_texts(conn, contribution_id)
            record(conn, event)
        return photo_id

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
        return self._all(stmt, lambda row: (from_row(Reply, row, replies), _tally(row)))

    def update_consultation(self, consultation: Consultation) -> None:
        row = values(consultation, consultations)
        # The pause has its own writer (set_pause), so an edit cannot undo a pause.
        for column in ("id", "slug", "created_at", "paused_at", "pause_message"):
            del row[column]
        with self._write() as conn:
            conn.execute(
                update(consultations).where(consultations.c.id == consultation.id).values(**row)
            )
            changed(conn, consultation.id)

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
            record(conn, event)


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


def _tally(row: Any) -> ReportTally:
    return ReportTally(int(row.open_reports), int(row.report_networks))


def _open_reports(kind: TargetKind, target_id: Any) -> tuple[ColumnElement[bool], ...]:
    """The conditions for the reports on a target that no planner has dealt with yet."""
    return (
        reports.c.target_kind == str(kind),
        reports.c.target_id == target_id,
        reports.c.resolved_at.is_(None),
    )


def _tally_columns(kind: TargetKind, target_id: Any) -> tuple[Any, Any]:
    """Scalar subqueries: open reports on the target (`open_reports`) and their distinct
    networks (`report_networks`)."""
    about_target = _open_reports(kind, target_id)
    count = select(func.count()).where(*about_target).scalar_subquery().label("open_reports")
    networks = (
        select(func.count(reports.c.network_hash.distinct()))
        .where(*about_target)
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
