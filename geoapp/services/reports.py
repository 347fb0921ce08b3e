"""Residents' reports of inappropriate pins and replies; enough of them hide the target."""

import uuid
from datetime import UTC, datetime

from geoapp.models import ReportCreate, ReportReceipt
from geoapp.services.visibility import published_contribution, published_reply
from geoapp.store.base import AuditEvent, Report, Status, Store, TargetKind

AUTO_HIDE_REASON = "reported"


def report_contribution(
    store: Store,
    contribution_id: str,
    data: ReportCreate,
    participant_hash: str,
    threshold: int,
    now: datetime | None = None,
) -> tuple[ReportReceipt, bool]:
    """Report a published pin; returns the receipt and whether this report is new."""
    published_contribution(store, contribution_id)
    return _report(
        store, TargetKind.CONTRIBUTION, contribution_id, data, participant_hash, threshold, now
    )


def report_reply(
    store: Store,
    reply_id: str,
    data: ReportCreate,
    participant_hash: str,
    threshold: int,
    now: datetime | None = None,
) -> tuple[ReportReceipt, bool]:
    """Report a published reply; returns the receipt and whether this report is new."""
    published_reply(store, reply_id)
    return _report(store, TargetKind.REPLY, reply_id, data, participant_hash, threshold, now)


def _report(
    store: Store,
    kind: TargetKind,
    target_id: str,
    data: ReportCreate,
    participant_hash: str,
    threshold: int,
    now: datetime | None,
) -> tuple[ReportReceipt, bool]:
    """Record a report; the one that reaches `threshold` hides the target at once.

    The target stays hidden, and its reports open (resolved_at unset), until a planner decides.
    """
    now = now or datetime.now(UTC)
    report = Report(
        id=str(uuid.uuid4()),
        target_kind=kind,
        target_id=target_id,
        participant_hash=participant_hash,
        reason=data.reason,
        note=data.note or None,
        created_at=now,
    )
    open_reports = store.add_report(report)
    if open_reports is not None and open_reports >= threshold:
        event = AuditEvent(
            id=str(uuid.uuid4()),
            target_kind=kind,
            target_id=target_id,
            actor="system",
            action="auto_hide",
            changes={"status": [str(Status.PUBLISHED), str(Status.HIDDEN)]},
            created_at=now,
        )
        store.set_status(
            kind, target_id, Status.HIDDEN, AUTO_HIDE_REASON, event, expected=Status.PUBLISHED
        )
    receipt = ReportReceipt(target=kind, id=target_id, reason=data.reason)
    return receipt, open_reports is not None
