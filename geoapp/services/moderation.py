"""Moderation: the status rules for pins and replies, planners' edits and answers, erasure.

Every change is written together with its audit event (who, when, field: [before, after]);
nothing is deleted except personal data on a data-subject request, and that is audited too.
"""

import base64
import hashlib
import json
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from geoapp.domain import (
    EDITABLE_FIELDS,
    Answer,
    Contribution,
    ModerationQuery,
    QueueCursor,
    Reply,
    ReportTally,
    Status,
    TargetKind,
)
from geoapp.errors import InvalidInput, NotAllowedNow, NotFound
from geoapp.models import (
    AuditEventOut,
    ContributionEdit,
    ContributionForPlanner,
    ContributionQueue,
    ReplyForPlanner,
    StatusChange,
)
from geoapp.services import audit
from geoapp.services.consultations import get_for_planner
from geoapp.services.contributions import located, require_category
from geoapp.store.base import Store
from geoapp.store.photos import PhotoStorage

# Which decision may follow which status. Restoring (hidden/rejected → published) undoes a
# mistake or an automatic hide after reports; a rejected item is never simply hidden.
TRANSITIONS: dict[Status, dict[Status, str]] = {
    Status.PENDING: {Status.PUBLISHED: "publish", Status.REJECTED: "reject"},
    Status.PUBLISHED: {Status.HIDDEN: "hide"},
    Status.HIDDEN: {Status.PUBLISHED: "restore"},
    Status.REJECTED: {Status.PUBLISHED: "restore"},
}
NEEDS_REASON = (Status.REJECTED, Status.HIDDEN)


@dataclass(frozen=True)
class WalkCursor:
    """What a queue cursor carries: where the next page starts, the total the walk's first
    page counted, and the digest of the filters it counted them for (None when unknown)."""

    position: QueueCursor
    total: int | None = None
    filters: str | None = None


def queue(
    store: Store, slug: str | None, query: ModerationQuery, cursor: str | None
) -> ContributionQueue:
    """One page of pins to look at, newest first; by default the pending ones of every
    consultation. `cursor` is the `next` of the page before.

    The total is counted on the first page and carried in the cursor, so a walk's later pages
    show the total it started with; a cursor of other filters is counted again.
    """
    slugs = {c.id: c.slug for c in store.list_consultations()}
    scope = _queue_query(store, slug, list(query.statuses), query.reported_only)
    filtered = replace(query, consultation_id=scope.consultation_id, statuses=scope.statuses)
    key = _filter_key(filtered)
    at = decode_cursor(cursor) if cursor else None
    page = store.moderation_queue(
        replace(
            filtered,
            after=at.position if at else None,
            total=at.total if at and at.filters == key else None,
        )
    )
    return ContributionQueue(
        items=[to_planner(c, slugs[c.consultation_id], tally) for c, tally in page.items],
        total=page.total,
        next=encode_cursor(WalkCursor(page.next, page.total, key)) if page.next else None,
    )


def encode_cursor(cursor: WalkCursor) -> str:
    """The opaque token a client hands back for the next page."""
    position = cursor.position
    carried = [position.created_at.isoformat(), position.id, cursor.total, cursor.filters]
    raw = json.dumps(carried).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> WalkCursor:
    """The position a token of encode_cursor stands for; InvalidInput for anything else.

    A token of two fields (position only) is the form handed out before totals were carried.
    """
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        created_at, contribution_id, *carried = json.loads(raw)
        total, filters = carried or (None, None)
        when = datetime.fromisoformat(created_at)
        if (
            when.tzinfo is None
            or not isinstance(contribution_id, str)
            or not (total is None or (type(total) is int and total >= 0))
            or not (filters is None or isinstance(filters, str))
        ):
            raise ValueError(token)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput("queue_cursor_invalid", field="cursor") from None
    return WalkCursor(QueueCursor(when, contribution_id), total, filters)


