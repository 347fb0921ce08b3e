"""Residents' reports of inappropriate pins and replies; enough of them hide the target.

So that one person with a script cannot censor, hiding needs reports from enough distinct
participants *and* distinct networks, and a target a planner has restored is never hidden
automatically again: further reports only put it in the planners' queue.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from geoapp.domain import AuditEvent, Report, ReportTally, Status, TargetKind
from geoapp.models import ReportCreate, ReportReceipt
from geoapp.services.visibility import published_contribution, published_reply
from geoapp.store.base import Store

AUTO_HIDE_REASON = "reported"
RESTORE = "restore"


@dataclass(frozen=True)
class Reporter:
    """Who reports: the participant's token hash and the network's keyed daily hash."""

    participant_hash: str
    network_hash: str


@dataclass(frozen=True)
class HideRule:
    """Open reports from this many participants and this many networks hide a target."""

    participants: int
    networks: int

    def reached(self, tally: ReportTally) -> bool:
        return tally.reports >= self.participants and tally.networks >= self.networks


def report_contribution(
    store: Store,
    contribution_id: str,
    data: ReportCreate,
    reporter: Reporter,
    rule: HideRule,
    now: datetime | None = None,
) -> tuple[ReportReceipt, bool]:
    """Report a published pin; returns the receipt and whether this report is new."""
    published_contribution(store, contribution_id)
    return _report(store, TargetKind.CONTRIBUTION, contribution_id, data, reporter, rule, now)


def report_reply(
    store: Store,
    reply_id: str,
    data: ReportCreate,
    reporter: Reporter,
    rule: HideRule,
    now: datetime | None = None,
) -> tuple[ReportReceipt, bool]:
    """Report a published reply; returns the receipt and whether this report is new."""
    published_reply(store, reply_id)
    return _report(store, TargetKind.REPLY, reply_id, data, reporter, rule, now)


def _report(
    store: Store,
    kind: TargetKind,
    target_id: str,
    data: ReportCreate,
    reporter: Reporter,
    rule: HideRule,
    now: datetime | None,
) -> tuple[ReportReceipt, bool]:
    """Record a report; the one that reaches both thresholds hides the target at once.

    The target stays hidden, and its reports open (resolved_at unset), until a planner decides.
    """
    now = now or datetime.now(UTC)
    report = Report(
        id=str(uuid.uuid4()),
        target_kind=kind,
        target_id=target_id,
        participant_hash=reporter.participant_hash,
        network_hash=reporter.network_hash,
        reason=data.reason,
        note=data.note or None,
        created_at=now,
    )
    tally = store.add_report(report)
    if tally is not None and rule.reached(tally) and not _restored_before(store, kind, target_id):
        event = AuditEvent(
            id=str(uuid.uuid4()),
            target_kind=kind,
            target_id=target_id,
            actor="system",
            action="auto_hide",
            changes={
                "status": [str(Status.PUBLISHED), str(Status.HIDDEN)],
                "open_reports": [None, tally.reports],
                "report_networks": [None, tally.networks],
            },
            created_at=now,
        )
        store.set_status(
            kind, target_id, Status.HIDDEN, AUTO_HIDE_REASON, event, expected=Status.PUBLISHED
        )
    receipt = ReportReceipt(target=kind, id=target_id, reason=data.reason)
    return receipt, tally is not None


def _restored_before(store: Store, kind: TargetKind, target_id: str) -> bool:
    """Whether a planner has published the target again after it was hidden or rejected."""
    return any(event.action == RESTORE for event in store.list_audit(kind, target_id))