def _filter_key(query: ModerationQuery) -> str:
    """A digest of what selects the queue's pins (not where a page starts or its length)."""
    selecting = [
        query.consultation_id,
        [str(s) for s in query.statuses],
        query.reported_only,
        list(query.categories),
        [str(s) for s in query.sources],
        query.created_from.isoformat() if query.created_from else None,
        query.created_to.isoformat() if query.created_to else None,
        query.text,
    ]
    return hashlib.sha256(json.dumps(selecting).encode()).hexdigest()[:16]


def reply_queue(
    store: Store, slug: str | None, statuses: list[Status], reported_only: bool
) -> list[ReplyForPlanner]:
    """Replies to look at, newest first; by default the pending ones."""
    query = _queue_query(store, slug, statuses, reported_only)
    return [_reply_out(r, tally) for r, tally in store.reply_queue(query)]


def _queue_query(
    store: Store, slug: str | None, statuses: list[Status], reported_only: bool
) -> ModerationQuery:
    """The queue's filter: pending items unless statuses are given (any status when reported)."""
    consultation_id = get_for_planner(store, slug).id if slug else None
    if not statuses:
        statuses = [] if reported_only else [Status.PENDING]
    return ModerationQuery(consultation_id, tuple(statuses), reported_only)


def get(store: Store, contribution_id: str) -> ContributionForPlanner:
    contribution = _contribution(store, contribution_id)
    return _out(store, contribution)


def change_status(
    store: Store,
    kind: TargetKind,
    target_id: str,
    change: StatusChange,
    actor: str,
    now: datetime,
) -> None:
    """Apply a decision, with the public answer given with it, if the rules allow it.

    Open reports on the target count as handled; all of it is one store call.
    """
    if kind == TargetKind.CONTRIBUTION:
        contribution = _contribution(store, target_id)
        before, old_reason = contribution.status, contribution.status_reason
    else:
        reply = _reply(store, target_id)
        before, old_reason = reply.status, reply.status_reason
        if change.response or change.response_status:
            raise InvalidInput("reply_no_response", field="response")
    action = TRANSITIONS[before].get(change.status)
    if action is None:
        raise NotAllowedNow(
            "status_transition", field="status", current=before, wanted=change.status
        )
    reason = str(change.reason) if change.reason and change.status in NEEDS_REASON else None
    if change.status in NEEDS_REASON and reason is None:
        raise InvalidInput("status_reason_missing", field="reason")
    changes: dict[str, list[Any]] = {"status": [str(before), str(change.status)]}
    if reason != old_reason:
        changes["status_reason"] = [old_reason, reason]
    events = [audit.event(kind, target_id, actor, action, changes, now)]
    answer = None
    if kind == TargetKind.CONTRIBUTION:
        answer_given = {
            "planner_response": change.response,
            "response_status": change.response_status,
        }
        given = ContributionEdit(**{k: v for k, v in answer_given.items() if v is not None})
        answered = _answered(contribution, given)
        if answer_changes := _changes(contribution, answered):
            answer = Answer(answered.planner_response, answered.response_status)
            events.append(audit.event(kind, target_id, actor, "respond", answer_changes, now))
    # The decision, its answer, the reports it deals with and its audit events stand or fall
    # together: a concurrent decision leaves none of them half-written.
    if not store.set_status(
        kind,
        target_id,
        change.status,
        reason,
        *events,
        expected=before,
        answer=answer,
        resolve_reports=True,
    ):
        raise NotAllowedNow("moderation_conflict")


def edit(
    store: Store, contribution_id: str, data: ContributionEdit, actor: str, now: datetime
) -> ContributionForPlanner:
    """Correct category, text or position, or answer publicly; the audit keeps the original."""
    current = _contribution(store, contribution_id)
    consultation = store.get_consultation_by_id(current.consultation_id)
    if consultation is None:
        raise NotFound("contribution_not_found")
    updated = current
    if data.category is not None and data.category != current.category:
        require_category(consultation, data.category)
        updated = replace(updated, category=data.category)
    if data.text is not None:
        updated = replace(updated, text=data.text)
    if data.geometry is not None:
        updated = replace(updated, geometry=located(consultation, data.geometry))
    updated = _answered(updated, data)
    changes = _changes(current, updated)
    if not changes:
        return _out(store, current)
    answered_only = set(changes) <= {f.name for f in fields(Answer)}
    action = "respond" if answered_only else "edit"
    event = audit.event(TargetKind.CONTRIBUTION, current.id, actor, action, changes, now)
    store.update_contribution(updated, event)
    return get(store, current.id)


def _answered(contribution: Contribution, data: ContributionEdit) -> Contribution:
    """The pin with the public answer given in `data`; an empty text removes the answer."""
    given = data.model_fields_set
    if "planner_response" in given:
        contribution = replace(contribution, planner_response=data.planner_response or None)
    if "response_status" in given:
        contribution = replace(contribution, response_status=data.response_status)
    return contribution


def _changes(before: Contribution, after: Contribution) -> dict[str, list[Any]]:
    """The editable fields that differ, as the audit trail records them: [before, after]."""
    return {
        name: [_plain(getattr(before, name)), _plain(getattr(after, name))]
        for name in EDITABLE_FIELDS
        if getattr(before, name) != getattr(after, name)
    }


def audit_trail(store: Store, kind: TargetKind, target_id: str) -> list[AuditEventOut]:
    """Every recorded change of a pin or reply, oldest first."""
    if kind == TargetKind.CONTRIBUTION:
        _contribution(store, target_id)
    else:
        _reply(store, target_id)
    return [AuditEventOut.of(e) for e in store.list_audit(kind, target_id)]


def erase_personal_data(
    store: Store, photos: PhotoStorage, contribution_id: str, actor: str, now: datetime
) -> ContributionForPlanner:
    """DSGVO Art. 17: remove name, e-mail, photo and the texts the pin had before edits.

    The audit trail notes the erasure, not the data.
    """
    _contribution(store, contribution_id)
    event = audit.event(TargetKind.CONTRIBUTION, contribution_id, actor, "erased", {}, now)
    photo_id = store.erase_personal_data(contribution_id, event)
    if photo_id is not None:
        photos.delete(photo_id)
    return get(store, contribution_id)


def to_planner(c: Contribution, slug: str, tally: ReportTally) -> ContributionForPlanner:
    return ContributionForPlanner.of(
        c,
        consultation=slug,
        has_photo=c.photo_id is not None,
        open_reports=tally.reports,
        report_networks=tally.networks,
    )


def _out(store: Store, c: Contribution) -> ContributionForPlanner:
    open_reports = [
        r for r in store.list_reports(TargetKind.CONTRIBUTION, c.id) if r.resolved_at is None
    ]
    networks = {r.network_hash for r in open_reports if r.network_hash is not None}
    tally = ReportTally(len(open_reports), len(networks))
    return to_planner(c, _slug_of(store, c), tally)


def _reply_out(r: Reply, tally: ReportTally) -> ReplyForPlanner:
    return ReplyForPlanner.of(r, open_reports=tally.reports, report_networks=tally.networks)


def _slug_of(store: Store, c: Contribution) -> str:
    consultation = store.get_consultation_by_id(c.consultation_id)
    return consultation.slug if consultation else ""


def _contribution(store: Store, contribution_id: str) -> Contribution:
    contribution = store.get_contribution(contribution_id)
    if contribution is None:
        raise NotFound("contribution_not_found")
    return contribution


def _reply(store: Store, reply_id: str) -> Reply:
    reply = store.get_reply(reply_id)
    if reply is None:
        raise NotFound("reply_not_found")
    return reply


def _plain(value: Any) -> Any:
    """Enum members as their plain string, as the audit trail stores them."""
    return str(value) if isinstance(value, str) else value
